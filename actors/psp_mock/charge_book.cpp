#include "actors/psp_mock/charge_book.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace platform::psp_mock {
namespace {

bool SameCharge(const psp::v1::Charge& charge, const psp::v1::ChargeRequest& request) {
  return charge.amount() == request.amount() && charge.currency() == request.currency() &&
         charge.user_id() == request.user_id();
}

}  // namespace

ChargeBook::ChargeBook(BookOptions options, Random random)
    : options_(std::move(options)), random_(std::move(random)) {
  if (!random_) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    auto mutex = std::make_shared<std::mutex>();
    random_ = [engine, mutex] {
      std::lock_guard lock(*mutex);
      return std::uniform_real_distribution<double>(0, 1)(*engine);
    };
  }
}

ChargeBook::Decision ChargeBook::Charge(const psp::v1::ChargeRequest& request) {
  Decision decision;
  if (request.idempotency_key().empty()) {
    decision.answer = absl::InvalidArgumentError("idempotency_key is required");
    return decision;
  }
  if (request.amount() <= 0) {
    decision.answer = absl::InvalidArgumentError("amount must be positive");
    return decision;
  }
  decision.slow = request.amount() == kSlowAmount;

  std::lock_guard lock(mutex_);
  if (auto it = charges_.find(request.idempotency_key()); it != charges_.end()) {
    if (!SameCharge(it->second, request)) {
      decision.answer =
          absl::FailedPreconditionError("idempotency_key was used for a charge with other details");
      return decision;
    }
    it->second.set_repeats(it->second.repeats() + 1);
    decision.answer = it->second.response();
    decision.repeat = true;
    return decision;
  }

  if (cancelled_.count(request.idempotency_key()) != 0) {
    psp::v1::ChargeResponse response;
    response.set_outcome(psp::v1::DECLINED);
    response.set_decline_reason("cancelled");
    decision.answer = std::move(response);
    return decision;
  }
  int& failures = transient_failures_[request.idempotency_key()];
  const bool transient =
      request.amount() == kAlwaysFailingAmount ||
      (request.amount() == kFlakyAmount && failures < kFlakyFailures) ||
      (failures == 0 && options_.random_error_rate > 0 && random_() < options_.random_error_rate);
  if (transient) {
    ++failures;
    decision.answer = absl::UnavailableError("PSP temporarily unavailable");
    return decision;
  }
  transient_failures_.erase(request.idempotency_key());

  psp::v1::ChargeResponse response;
  if (request.amount() == kDeclineAmount) {
    response.set_outcome(psp::v1::DECLINED);
    response.set_decline_reason("insufficient_funds");
  } else if (std::find(options_.currencies.begin(), options_.currencies.end(),
                       request.currency()) == options_.currencies.end()) {
    response.set_outcome(psp::v1::DECLINED);
    response.set_decline_reason("unsupported_currency");
  } else {
    response.set_outcome(psp::v1::APPROVED);
    response.set_psp_reference(absl::StrFormat("psp_%012d", next_reference_++));
  }
  psp::v1::Charge& charge = charges_[request.idempotency_key()];
  charge.set_idempotency_key(request.idempotency_key());
  charge.set_amount(request.amount());
  charge.set_currency(request.currency());
  charge.set_user_id(request.user_id());
  *charge.mutable_response() = response;
  decision.answer = std::move(response);
  return decision;
}

psp::v1::CancelResponse ChargeBook::Cancel(const std::string& key) {
  std::lock_guard lock(mutex_);
  psp::v1::CancelResponse answer;
  if (auto it = charges_.find(key); it != charges_.end()) {
    answer.set_charged(true);
    *answer.mutable_response() = it->second.response();
    return answer;
  }
  cancelled_.insert(key);
  transient_failures_.erase(key);
  return answer;
}

std::vector<psp::v1::Charge> ChargeBook::List() const {
  std::lock_guard lock(mutex_);
  std::vector<psp::v1::Charge> all;
  all.reserve(charges_.size());
  for (const auto& entry : charges_) all.push_back(entry.second);
  return all;
}

}  // namespace platform::psp_mock
