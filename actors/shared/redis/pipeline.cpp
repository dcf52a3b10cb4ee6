#include "actors/shared/redis/pipeline.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "actors/shared/redis/redis_metrics.h"
#include "actors/shared/redis/script.h"
#include "actors/shared/runtime/logger.h"

namespace platform::redis {
namespace {
constexpr absl::Duration kFirstBackoff = absl::Milliseconds(50);
}  // namespace

Pipeline::Pipeline(Endpoint endpoint, PipelineOptions options)
    : endpoint_(std::move(endpoint)), options_(options), thread_([this] { Run(); }) {}

Pipeline::~Pipeline() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Pipeline::Submit(std::vector<std::string> argv, Done done, absl::Time deadline,
                      Durability durability) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < options_.max_queued) {
      queue_.push_back(Job{std::move(argv), std::move(done), deadline, durability});
      if (queue_.size() == 1) wake_.notify_one();
      return;
    }
  }
  done(absl::UnavailableError("Redis is overloaded: too many commands waiting"));
}

bool Pipeline::EnsureConnected() {
  if (connection_ != nullptr && !connection_->broken()) return true;
  connection_.reset();
  if (absl::Now() < next_attempt_) return false;  // fail fast while backing off
  absl::StatusOr<std::unique_ptr<Connection>> opened =
      Connection::Open(endpoint_, options_.timeout);
  if (!opened.ok()) {
    if (!reported_down_) {
      log::Error("redis unavailable", {{"error", opened.status().message()}});
      reported_down_ = true;
    }
    next_attempt_ = absl::Now() + backoff_;
    backoff_ = std::min(backoff_ * 2, options_.max_backoff);
    return false;
  }
  connection_ = *std::move(opened);
  backoff_ = kFirstBackoff;
  if (reported_down_) log::Info("redis reconnected", {});
  reported_down_ = false;
  return true;
}

void Pipeline::Execute(std::vector<Job>& batch) {
  std::vector<absl::StatusOr<Reply>> replies(batch.size(),
                                             absl::UnavailableError("Redis is unavailable"));
  if (EnsureConnected()) {
    const absl::Time now = absl::Now();
    std::vector<size_t> written;
    written.reserve(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].deadline <= now) {
        replies[i] = absl::DeadlineExceededError("Redis did not take the command in time");
        continue;
      }
      connection_->Append(batch[i].argv);
      written.push_back(i);
    }
    for (const size_t i : written) replies[i] = connection_->ReadReply();
    if (!written.empty())
      RecordRoundTrip(absl::Now() - now, written.size(), !connection_->broken());
    // Scripts this Redis has not seen yet (a first call, a restart): once
    // more with their text, unless their caller has given up meanwhile.
    const absl::Time later = absl::Now();
    std::vector<size_t> again;
    for (const size_t i : written) {
      if (!replies[i].ok() || batch[i].deadline <= later) continue;
      if (std::optional<std::vector<std::string>> eval =
              WithTextIfUnknown(*replies[i], batch[i].argv)) {
        connection_->Append(*eval);
        again.push_back(i);
      }
    }
    for (const size_t i : again) replies[i] = connection_->ReadReply();
    if (options_.replicas > 0) ConfirmReplicated(batch, written, replies);
    if (connection_->broken()) {
      log::Error("redis connection lost", {{"commands", static_cast<uint64_t>(written.size())}});
      // Closed at once, not at the next batch: what Redis has not read yet
      // of the commands core just failed is then dropped.
      connection_.reset();
    }
  }
  for (size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(replies[i]));
}

void Pipeline::ConfirmReplicated(const std::vector<Job>& batch, const std::vector<size_t>& written,
                                 std::vector<absl::StatusOr<Reply>>& replies) {
  std::vector<size_t> replicated;
  for (const size_t i : written) {
    if (batch[i].durability == Durability::kReplicated && replies[i].ok() &&
        !replies[i]->is_error()) {
      replicated.push_back(i);
    }
  }
  if (replicated.empty() || connection_->broken()) return;
  // WAIT counts the replicas that have every write this connection made so
  // far: one WAIT confirms the whole batch.
  connection_->Append({"WAIT", absl::StrCat(options_.replicas),
                       absl::StrCat(absl::ToInt64Milliseconds(options_.replication_timeout))});
  const absl::StatusOr<Reply> acknowledged = connection_->ReadReply();
  if (acknowledged.ok() && acknowledged->type == Reply::Type::kInteger &&
      acknowledged->integer >= options_.replicas) {
    return;
  }
  log::Warn("redis writes not confirmed by a replica",
            {{"writes", static_cast<uint64_t>(replicated.size())},
             {"replicas", acknowledged.ok() ? acknowledged->integer : -1}});
  for (const size_t i : replicated) {
    replies[i] = absl::AbortedError("the write reached no replica in time");
  }
}

void Pipeline::Run() {
  std::vector<Job> batch;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left to answer
      const size_t take = std::min(queue_.size(), options_.max_batch);
      batch.clear();
      for (size_t i = 0; i < take; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    Execute(batch);
  }
}

}  // namespace platform::redis
