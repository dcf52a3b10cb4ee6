#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "actors/shared/redis/connection.h"
#include "actors/shared/redis/redis_url.h"

namespace platform::redis {

struct PipelineOptions {
  // Bound on connecting and on each read or write.
  absl::Duration timeout = absl::Seconds(1);
  // Reconnection attempts back off from 50 ms up to this.
  absl::Duration max_backoff = absl::Seconds(1);
  // Commands waiting at most; beyond, Submit fails at once.
  size_t max_queued = 50000;
  // Commands written in one go before their replies are read.
  size_t max_batch = 512;
};

// One Redis connection and the thread that owns it: an actor whose mailbox
// is a queue of commands. Callers on any thread Submit commands and never
// block; the owner writes every queued command in one go (pipelining) and
// hands each reply to its callback, in order, on the owner thread. While
// Redis is unreachable, commands fail at once with UNAVAILABLE, and the owner
// reconnects by itself with backoff.
class Pipeline {
 public:
  using Done = std::function<void(absl::StatusOr<Reply>)>;

  Pipeline(Endpoint endpoint, PipelineOptions options);
  // Answers what is queued, then closes the connection.
  ~Pipeline();

  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Queues a command. One still queued when `deadline` has passed is not
  // written at all: it fails with DEADLINE_EXCEEDED, since its caller has
  // already been told it failed and must not see it done later.
  void Submit(std::vector<std::string> argv, Done done,
              absl::Time deadline = absl::InfiniteFuture());

 private:
  struct Job {
    std::vector<std::string> argv;
    Done done;
    absl::Time deadline;
  };

  void Run();
  bool EnsureConnected();
  void Execute(std::vector<Job>& batch);

  const Endpoint endpoint_;
  const PipelineOptions options_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;

  // Owned by the pipeline thread alone.
  std::unique_ptr<Connection> connection_;
  absl::Time next_attempt_ = absl::InfinitePast();
  absl::Duration backoff_ = absl::Milliseconds(50);
  bool reported_down_ = false;

  std::thread thread_;
};

}  // namespace platform::redis
