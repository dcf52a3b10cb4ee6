#include "actors/auth/token_issuer.h"

#include "gtest/gtest.h"

namespace platform::auth {
namespace {

TEST(TokenIssuer, IssuesATokenValidForItsLifetime) {
  const absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  const TokenIssuer issuer(jwt::Hs256("secret"), absl::Seconds(30),
                           [now] { return now; });
  User alice;
  alice.id = 1;
  alice.username = "alice";
  alice.enabled = true;
  const std::string token = issuer.Issue(alice);

  const jwt::Hs256 verifier("secret");
  const absl::StatusOr<jwt::Claims> claims = verifier.Verify(token, now);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->user_id, 1);
  EXPECT_EQ(claims->username, "alice");
  EXPECT_TRUE(claims->enabled);
  EXPECT_EQ(claims->exp, 1'700'000'030);
  EXPECT_TRUE(verifier.Verify(token, now + absl::Seconds(30)).ok());
  EXPECT_EQ(verifier.Verify(token, now + absl::Seconds(31)).status().message(),
            "Signature has expired.");
}

TEST(TokenIssuer, MatchesTheReferenceTokenForTheSameClaims) {
  // python-jose: jwt.encode({"user_id": 1, "username": "alice", "enabled": True,
  // "exp": 2000000000}, "secret", algorithm="HS256")
  const absl::Time now = absl::FromUnixSeconds(2'000'000'000 - 30);
  const TokenIssuer issuer(jwt::Hs256("secret"), absl::Seconds(30),
                           [now] { return now; });
  User alice;
  alice.id = 1;
  alice.username = "alice";
  alice.enabled = true;
  EXPECT_EQ(issuer.Issue(alice),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
            "eyJ1c2VyX2lkIjoxLCJ1c2VybmFtZSI6ImFsaWNlIiwiZW5hYmxlZCI6dHJ1ZSwiZXhwIjoyMDAwMDAwMDAwfQ."
            "9HitAaKgdTMWsTrVV6ZbNGBmNEVpf1fqwAH6FtcLfgs");
}

TEST(TokenIssuer, DisabledUsersGetATokenThatSaysSo) {
  const TokenIssuer issuer(jwt::Hs256("secret"), absl::Seconds(30));
  User charlie;
  charlie.id = 3;
  charlie.username = "charlie";
  charlie.enabled = false;
  const absl::StatusOr<jwt::Claims> claims =
      jwt::Hs256("secret").Verify(issuer.Issue(charlie), absl::Now());
  ASSERT_TRUE(claims.ok());
  EXPECT_FALSE(claims->enabled);
}

}  // namespace
}  // namespace platform::auth
