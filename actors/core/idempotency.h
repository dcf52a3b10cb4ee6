#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "actors/core/transaction_validator.h"

namespace platform::core {

// A client's Idempotency-Key, scoped to its user, with what the request
// asked for. The same key with the same amount and currency within the
// window answers the first answer again; with another amount or currency it
// is refused. The token is not part of the fingerprint: a retry may come
// with a fresh token.
struct IdempotencyClaim {
  // Where Redis keeps it: ledger::IdempotencyKey(stream, user_id, key_digest).
  std::string user_id;
  std::string key_digest;  // the key's SHA-256, in hex
  std::string fingerprint;
};

// nullopt for no key (""); INVALID_ARGUMENT for a key that is not 1 to 255
// printable ASCII characters.
absl::StatusOr<std::optional<IdempotencyClaim>> MakeIdempotencyClaim(
    absl::string_view key, const ValidTransaction& transaction);

}  // namespace platform::core
