#pragma once

#include <cstdint>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"

namespace platform::connector {

// A circuit breaker in front of the PSP, shared by every worker of a
// connector. When calls fail as an unreachable PSP fails (unavailable, no
// answer in time, overloaded) `failures_to_open` times in a row, the breaker
// opens: workers hold their entries instead of calling, and what they hold
// spends none of its attempts or deliveries. The PSP watcher probes the
// PSP's health when `NextProbe()` comes and closes the breaker when it
// answers; each failed probe doubles the wait, up to `open_max`. Any answer
// from the PSP closes it too. Time is passed in, so tests can drive it.
// Thread-safe: workers run on CAF's threads, the watcher on its own.
class PspBreaker {
 public:
  struct Options {
    int failures_to_open = 5;
    absl::Duration open_for = absl::Seconds(1);  // the first wait before a probe
    absl::Duration open_max = absl::Seconds(10);
    absl::Duration poll = absl::Milliseconds(100);  // how often held entries look again
  };

  explicit PspBreaker(Options options);

  // Zero when a call may go to the PSP now; otherwise how long to hold it.
  absl::Duration HoldFor(absl::Time now) const;
  // The PSP answered a call (an outcome or a refusal of its own): it is up.
  void Answered();
  // A call failed as an unreachable PSP fails. True when the breaker is
  // open after it: the PSP is down, and the attempt does not count.
  bool Failed(absl::Time now);

  // For the watcher: when to probe (InfiniteFuture while closed); a probe
  // that starts marks the time it may last, so that held entries wait it out.
  absl::Time NextProbe() const;
  void ProbeStarted(absl::Time now, absl::Duration deadline);
  void ProbeSucceeded();
  void ProbeFailed(absl::Time now);

  bool open() const;
  uint64_t times_opened() const;

 private:
  const Options options_;
  mutable std::mutex mutex_;
  bool open_ ABSL_GUARDED_BY(mutex_) = false;
  int consecutive_failures_ ABSL_GUARDED_BY(mutex_) = 0;
  absl::Duration wait_ ABSL_GUARDED_BY(mutex_);    // the current wait between probes
  absl::Time next_probe_ ABSL_GUARDED_BY(mutex_);  // while open
  uint64_t times_opened_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace platform::connector
