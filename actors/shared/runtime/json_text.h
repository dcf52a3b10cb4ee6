#pragma once

#include <string>
#include "absl/strings/string_view.h"

namespace platform::json {

// Appends `text` (UTF-8) as a JSON string literal the way Python's
// json.dumps writes it with its defaults (ensure_ascii=True): quotes,
// backslashes, control characters and DEL escaped, every non-ASCII code point as
// \uXXXX (a surrogate pair above U+FFFF). Tokens must be byte-identical to
// the reference's, which python-jose serialises with json.dumps; invalid
// UTF-8 bytes are written as U+FFFD.
void AppendQuoted(std::string& out, absl::string_view text);

inline std::string Quoted(absl::string_view text) {
  std::string out;
  AppendQuoted(out, text);
  return out;
}

// Whether `text` is well-formed UTF-8 (no overlong form, surrogate or code
// point past U+10FFFF): what a proto3 string field must hold, or its
// message fails to parse at the service that receives it.
bool IsValidUtf8(absl::string_view text);

// {"error": "<message>"}: the one shape of every error body the platform sends.
std::string ErrorBody(absl::string_view message);

}  // namespace platform::json
