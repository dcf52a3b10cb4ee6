#include "actors/core/transaction_validator.h"

#include "gtest/gtest.h"

namespace platform::core {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);
const jwt::Hs256 kTokens("validator-secret");

std::string Token(bool enabled = true, int64_t user_id = 1, int64_t exp = 1'700'000'030) {
  return kTokens.Sign({user_id, "alice", enabled, exp});
}

v1::CreateTransactionRequest Request(std::string token, int64_t amount, std::string currency,
                                     std::vector<std::string> unreadable = {}) {
  v1::CreateTransactionRequest request;
  request.set_token(std::move(token));
  request.set_amount(amount);
  request.set_currency(std::move(currency));
  for (auto& member : unreadable) request.add_unreadable_members(std::move(member));
  return request;
}

absl::Status Check(const v1::CreateTransactionRequest& request) {
  return ValidateCreate(request, kTokens, kNow).status();
}

void ExpectRefused(const v1::CreateTransactionRequest& request, absl::StatusCode code,
                   const std::string& message) {
  const absl::Status status = Check(request);
  EXPECT_EQ(status.code(), code) << request.ShortDebugString();
  EXPECT_EQ(status.message(), message) << request.ShortDebugString();
}

TEST(TransactionValidator, AcceptsAValidTransactionOfAnEnabledUser) {
  const absl::StatusOr<ValidTransaction> valid =
      ValidateCreate(Request(Token(true, 7), 100, "USD"), kTokens, kNow);
  ASSERT_TRUE(valid.ok()) << valid.status();
  EXPECT_EQ(valid->user_id, 7);
  EXPECT_EQ(valid->amount, 100);
  EXPECT_EQ(valid->currency, "USD");
}

TEST(TransactionValidator, BlankFieldsInTheReferenceOrder) {
  const auto invalid = absl::StatusCode::kInvalidArgument;
  ExpectRefused(Request("", 100, "USD"), invalid, "Token is blank");
  ExpectRefused(Request("", 0, ""), invalid, "Token is blank");  // token first
  ExpectRefused(Request(Token(), 0, "USD"), invalid, "Amount is blank");
  ExpectRefused(Request(Token(), 0, "usd"), invalid, "Amount is blank");  // before currency form
  ExpectRefused(Request("abc", 0, "USD"), invalid, "Amount is blank");    // before token
  ExpectRefused(Request(Token(), 100, ""), invalid, "Currency is blank");
  ExpectRefused(Request(Token(), -1, ""), invalid, "Currency is blank");  // before amount valid
}

TEST(TransactionValidator, AmountMustBeAPositiveIntegerThePlatformHolds) {
  const auto invalid = absl::StatusCode::kInvalidArgument;
  ExpectRefused(Request(Token(), -5, "USD"), invalid, "Invalid amount");
  ExpectRefused(Request(Token(), kMaxAmount + 1, "USD"), invalid, "Invalid amount");
  ExpectRefused(Request(Token(), 0, "USD", {"amount"}), invalid, "Invalid amount");
  ExpectRefused(Request(Token(), 5, "usd"), invalid, "Invalid currency code");
  EXPECT_TRUE(Check(Request(Token(), kMaxAmount, "USD")).ok());
  EXPECT_TRUE(Check(Request(Token(), 1, "USD")).ok());
  // Amount is checked before the currency's form.
  ExpectRefused(Request(Token(), -5, "usd"), invalid, "Invalid amount");
}

TEST(TransactionValidator, CurrencyMustBeThreeUpperCaseLetters) {
  for (const char* currency : {"usd", "USDD", "US", "U$D", "ÜSD", "12A"}) {
    ExpectRefused(Request(Token(), 5, currency), absl::StatusCode::kInvalidArgument,
                  "Invalid currency code");
  }
  ExpectRefused(Request(Token(), 5, "", {"currency"}), absl::StatusCode::kInvalidArgument,
                "Invalid currency code");
  EXPECT_TRUE(Check(Request(Token(), 5, "XYZ")).ok());  // form only: the PSP may decline
}

TEST(TransactionValidator, TokenIsCheckedAfterTheFieldsWithJwtMessages) {
  const auto invalid = absl::StatusCode::kInvalidArgument;
  ExpectRefused(Request("abc", 5, "USD"), invalid, "Not enough segments");
  ExpectRefused(Request("a.b", 5, "USD"), invalid, "Not enough segments");
  ExpectRefused(Request("", 5, "USD", {"token"}), invalid, "Not enough segments");
  ExpectRefused(Request(jwt::Hs256("other").Sign({1, "alice", true, 1'700'000'030}), 5, "USD"),
                invalid, "Signature verification failed.");
  ExpectRefused(Request(Token(true, 1, 1'699'999'999), 5, "USD"), invalid,
                "Signature has expired.");
  // Bad fields are reported before a bad token.
  ExpectRefused(Request("abc", 5, "usd"), invalid, "Invalid currency code");
}

TEST(TransactionValidator, DisabledUsersAreRefusedLast) {
  ExpectRefused(Request(Token(false), 5, "USD"), absl::StatusCode::kPermissionDenied,
                "User not enabled for transactions");
  ExpectRefused(Request(Token(false), 5, "usd"), absl::StatusCode::kInvalidArgument,
                "Invalid currency code");
}

TEST(TransactionValidator, AuthenticateNeedsAToken) {
  EXPECT_EQ(Authenticate("", kTokens, kNow).status().message(), "Token is blank");
  EXPECT_EQ(Authenticate("abc", kTokens, kNow).status().message(), "Not enough segments");
  EXPECT_EQ(Authenticate(Token(false, 3), kTokens, kNow)->user_id, 3);
}

}  // namespace
}  // namespace platform::core
