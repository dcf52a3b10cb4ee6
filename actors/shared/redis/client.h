#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "actors/shared/redis/connection.h"
#include "actors/shared/redis/redis_url.h"

namespace platform::redis {

// A blocking Redis client for one owner (a detached actor): connects on
// first use, and after an I/O error drops the connection and connects again
// on the next command. UNAVAILABLE while Redis cannot be reached.
class Client {
 public:
  Client(Endpoint endpoint, absl::Duration timeout);

  absl::StatusOr<Reply> Run(const std::vector<std::string>& argv);
  // Sends all, then reads all replies (one round trip).
  absl::StatusOr<std::vector<Reply>> RunAll(const std::vector<std::vector<std::string>>& commands);

  bool connected() const { return connection_ != nullptr && !connection_->broken(); }

 private:
  absl::Status EnsureConnected();

  Endpoint endpoint_;
  absl::Duration timeout_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace platform::redis
