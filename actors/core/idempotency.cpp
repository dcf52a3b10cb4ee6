#include "actors/core/idempotency.h"

#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/digest.h"

namespace platform::core {

absl::StatusOr<std::optional<IdempotencyClaim>> MakeIdempotencyClaim(
    absl::string_view key, const ValidTransaction& transaction) {
  if (key.empty()) return std::nullopt;
  if (key.size() > 255) return absl::InvalidArgumentError("Invalid Idempotency-Key");
  for (char c : key) {
    if (c < 0x20 || c > 0x7E) return absl::InvalidArgumentError("Invalid Idempotency-Key");
  }
  IdempotencyClaim claim;
  claim.redis_key = absl::StrCat("idempotency:", transaction.user_id, ":", Sha256Hex(key));
  claim.fingerprint =
      Sha256Hex(absl::StrCat(transaction.amount, "\n", transaction.currency)).substr(0, 32);
  return claim;
}

}  // namespace platform::core
