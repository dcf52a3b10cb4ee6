#include "actors/auth/token_issuer.h"

#include "gtest/gtest.h"

namespace platform::auth {
namespace {

User MakeUser(int64_t id, std::string username, bool enabled) {
  User user;
  user.id = id;
  user.username = std::move(username);
  user.enabled = enabled;
  return user;
}

TEST(TokenIssuer, IssuesATokenValidForItsLifetime) {
  const absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  const TokenIssuer issuer(jwt::Hs256("secret"), absl::Seconds(30), [now] { return now; });
  const std::string token = issuer.Issue(MakeUser(1, "alice", true));

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
  const TokenIssuer issuer(jwt::Hs256("secret"), absl::Seconds(30), [now] { return now; });
  EXPECT_EQ(
      issuer.Issue(MakeUser(1, "alice", true)),
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
      "eyJ1c2VyX2lkIjoxLCJ1c2VybmFtZSI6ImFsaWNlIiwiZW5hYmxlZCI6dHJ1ZSwiZXhwIjoyMDAwMDAwMDAwfQ."
      "9HitAaKgdTMWsTrVV6ZbNGBmNEVpf1fqwAH6FtcLfgs");
}

TEST(TokenIssuer, DisabledUsersGetATokenThatSaysSo) {
  const TokenIssuer issuer(jwt::Hs256("secret"), absl::Seconds(30));
  const absl::StatusOr<jwt::Claims> claims =
      jwt::Hs256("secret").Verify(issuer.Issue(MakeUser(3, "charlie", false)), absl::Now());
  ASSERT_TRUE(claims.ok());
  EXPECT_FALSE(claims->enabled);
}

}  // namespace
}  // namespace platform::auth
