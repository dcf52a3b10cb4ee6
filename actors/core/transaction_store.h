#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "actors/core/idempotency.h"

namespace platform::core {

// A transaction as the platform keeps it.
struct TransactionRecord {
  std::string id;
  int64_t user_id = 0;
  int64_t amount = 0;
  std::string currency;
  std::string status;  // queued, processing, approved, declined, failed
  std::string psp_reference;
  std::string reason;
  std::string request_id;
  std::string traceparent;  // core's span, for the stream entry
  int64_t created_at_ms = 0;
};

struct CreateOutcome {
  // The transaction the caller gets: the new one, or on a replay of an
  // Idempotency-Key the one the key first created.
  TransactionRecord transaction;
  bool replayed = false;
};

// Where transactions live. Implementations answer through callbacks, from a
// thread of their own, and never block the caller.
class TransactionStore {
 public:
  using CreateDone = std::function<void(absl::StatusOr<CreateOutcome>)>;
  using FindDone = std::function<void(absl::StatusOr<std::optional<TransactionRecord>>)>;

  virtual ~TransactionStore() = default;

  // Makes `transaction` durable and queues it for the connector in one
  // atomic step, unless `claim` names a key already used: then the first
  // transaction comes back (same fingerprint) or ALREADY_EXISTS (another).
  // UNAVAILABLE when the store cannot be reached, DEADLINE_EXCEEDED when
  // the step could not be taken by `not_after`: in both, nothing was stored
  // and nothing ever will be from this call, so a caller told it failed
  // may safely retry.
  virtual void Create(const TransactionRecord& transaction,
                      const std::optional<IdempotencyClaim>& claim, absl::Time not_after,
                      CreateDone done) = 0;

  virtual void Find(const std::string& id, FindDone done) = 0;
};

}  // namespace platform::core
