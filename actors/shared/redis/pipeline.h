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
  // Writes submitted as Durability::kReplicated are answered only once this
  // many replicas have them too (WAIT after the batch that carried them),
  // or fail with ABORTED when they do not within `replication_timeout`.
  // 0: answered once the primary has them.
  int replicas = 0;
  absl::Duration replication_timeout = absl::Milliseconds(250);
};

// What a command's success means: done on the primary, or on the replicas
// the pipeline's options ask for too (a failover then loses nothing that
// was answered).
enum class Durability { kPrimary, kReplicated };

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
              absl::Time deadline = absl::InfiniteFuture(),
              Durability durability = Durability::kPrimary);

 private:
  struct Job {
    std::vector<std::string> argv;
    Done done;
    absl::Time deadline;
    Durability durability;
  };

  void Run();
  bool EnsureConnected();
  void Execute(std::vector<Job>& batch);
  // WAIT for the replicas after a batch: the replicated writes among
  // `written` that the replicas did not confirm become ABORTED.
  void ConfirmReplicated(const std::vector<Job>& batch, const std::vector<size_t>& written,
                         std::vector<absl::StatusOr<Reply>>& replies);

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
