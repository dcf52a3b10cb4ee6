#include "actors/psp_mock/charge_book.h"

#include <thread>

#include "gtest/gtest.h"

namespace platform::psp_mock {
namespace {

psp::v1::ChargeRequest Request(const std::string& key, int64_t amount,
                               const std::string& currency = "USD", int64_t user_id = 1) {
  psp::v1::ChargeRequest request;
  request.set_idempotency_key(key);
  request.set_amount(amount);
  request.set_currency(currency);
  request.set_user_id(user_id);
  return request;
}

TEST(ChargeBook, ApprovesOrdinaryAmountsWithAReference) {
  ChargeBook book({});
  const auto decision = book.Charge(Request("tx_1", 100));
  ASSERT_TRUE(decision.answer.ok());
  EXPECT_EQ(decision.answer->outcome(), psp::v1::APPROVED);
  EXPECT_EQ(decision.answer->psp_reference().rfind("psp_", 0), 0u);
  EXPECT_FALSE(decision.repeat);
  EXPECT_FALSE(decision.slow);
}

TEST(ChargeBook, TestAmountsPickTheOutcome) {
  ChargeBook book({});
  const auto declined = book.Charge(Request("a", kDeclineAmount));
  EXPECT_EQ(declined.answer->outcome(), psp::v1::DECLINED);
  EXPECT_EQ(declined.answer->decline_reason(), "insufficient_funds");
  EXPECT_TRUE(book.Charge(Request("b", kSlowAmount)).slow);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(book.Charge(Request("c", kAlwaysFailingAmount)).answer.status().code(),
              absl::StatusCode::kUnavailable);
  }
  const auto unsupported = book.Charge(Request("d", 100, "XYZ"));
  EXPECT_EQ(unsupported.answer->outcome(), psp::v1::DECLINED);
  EXPECT_EQ(unsupported.answer->decline_reason(), "unsupported_currency");
}

TEST(ChargeBook, FlakyAmountFailsTwiceThenIsApprovedOnce) {
  ChargeBook book({});
  EXPECT_EQ(book.Charge(Request("k", kFlakyAmount)).answer.status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(book.Charge(Request("k", kFlakyAmount)).answer.status().code(),
            absl::StatusCode::kUnavailable);
  const auto third = book.Charge(Request("k", kFlakyAmount));
  ASSERT_TRUE(third.answer.ok());
  EXPECT_EQ(third.answer->outcome(), psp::v1::APPROVED);
  ASSERT_EQ(book.List().size(), 1u);  // failures charged nothing
}

TEST(ChargeBook, ARepeatGetsTheFirstAnswerAndIsCountedNotCharged) {
  ChargeBook book({});
  const auto first = book.Charge(Request("tx_9", 250));
  const auto again = book.Charge(Request("tx_9", 250));
  EXPECT_TRUE(again.repeat);
  EXPECT_EQ(again.answer->psp_reference(), first.answer->psp_reference());
  const auto charges = book.List();
  ASSERT_EQ(charges.size(), 1u);
  EXPECT_EQ(charges[0].repeats(), 1);
  EXPECT_EQ(charges[0].amount(), 250);
  EXPECT_EQ(charges[0].response().psp_reference(), first.answer->psp_reference());
}

TEST(ChargeBook, RefusesAKeyReusedForOtherDetailsAndBadRequests) {
  ChargeBook book({});
  ASSERT_TRUE(book.Charge(Request("k", 100)).answer.ok());
  EXPECT_EQ(book.Charge(Request("k", 101)).answer.status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(book.Charge(Request("", 100)).answer.status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(book.Charge(Request("z", 0)).answer.status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ChargeBook, RandomErrorsHitOnlyFirstAttempts) {
  BookOptions options;
  options.random_error_rate = 0.5;
  double next = 0.1;  // below the rate: the first attempt fails
  ChargeBook book(options, [&next] { return next; });
  EXPECT_EQ(book.Charge(Request("r", 100)).answer.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(book.Charge(Request("r", 100)).answer.ok());  // the retry goes through
  next = 0.9;
  EXPECT_TRUE(book.Charge(Request("s", 100)).answer.ok());
}

TEST(ChargeBook, CancelAnswersAChargeOrForbidsOne) {
  ChargeBook book({});
  const auto made = book.Charge(Request("charged", 100));
  const auto cancel_charged = book.Cancel("charged");
  EXPECT_TRUE(cancel_charged.charged());
  EXPECT_EQ(cancel_charged.response().psp_reference(), made.answer->psp_reference());

  EXPECT_EQ(book.Charge(Request("never", kAlwaysFailingAmount)).answer.status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_FALSE(book.Cancel("never").charged());
  // A charge that arrives late under a cancelled key is declined, not made.
  const auto late = book.Charge(Request("never", 100));
  ASSERT_TRUE(late.answer.ok());
  EXPECT_EQ(late.answer->outcome(), psp::v1::DECLINED);
  EXPECT_EQ(late.answer->decline_reason(), "cancelled");
  EXPECT_EQ(book.List().size(), 1u);
}

TEST(ChargeBook, ConcurrentAttemptsOnOneKeyChargeOnce) {
  ChargeBook book({});
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&book] {
      for (int j = 0; j < 100; ++j) book.Charge(Request("same", 100));
    });
  }
  for (auto& thread : threads) thread.join();
  const auto charges = book.List();
  ASSERT_EQ(charges.size(), 1u);
  EXPECT_EQ(charges[0].repeats(), 16 * 100 - 1);
}

}  // namespace
}  // namespace platform::psp_mock
