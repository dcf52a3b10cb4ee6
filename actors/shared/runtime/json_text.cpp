#include "actors/shared/runtime/json_text.h"

#include <cstdint>

namespace platform::json {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendEscapedUnit(std::string& out, uint32_t unit) {
  out += "\\u";
  out += kHex[(unit >> 12) & 0xF];
  out += kHex[(unit >> 8) & 0xF];
  out += kHex[(unit >> 4) & 0xF];
  out += kHex[unit & 0xF];
}

// Decodes one UTF-8 sequence at text[i]; advances i. Returns U+FFFD for a
// malformed sequence (and consumes one byte), so the output is always JSON.
uint32_t DecodeUtf8(absl::string_view text, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t lead = byte(i);
  int extra = 0;
  uint32_t code = 0;
  uint32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    extra = 1, code = lead & 0x1F, minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    extra = 2, code = lead & 0x0F, minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    extra = 3, code = lead & 0x07, minimum = 0x10000;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + extra >= text.size()) {
    ++i;
    return 0xFFFD;
  }
  for (int k = 1; k <= extra; ++k) {
    const uint8_t next = byte(i + k);
    if ((next & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    code = (code << 6) | (next & 0x3F);
  }
  if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    ++i;
    return 0xFFFD;
  }
  i += extra + 1;
  return code;
}

}  // namespace

bool IsValidUtf8(absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    if (static_cast<uint8_t>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t start = i;
    // A malformed sequence decodes as U+FFFD from one byte; U+FFFD itself
    // takes three.
    if (DecodeUtf8(text, i) == 0xFFFD && i == start + 1) return false;
  }
  return true;
}

void AppendQuoted(std::string& out, absl::string_view text) {
  out += '"';
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<uint8_t>(text[i]);
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          if (c < 0x20 || c == 0x7F) {
            AppendEscapedUnit(out, c);  // Python escapes all but ' '..'~'.
          } else {
            out += static_cast<char>(c);
          }
      }
      continue;
    }
    const uint32_t code = DecodeUtf8(text, i);
    if (code >= 0x10000) {
      const uint32_t v = code - 0x10000;
      AppendEscapedUnit(out, 0xD800 + (v >> 10));
      AppendEscapedUnit(out, 0xDC00 + (v & 0x3FF));
    } else {
      AppendEscapedUnit(out, code);
    }
  }
  out += '"';
}

std::string ErrorBody(absl::string_view message) {
  std::string body = "{\"error\": ";
  AppendQuoted(body, message);
  body += '}';
  return body;
}

}  // namespace platform::json
