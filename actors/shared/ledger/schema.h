#pragma once

#include <string>

#include "absl/strings/string_view.h"

// The platform's data in Redis, written down once: what core writes when it
// accepts a transaction, what the connector reads and settles, and what
// core's GET reads back. The Lua scripts beside this file
// (actors/shared/ledger/scripts/) are the only code that changes it.
//
//   <stream> ("transactions")   one entry per accepted transaction:
//                               field "id" (its id) and field "event" (a
//                               serialized platform.core.v1.TransactionQueued)
//   <group> ("connectors")      the connectors' consumer group on it; an
//                               entry a connector holds (delivered, not yet
//                               acknowledged) is "processing"
//   transaction:<id>            a hash: the transaction and its status
//   <dead-letter stream>        entries no connector could charge, with
//   ("transactions:dead")       "source_id" and "reason" added
//
// A status moves only forward: queued -> approved | declined | failed.
// "processing" is never stored; core reads it from the group's pending list.
namespace platform::ledger {

inline constexpr absl::string_view kDefaultStream = "transactions";
inline constexpr absl::string_view kDefaultGroup = "connectors";
inline constexpr absl::string_view kDefaultDeadLetterStream = "transactions:dead";

// The key of a transaction's hash.
std::string TransactionKey(absl::string_view id);
// What every such key starts with (the dead-letter script builds the key
// from an entry it reads, and takes this as an argument).
inline constexpr absl::string_view kTransactionKeyPrefix = "transaction:";

// The hash's fields.
namespace field {
inline constexpr absl::string_view kId = "id";
inline constexpr absl::string_view kStatus = "status";
inline constexpr absl::string_view kUserId = "user_id";
inline constexpr absl::string_view kAmount = "amount";
inline constexpr absl::string_view kCurrency = "currency";
inline constexpr absl::string_view kRequestId = "request_id";
inline constexpr absl::string_view kCreatedAtMs = "created_at_ms";
inline constexpr absl::string_view kUpdatedAtMs = "updated_at_ms";
inline constexpr absl::string_view kEntryId = "entry_id";  // its stream entry
inline constexpr absl::string_view kPspReference = "psp_reference";
inline constexpr absl::string_view kReason = "reason";
inline constexpr absl::string_view kAttempts = "attempts";
}  // namespace field

// The status values, in the hash and in the API.
namespace status {
inline constexpr absl::string_view kQueued = "queued";
inline constexpr absl::string_view kProcessing = "processing";  // read, never stored
inline constexpr absl::string_view kApproved = "approved";
inline constexpr absl::string_view kDeclined = "declined";
inline constexpr absl::string_view kFailed = "failed";
}  // namespace status

// The stream entry's fields.
namespace entry_field {
inline constexpr absl::string_view kId = "id";
inline constexpr absl::string_view kEvent = "event";
}  // namespace entry_field

}  // namespace platform::ledger
