#pragma once

#include <cstdint>
#include <string>
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
  explicit Hs256(std::string secret);

  // Header {"alg":"HS256","typ":"JWT"} and the claims, compact JSON,
  // unpadded base64url: byte-for-byte what python-jose makes.
  std::string Sign(const Claims& claims) const;

  // INVALID_ARGUMENT with the reference's message ("Not enough segments",
  // "Signature verification failed.", "The specified alg value is not
  // allowed", "Signature has expired.", ...) when the token is not good at
  // `now`.
  absl::StatusOr<Claims> Verify(absl::string_view token, absl::Time now) const;

 private:
  std::string Mac(absl::string_view signing_input) const;

  std::string secret_;
};

}  // namespace platform::jwt
