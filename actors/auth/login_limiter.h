#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "actors/shared/redis/pipeline.h"

namespace platform::auth {

struct LoginLimits {
  int64_t max_failures_per_user = 5;       // in one window; the next try is refused
  int64_t max_failures_per_address = 100;  // in one window, any usernames
  absl::Duration window = absl::Seconds(60);
};

// Failed logins counted in Redis, per username and per client address, in
// fixed windows: the count holds across auth replicas, and a guesser gets
// at most `max_failures_per_user` tries at a username per window. Answers
// come on the Redis pipeline's thread; nothing here blocks.
class LoginLimiter {
 public:
  // Seconds until a login may be tried again; 0 when it may now. An error
  // when Redis could not say (the caller decides: auth lets the login go on).
  using Verdict = std::function<void(absl::StatusOr<int64_t> retry_after_seconds)>;

  LoginLimiter(const redis::Endpoint& endpoint, redis::PipelineOptions options, LoginLimits limits);

  void Check(const std::string& username, const std::string& address, Verdict done);
  // Counts a failed login; `done` runs once it is counted (or could not be).
  void RecordFailure(const std::string& username, const std::string& address,
                     std::function<void()> done);

 private:
  std::vector<std::string> Keys(const std::string& username, const std::string& address) const;

  LoginLimits limits_;
  redis::Pipeline pipeline_;
};

}  // namespace platform::auth
