#include "actors/core/idempotency.h"

#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/digest.h"
#include "actors/shared/runtime/grpc_context.h"

namespace platform::core {

absl::StatusOr<std::optional<IdempotencyClaim>> MakeIdempotencyClaim(
    absl::string_view key, const ValidTransaction& transaction) {
  if (key.empty()) return std::nullopt;
  // Printable ASCII, as any metadata value, and short enough for a key.
  if (key.size() > 255 || !IsValidMetadataValue(key)) {
    return absl::InvalidArgumentError("Invalid Idempotency-Key");
  }
  IdempotencyClaim claim;
  claim.user_id = absl::StrCat(transaction.user_id);
  claim.key_digest = Sha256Hex(key);
  claim.fingerprint =
      Sha256Hex(absl::StrCat(transaction.amount, "\n", transaction.currency)).substr(0, 32);
  return claim;
}

}  // namespace platform::core
