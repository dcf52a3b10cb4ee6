#include "actors/core/idempotency.h"

#include "gtest/gtest.h"

namespace platform::core {
namespace {

TEST(Idempotency, NoKeyNoClaim) {
  const auto claim = MakeIdempotencyClaim("", {1, 100, "USD"});
  ASSERT_TRUE(claim.ok());
  EXPECT_FALSE(claim->has_value());
}

TEST(Idempotency, KeysAreScopedPerUser) {
  const auto alice = MakeIdempotencyClaim("order-1", {1, 100, "USD"});
  const auto becky = MakeIdempotencyClaim("order-1", {2, 100, "USD"});
  EXPECT_EQ((*alice)->user_id, "1");
  EXPECT_EQ((*becky)->user_id, "2");
  EXPECT_EQ((*alice)->key_digest, (*becky)->key_digest);
  EXPECT_NE((*alice)->key_digest, (*MakeIdempotencyClaim("order-2", {1, 100, "USD"}))->key_digest);
  EXPECT_EQ((*alice)->fingerprint, (*becky)->fingerprint);
}

TEST(Idempotency, FingerprintIsTheAmountAndCurrency) {
  const auto first = MakeIdempotencyClaim("k", {1, 100, "USD"});
  EXPECT_EQ((*first)->fingerprint, (*MakeIdempotencyClaim("k", {1, 100, "USD"}))->fingerprint);
  EXPECT_NE((*first)->fingerprint, (*MakeIdempotencyClaim("k", {1, 101, "USD"}))->fingerprint);
  EXPECT_NE((*first)->fingerprint, (*MakeIdempotencyClaim("k", {1, 100, "EUR"}))->fingerprint);
  // No ambiguity between amount and currency text.
  EXPECT_NE((*MakeIdempotencyClaim("k", {1, 11, "USD"}))->fingerprint,
            (*MakeIdempotencyClaim("k", {1, 1, "1USD"}))->fingerprint);
}

TEST(Idempotency, RefusesKeysThatAreNotPrintableAscii) {
  for (const std::string& key :
       {std::string(256, 'k'), std::string("new\nline"), std::string("caf\xc3\xa9")}) {
    const auto claim = MakeIdempotencyClaim(key, {1, 100, "USD"});
    EXPECT_EQ(claim.status().message(), "Invalid Idempotency-Key") << key;
  }
  EXPECT_TRUE(MakeIdempotencyClaim(std::string(255, 'k'), {1, 1, "USD"}).ok());
}

}  // namespace
}  // namespace platform::core
