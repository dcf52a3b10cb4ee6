#pragma once

#include <cstdint>
#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace platform::jwt {

// The claims of a platform token, in the order the reference writes them.
struct Claims {
  int64_t user_id = 0;
  std::string username;
  bool enabled = false;
  int64_t exp = 0;  // Unix seconds
};

// HS256 JSON Web Tokens as python-jose, the reference's library, writes and
// reads them, with its error messages, but stricter where it was lax:
// HS256 is the only algorithm accepted, the signature is compared in constant
// time before anything in the payload is trusted, and `exp`, `user_id` and
// `enabled` are required.
class Hs256 {
 public:
  // Signs with `secret`. Verifies with it or, during a rotation, with any of
  // `previous_secrets` (verify-only: tokens stay byte-identical to
  // python-jose's, so there is no key id to choose by). `leeway` forgives
  // that much clock skew on `exp` and `nbf` (python-jose's default: none).
  explicit Hs256(std::string secret, std::vector<std::string> previous_secrets = {},
                 absl::Duration leeway = absl::ZeroDuration());

  // Header {"alg":"HS256","typ":"JWT"} and the claims, compact JSON,
  // unpadded base64url: byte-for-byte what python-jose makes.
  std::string Sign(const Claims& claims) const;

  // INVALID_ARGUMENT with the reference's message ("Not enough segments",
  // "Signature verification failed.", "The specified alg value is not
  // allowed", "Signature has expired.", ...) when the token is not good at
  // `now`.
  absl::StatusOr<Claims> Verify(absl::string_view token, absl::Time now) const;

 private:
  static std::string Mac(const std::string& secret, absl::string_view signing_input);
  // Whether `signature` is the MAC of `signing_input` under one of the secrets.
  bool SignedByUs(absl::string_view signing_input, const std::string& signature) const;

  std::string secret_;
  std::vector<std::string> previous_secrets_;
  int64_t leeway_seconds_;
};

}  // namespace platform::jwt
