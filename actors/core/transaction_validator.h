#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "actors/shared/jwt/hs256.h"
#include "platform/core/v1/core.pb.h"

namespace platform::core {

// The largest amount the platform holds: every amount must travel as an
// exact JSON number (below 2^53).
inline constexpr int64_t kMaxAmount = 9007199254740991;

struct ValidTransaction {
  int64_t user_id = 0;
  int64_t amount = 0;
  std::string currency;
};

// The reference's checks in the reference's order, with its messages:
// token blank, amount blank, currency blank, amount valid, currency form,
// token, enabled. INVALID_ARGUMENT for the first that fails (the gateway
// answers 422), PERMISSION_DENIED for a user not enabled (403).
absl::StatusOr<ValidTransaction> ValidateCreate(const v1::CreateTransactionRequest& request,
                                                const jwt::Hs256& tokens, absl::Time now);

// A token good enough to read with: blank, or anything the JWT module
// refuses, is INVALID_ARGUMENT with the same messages.
absl::StatusOr<jwt::Claims> Authenticate(absl::string_view token, const jwt::Hs256& tokens,
                                         absl::Time now);

}  // namespace platform::core
