// The HS256 module against tokens made and judged by python-jose, the
// reference platform's library (see make_python_jose_tokens.py).
#include "actors/shared/jwt/hs256.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace platform::jwt {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

Struct LoadFixtures() {
  std::ifstream file(JOSE_TOKENS);
  std::stringstream text;
  text << file.rdbuf();
  Struct fixtures;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(text.str(), &fixtures).ok());
  return fixtures;
}

const Struct& Fixtures() {
  static const Struct fixtures = LoadFixtures();
  return fixtures;
}

absl::Time Now() {
  return absl::FromUnixSeconds(static_cast<int64_t>(Fixtures().fields().at("now").number_value()));
}

Hs256 Codec() { return Hs256(Fixtures().fields().at("secret").string_value()); }

Claims ClaimsOf(const Struct& object) {
  Claims claims;
  claims.user_id = static_cast<int64_t>(object.fields().at("user_id").number_value());
  claims.username = object.fields().at("username").string_value();
  claims.enabled = object.fields().at("enabled").bool_value();
  claims.exp = static_cast<int64_t>(object.fields().at("exp").number_value());
  return claims;
}

TEST(Hs256Fixtures, AreLoaded) {
  ASSERT_GE(Fixtures().fields().at("cases").list_value().values_size(), 20);
}

TEST(Hs256, AnswersEveryReferenceCaseAsExpected) {
  for (const Value& entry : Fixtures().fields().at("cases").list_value().values()) {
    const auto& c = entry.struct_value().fields();
    const std::string name = c.at("name").string_value();
    const auto& expect = c.at("expect").struct_value().fields();
    const absl::StatusOr<Claims> verified = Codec().Verify(c.at("token").string_value(), Now());
    if (expect.count("error") != 0) {
      ASSERT_FALSE(verified.ok()) << name;
      EXPECT_EQ(verified.status().code(), absl::StatusCode::kInvalidArgument) << name;
      EXPECT_EQ(verified.status().message(), expect.at("error").string_value()) << name;
    } else {
      ASSERT_TRUE(verified.ok()) << name << ": " << verified.status();
      const auto& claims = expect.at("claims").struct_value().fields();
      EXPECT_EQ(verified->user_id, claims.at("user_id").number_value()) << name;
      EXPECT_EQ(verified->enabled, claims.at("enabled").bool_value()) << name;
      EXPECT_EQ(verified->username, claims.at("username").string_value()) << name;
    }
  }
}

TEST(Hs256, SignsByteForByteAsTheReference) {
  int signed_cases = 0;
  for (const Value& entry : Fixtures().fields().at("cases").list_value().values()) {
    const auto& c = entry.struct_value().fields();
    if (c.count("sign") == 0) continue;
    ++signed_cases;
    EXPECT_EQ(Codec().Sign(ClaimsOf(c.at("sign").struct_value())), c.at("token").string_value())
        << c.at("name").string_value();
  }
  EXPECT_GE(signed_cases, 4);
}

// What the codec answers for `token`, in the fixtures' shape:
// {"error": message} or {"claims": {...}}.
Value OutcomeOf(absl::string_view token) {
  const absl::StatusOr<Claims> verified = Codec().Verify(token, Now());
  Value outcome;
  auto& fields = *outcome.mutable_struct_value()->mutable_fields();
  if (!verified.ok()) {
    fields["error"].set_string_value(std::string(verified.status().message()));
    return outcome;
  }
  auto& claims = *fields["claims"].mutable_struct_value()->mutable_fields();
  claims["user_id"].set_number_value(static_cast<double>(verified->user_id));
  claims["username"].set_string_value(verified->username);
  claims["enabled"].set_bool_value(verified->enabled);
  claims["exp"].set_number_value(static_cast<double>(verified->exp));
  return outcome;
}

TEST(Hs256, ReferenceAndPlatformAgreeExceptWhereHardened) {
  int parity = 0, hardened = 0;
  for (const Value& entry : Fixtures().fields().at("cases").list_value().values()) {
    const auto& c = entry.struct_value().fields();
    const std::string name = c.at("name").string_value();
    const Value ours = OutcomeOf(c.at("token").string_value());
    Value reference = c.at("reference");
    // python-jose hands back `exp` as it was sent; the codec reads the
    // number a string of digits holds, as python-jose's own check does.
    auto& reference_fields = *reference.mutable_struct_value()->mutable_fields();
    if (reference_fields.count("claims") != 0) {
      auto& claims = *reference_fields["claims"].mutable_struct_value()->mutable_fields();
      if (claims.count("exp") != 0 && claims["exp"].has_string_value()) {
        claims["exp"].set_number_value(std::stod(claims["exp"].string_value()));
      }
    }
    using google::protobuf::util::MessageDifferencer;
    if (name.rfind("missing_", 0) == 0 || name == "payload_not_json") {
      // Where python-jose took a token without its claims, or crashed on
      // one, the codec refuses it with a JWT-style message.
      ++hardened;
      EXPECT_FALSE(MessageDifferencer::Equals(ours, reference)) << name;
      EXPECT_TRUE(MessageDifferencer::Equals(ours, c.at("expect"))) << name;
      ASSERT_EQ(ours.struct_value().fields().count("error"), 1u) << name;
    } else {
      // The parity rows: python-jose's answer, word for word.
      ++parity;
      EXPECT_TRUE(MessageDifferencer::Equals(ours, reference))
          << name << ": ours " << ours.DebugString() << " reference " << reference.DebugString();
    }
  }
  EXPECT_GE(parity, 15);
  EXPECT_GE(hardened, 3);
}

