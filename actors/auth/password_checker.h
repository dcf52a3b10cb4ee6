#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"

namespace platform::auth {

// Runs password checks off gRPC's threads, a bounded number at a time. An
// argon2id check costs tens of milliseconds and its memory; a flood of wrong
// passwords must wait in a short queue or be turned away, never take every
// thread (health checks included) or all the memory.
class PasswordChecker {
 public:
  PasswordChecker(int threads, size_t max_queued);
  // Runs what is queued, then stops the threads.
  ~PasswordChecker();

  PasswordChecker(const PasswordChecker&) = delete;
  PasswordChecker& operator=(const PasswordChecker&) = delete;

  // Queues `check`; false, and it never runs, when the queue is full.
  bool Submit(std::function<void()> check);

 private:
  void Run();

  const size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace platform::auth
