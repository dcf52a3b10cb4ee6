#include "actors/shared/redis/client.h"

#include "absl/time/clock.h"
#include "actors/shared/redis/redis_metrics.h"
#include "actors/shared/redis/script.h"

namespace platform::redis {

Client::Client(Endpoint endpoint, absl::Duration timeout)
    : endpoint_(std::move(endpoint)), timeout_(timeout) {}

absl::Status Client::EnsureConnected() {
  if (connected()) return absl::OkStatus();
  connection_.reset();
  absl::StatusOr<std::unique_ptr<Connection>> opened = Connection::Open(endpoint_, timeout_);
  if (!opened.ok()) return opened.status();
  connection_ = *std::move(opened);
  return absl::OkStatus();
}

absl::StatusOr<Reply> Client::Run(const std::vector<std::string>& argv) {
  absl::StatusOr<std::vector<Reply>> replies = RunAll({argv});
  if (!replies.ok()) return replies.status();
  return std::move(replies->front());
}

absl::StatusOr<std::vector<Reply>> Client::RunAll(
    const std::vector<std::vector<std::string>>& commands) {
  if (absl::Status status = EnsureConnected(); !status.ok()) return status;
  const absl::Time sent = absl::Now();
  for (const auto& argv : commands) connection_->Append(argv);
  std::vector<Reply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    absl::StatusOr<Reply> reply = connection_->ReadReply();
    if (!reply.ok()) {
      RecordRoundTrip(absl::Now() - sent, commands.size(), false);
      return reply.status();
    }
    replies.push_back(*std::move(reply));
  }
  RecordRoundTrip(absl::Now() - sent, commands.size(), true);
  // Scripts this Redis has not seen yet: once more, with their text.
  std::vector<size_t> again;
  std::vector<std::vector<std::string>> with_text;
  for (size_t i = 0; i < commands.size(); ++i) {
    if (std::optional<std::vector<std::string>> eval = WithTextIfUnknown(replies[i], commands[i])) {
      again.push_back(i);
      with_text.push_back(*std::move(eval));
    }
  }
  for (const auto& argv : with_text) connection_->Append(argv);
  for (const size_t i : again) {
    absl::StatusOr<Reply> reply = connection_->ReadReply();
    if (!reply.ok()) return reply.status();
    replies[i] = *std::move(reply);
  }
  return replies;
}

}  // namespace platform::redis
