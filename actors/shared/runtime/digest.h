#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace platform {

// Lower-case hex of the SHA-256 of `text`: a fixed-length Redis key part for
// any client-chosen text (an Idempotency-Key, a username, an address).
std::string Sha256Hex(absl::string_view text);

// Lower-case hex of the SHA-1 of `text`: what Redis names a script by (EVALSHA).
std::string Sha1Hex(absl::string_view text);

}  // namespace platform
