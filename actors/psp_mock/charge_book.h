#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/psp/v1/psp.pb.h"

namespace platform::psp_mock {

// Test amounts pick the outcome, as card networks' test cards do.
inline constexpr int64_t kDeclineAmount = 402;        // declined: insufficient_funds
inline constexpr int64_t kFlakyAmount = 503;          // UNAVAILABLE twice, then approved
inline constexpr int64_t kAlwaysFailingAmount = 500;  // UNAVAILABLE every time
inline constexpr int64_t kSlowAmount = 504;           // approved after the slow delay
inline constexpr int kFlakyFailures = 2;

struct BookOptions {
  // Share of first attempts that fail with UNAVAILABLE at random, 0 to 1.
  double random_error_rate = 0;
  // Currencies the PSP accepts; others are declined (unsupported_currency).
  std::vector<std::string> currencies = {"USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD",
                                         "SEK", "NOK", "DKK", "PLN", "NZD", "SGD", "HKD"};
};

// What the PSP has charged, by idempotency key. A key is charged at most
// once: a repeat gets the first answer and is counted as a repeat. A
// transient failure charges nothing, so the same key may try again.
// Thread-safe.
class ChargeBook {
 public:
  using Random = std::function<double()>;  // uniform in [0, 1)

  explicit ChargeBook(BookOptions options, Random random = nullptr);

  struct Decision {
    // OK with the answer, UNAVAILABLE for a transient failure,
    // INVALID_ARGUMENT / FAILED_PRECONDITION for a bad request.
    absl::StatusOr<psp::v1::ChargeResponse> answer;
    bool slow = false;
    bool repeat = false;
  };

  Decision Charge(const psp::v1::ChargeRequest& request);

  // The charge made under `key`, if any; otherwise no charge will ever be
  // made under it.
  psp::v1::CancelResponse Cancel(const std::string& key);

  std::vector<psp::v1::Charge> List() const;

 private:
  BookOptions options_;
  Random random_;
  mutable std::mutex mutex_;
  std::map<std::string, psp::v1::Charge> charges_ ABSL_GUARDED_BY(mutex_);
  std::map<std::string, int> transient_failures_ ABSL_GUARDED_BY(mutex_);
  std::set<std::string> cancelled_ ABSL_GUARDED_BY(mutex_);
  uint64_t next_reference_ ABSL_GUARDED_BY(mutex_) = 1;
};

}  // namespace platform::psp_mock
