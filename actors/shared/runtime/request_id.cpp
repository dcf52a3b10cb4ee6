#include "actors/shared/runtime/request_id.h"

#include <openssl/rand.h>

#include <array>
#include <cstdint>

#include "actors/shared/runtime/grpc_context.h"

namespace platform {

std::string NewRequestId() {
  std::array<uint8_t, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // OpenSSL's generator does not fail once seeded; a fixed id beats none.
    bytes.fill(0);
  }
  bytes[6] = (bytes[6] & 0x0F) | 0x40;  // version 4
  bytes[8] = (bytes[8] & 0x3F) | 0x80;  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id += '-';
    id += kHex[bytes[i] >> 4];
    id += kHex[bytes[i] & 0xF];
  }
  return id;
}

bool IsUsableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string RequestIdOf(const grpc::ServerContextBase& context) {
  std::string id = ClientMetadata(context, kRequestIdKey);
  return IsUsableRequestId(id) ? id : "";
}

}  // namespace platform
