#include "actors/auth/password_checker.h"

#include <algorithm>

namespace platform::auth {

PasswordChecker::PasswordChecker(int threads, size_t max_queued) : max_queued_(max_queued) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Run(); });
}

PasswordChecker::~PasswordChecker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

bool PasswordChecker::Submit(std::function<void()> check) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= max_queued_) return false;
    queue_.push_back(std::move(check));
  }
  wake_.notify_one();
  return true;
}

void PasswordChecker::Run() {
  while (true) {
    std::function<void()> check;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      check = std::move(queue_.front());
      queue_.pop_front();
    }
    check();
  }
}

}  // namespace platform::auth
