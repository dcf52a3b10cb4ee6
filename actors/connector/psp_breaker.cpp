#include "actors/connector/psp_breaker.h"

#include <algorithm>

namespace platform::connector {

PspBreaker::PspBreaker(Options options) : options_(options), wait_(options.open_for) {}

absl::Duration PspBreaker::HoldFor(absl::Time now) const {
  std::lock_guard lock(mutex_);
  if (!open_) return absl::ZeroDuration();
  return std::max(next_probe_ - now, absl::ZeroDuration()) + options_.poll;
}

void PspBreaker::Answered() {
  std::lock_guard lock(mutex_);
  open_ = false;
  consecutive_failures_ = 0;
  wait_ = options_.open_for;
}

bool PspBreaker::Failed(absl::Time now) {
  std::lock_guard lock(mutex_);
  if (open_) return true;
  if (++consecutive_failures_ < options_.failures_to_open) return false;
  open_ = true;
  ++times_opened_;
  next_probe_ = now + wait_;
  return true;
}

absl::Time PspBreaker::NextProbe() const {
  std::lock_guard lock(mutex_);
  return open_ ? next_probe_ : absl::InfiniteFuture();
}

void PspBreaker::ProbeStarted(absl::Time now, absl::Duration deadline) {
  std::lock_guard lock(mutex_);
  if (open_) next_probe_ = now + deadline;
}

void PspBreaker::ProbeSucceeded() { Answered(); }

void PspBreaker::ProbeFailed(absl::Time now) {
  std::lock_guard lock(mutex_);
  if (!open_) return;  // a call got an answer meanwhile
  wait_ = std::min(wait_ * 2, options_.open_max);
  next_probe_ = now + wait_;
}

bool PspBreaker::open() const {
  std::lock_guard lock(mutex_);
  return open_;
}

uint64_t PspBreaker::times_opened() const {
  std::lock_guard lock(mutex_);
  return times_opened_;
}

}  // namespace platform::connector
