#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "actors/shared/redis/redis_url.h"

struct redisContext;

namespace platform::redis {

// A Redis reply as a plain value, independent of hiredis's memory.
struct Reply {
  enum class Type { kString, kStatus, kInteger, kNil, kArray, kError };
  Type type = Type::kNil;
  std::string text;  // kString, kStatus, kError
  int64_t integer = 0;
  std::vector<Reply> elements;  // kArray

  bool is_error() const { return type == Type::kError; }
  bool is_nil() const { return type == Type::kNil; }
};

// The first reply in `bytes`, in Redis's wire format (RESP), read as a
// connection reads it; INVALID_ARGUMENT when the bytes are not one whole
// reply. For the fuzzers and tools that hold replies as bytes.
absl::StatusOr<Reply> ParseReply(absl::string_view bytes);

// One blocking connection to Redis (hiredis). Not thread-safe: exactly one
// owner uses it (an actor, a pipeline thread), never a gRPC or I/O thread.
// Every read and write is bounded by the timeout; after any I/O error the
// connection is broken and must be replaced.
class Connection {
 public:
  // Connects, then AUTH and SELECT as the endpoint says.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const Endpoint& endpoint,
                                                          absl::Duration timeout);
  ~Connection();

  // Pipelining: queue commands, then read their replies in order.
  void Append(const std::vector<std::string>& argv);
  // UNAVAILABLE on an I/O error or timeout (the connection is then broken);
  // a Redis error reply is a Reply of Type::kError, not an error status.
  absl::StatusOr<Reply> ReadReply();
  absl::StatusOr<Reply> Run(const std::vector<std::string>& argv);

  bool broken() const { return broken_; }

 private:
  explicit Connection(redisContext* context) : context_(context) {}

  redisContext* context_;
  bool broken_ = false;
};

}  // namespace platform::redis
