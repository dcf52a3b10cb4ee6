#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "actors/shared/jwt/hs256.h"
#include "actors/shared/runtime/env_config.h"

namespace platform::jwt {

// The JWT settings auth and core share, declared once.
struct JwtSettings {
  std::string secret;
  std::vector<std::string> previous_secrets;  // verify-only, for a rotation
  absl::Duration leeway;                      // clock skew forgiven on exp and nbf
  bool weak_secret_allowed = false;           // a secret under kMinSecretBytes, on purpose
};

// HS256 keys shorter than the hash's 32 bytes can be brute-forced offline
// from one token.
inline constexpr size_t kMinSecretBytes = 32;

// JWT_SECRET (required, at least kMinSecretBytes unless
// JWT_ALLOW_WEAK_SECRET=1), JWT_PREVIOUS_SECRETS (comma-separated,
// verify-only) and JWT_LEEWAY_SECONDS. `use` says what the program does with
// the secret, for --help.
JwtSettings LoadJwtSettings(config::Environment& env, absl::string_view use);

// The codec these settings describe.
Hs256 CodecFor(const JwtSettings& settings);

// Logs a warning when the secret is weak by permission; call once at start.
void WarnIfWeak(const JwtSettings& settings);

}  // namespace platform::jwt
