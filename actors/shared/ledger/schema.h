#pragma once

#include <string>

#include "absl/status/status.h"
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
//   transaction:{<tag>}:<id>    a hash: the transaction and its status
//   idempotency:{<tag>}:<user>:<digest>
//                               an Idempotency-Key's fingerprint and id
//   <dead-letter stream>        entries no connector could charge, with
//   ("{transactions}:dead")     "source_id" and "reason" added
//
// <tag> is the stream's hash tag (its name, or the {tag} in its name). A
// script runs on one Redis Cluster slot, and the create writes a
// transaction's hash, its stream entry and its Idempotency-Key at once: so
// every key of a stream's transactions carries the stream's tag, and all of
// them, the dead letters too, share the stream's slot. The scripts take
// every key they touch as KEYS, and run unchanged on one Redis or a Cluster.
//
// A status moves only forward: queued -> approved | declined | failed.
// "processing" is never stored; core reads it from the group's pending list.
namespace platform::ledger {

inline constexpr absl::string_view kDefaultStream = "transactions";
inline constexpr absl::string_view kDefaultGroup = "connectors";

// The key of the hash of transaction `id`, whose entries go to `stream`.
std::string TransactionKey(absl::string_view stream, absl::string_view id);
// The key of a user's Idempotency-Key (`digest`: the key's SHA-256).
std::string IdempotencyKey(absl::string_view stream, absl::string_view user_id,
                           absl::string_view digest);
// "{<tag>}:dead": in the stream's slot, as the dead-letter script needs.
std::string DefaultDeadLetterStream(absl::string_view stream);
// INVALID_ARGUMENT naming the variable when the stream's keys (and the
// dead-letter stream, unless "") do not all fall in the stream's slot: a
// name with braces that are not one hash tag, such as "a}b" or "{}x".
absl::Status CheckKeysShareSlot(absl::string_view stream, absl::string_view dead_letter_stream);

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