// A token for any payload, under python-jose's header, signed right.
std::string SignedPayload(const std::string& secret, const std::string& payload) {
  const std::string input =
      absl::StrCat(absl::WebSafeBase64Escape(R"({"alg":"HS256","typ":"JWT"})"), ".",
                   absl::WebSafeBase64Escape(payload));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
  return absl::StrCat(
      input, ".",
      absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<const char*>(mac), length)));
}

// Payloads as Sign writes them are read without a JSON parser; payloads
// that only look like them must read as the JSON parser reads them.
TEST(Hs256, PayloadsNearlyLikeItsOwnReadAsJson) {
  const std::string secret = "a-secret-of-at-least-thirty-two-bytes!";
  const Hs256 codec(secret);
  const absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  const auto verify = [&](const std::string& payload) {
    return codec.Verify(SignedPayload(secret, payload), now);
  };
  const absl::StatusOr<Claims> own =
      verify(R"({"user_id":7,"username":"alice","enabled":true,"exp":1700000030})");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->user_id, 7);
  EXPECT_EQ(own->username, "alice");
  EXPECT_TRUE(own->enabled);
  EXPECT_EQ(own->exp, 1700000030);
  // Spaces, an escaped quote, raw UTF-8: the same claims, read as JSON.
  const absl::StatusOr<Claims> spaced =
      verify(R"({"user_id": 7, "username": "al\"ice", "enabled": false, "exp": 1700000030})");
  ASSERT_TRUE(spaced.ok()) << spaced.status();
  EXPECT_EQ(spaced->username, "al\"ice");
  EXPECT_FALSE(spaced->enabled);
  EXPECT_EQ(
      verify(R"({"user_id":7,"username":"zo\u00eb","enabled":true,"exp":1700000030})")->username,
      "zo\xc3\xab");
  // A leading zero is not JSON; an id past 2^53 is not exact; an nbf after
  // the fields Sign writes still counts; an expired token is expired.
  EXPECT_EQ(
      verify(R"({"user_id":07,"username":"a","enabled":true,"exp":1700000030})").status().message(),
      "Invalid payload string: must be a json object");
  EXPECT_EQ(verify(R"({"user_id":9007199254740993,"username":"a","enabled":true,"exp":1700000030})")
                .status()
                .message(),
            "Token has an invalid \"user_id\" claim");
  EXPECT_EQ(verify(R"({"user_id":7,"username":"a","enabled":true,"exp":1700000030,)"
                   R"("nbf":1700000020})")
                .status()
                .message(),
            "The token is not yet valid (nbf)");
  EXPECT_EQ(
      verify(R"({"user_id":7,"username":"a","enabled":true,"exp":1699999999})").status().message(),
      "Signature has expired.");
}

TEST(Hs256, VerifiesWhatItSigns) {
  const Hs256 codec("s3cret");
  const Claims claims{42, "dave", true, absl::ToUnixSeconds(absl::Now()) + 30};
  const absl::StatusOr<Claims> verified = codec.Verify(codec.Sign(claims), absl::Now());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->user_id, 42);
  EXPECT_EQ(verified->username, "dave");
  EXPECT_TRUE(verified->enabled);
}

TEST(Hs256, ExpiresOneSecondAfterExp) {
  const Hs256 codec("s3cret");
  const std::string token = codec.Sign({1, "alice", true, 1000});
  EXPECT_TRUE(codec.Verify(token, absl::FromUnixSeconds(1000)).ok());
  EXPECT_EQ(codec.Verify(token, absl::FromUnixSeconds(1001)).status().message(),
            "Signature has expired.");
}

TEST(Hs256, RejectsTokensOfAnotherSecret) {
  const std::string token = Hs256("one").Sign({1, "alice", true, 2000000000});
  EXPECT_EQ(Hs256("two").Verify(token, absl::FromUnixSeconds(0)).status().message(),
            "Signature verification failed.");
}

TEST(Hs256, VerifiesTokensOfAPreviousSecretDuringARotation) {
  const Hs256 old_codec("the-old-secret-of-thirty-two-bytes!!");
  const Hs256 rotated("the-new-secret-of-thirty-two-bytes!!",
                      {"the-old-secret-of-thirty-two-bytes!!"});
  const Claims claims{7, "alice", true, 2000000000};
  EXPECT_TRUE(rotated.Verify(old_codec.Sign(claims), absl::FromUnixSeconds(0)).ok());
  EXPECT_TRUE(rotated.Verify(rotated.Sign(claims), absl::FromUnixSeconds(0)).ok());
  // It signs with the new secret only, so the old codec cannot read it.
  EXPECT_EQ(old_codec.Verify(rotated.Sign(claims), absl::FromUnixSeconds(0)).status().message(),
            "Signature verification failed.");
  EXPECT_EQ(
      rotated.Verify(Hs256("another").Sign(claims), absl::FromUnixSeconds(0)).status().message(),
      "Signature verification failed.");
}

TEST(Hs256, ForgivesClockSkewUpToItsLeeway) {
  const Hs256 codec("s3cret", {}, absl::Seconds(5));
  const std::string token = codec.Sign({1, "alice", true, 1000});
  EXPECT_TRUE(codec.Verify(token, absl::FromUnixSeconds(1005)).ok());
  EXPECT_EQ(codec.Verify(token, absl::FromUnixSeconds(1006)).status().message(),
            "Signature has expired.");
}

}  // namespace
}  // namespace platform::jwt
