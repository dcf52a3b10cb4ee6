#include "actors/shared/ledger/schema.h"

#include "absl/strings/str_cat.h"
#include "actors/shared/redis/hash_slot.h"

namespace platform::ledger {

std::string TransactionKey(absl::string_view stream, absl::string_view id) {
  return absl::StrCat("transaction:{", redis::HashTagOf(stream), "}:", id);
}

std::string IdempotencyKey(absl::string_view stream, absl::string_view user_id,
                           absl::string_view digest) {
  return absl::StrCat("idempotency:{", redis::HashTagOf(stream), "}:", user_id, ":", digest);
}

std::string DefaultDeadLetterStream(absl::string_view stream) {
  return absl::StrCat("{", redis::HashTagOf(stream), "}:dead");
}

absl::Status CheckKeysShareSlot(absl::string_view stream, absl::string_view dead_letter_stream) {
  const absl::string_view tag = redis::HashTagOf(stream);
  if (redis::HashTagOf(TransactionKey(stream, "id")) != tag ||
      redis::HashTagOf(IdempotencyKey(stream, "1", "digest")) != tag) {
    return absl::InvalidArgumentError(absl::StrCat(
        "STREAM_NAME \"", stream,
        "\" has braces that are not one hash tag: its transactions' keys would not share its "
        "Redis Cluster slot (use a name without braces, or one tag such as {orders})"));
  }
  if (!dead_letter_stream.empty() &&
      redis::HashSlot(dead_letter_stream) != redis::HashSlot(stream)) {
    return absl::InvalidArgumentError(
        absl::StrCat("DEAD_LETTER_STREAM \"", dead_letter_stream,
                     "\" must share the Redis Cluster slot of STREAM_NAME \"", stream,
                     "\": give it the stream's hash tag, as in ", DefaultDeadLetterStream(stream)));
  }
  return absl::OkStatus();
}

}  // namespace platform::ledger
