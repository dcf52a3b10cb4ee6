#include "actors/core/transaction_id.h"

#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "absl/numeric/int128.h"

namespace platform::core {
namespace {

constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
constexpr absl::string_view kPrefix = "tx_";
constexpr size_t kUlidLength = 26;

}  // namespace

std::string NewTransactionId(absl::Time now) {
  // 128 bits: 48 of time, 80 of randomness, written 5 bits a character
  // (26 characters; the first carries only 3 bits).
  const uint64_t millis = static_cast<uint64_t>(absl::ToUnixMillis(now)) & 0xFFFFFFFFFFFFull;
  std::array<uint8_t, 10> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    // OpenSSL's generator does not fail once seeded; never hand out a fixed id.
    std::abort();
  }
  absl::uint128 value = absl::uint128(millis) << 80;
  for (size_t i = 0; i < random.size(); ++i) {
    value |= absl::uint128(random[i]) << static_cast<int>(8 * (random.size() - 1 - i));
  }
  std::string id(kPrefix);
  id.resize(kPrefix.size() + kUlidLength);
  for (size_t i = 0; i < kUlidLength; ++i) {
    id[id.size() - 1 - i] = kAlphabet[absl::Uint128Low64(value) & 0x1F];
    value >>= 5;
  }
  return id;
}

bool IsTransactionId(absl::string_view text) {
  if (text.size() != kPrefix.size() + kUlidLength || text.substr(0, kPrefix.size()) != kPrefix) {
    return false;
  }
  for (char c : text.substr(kPrefix.size())) {
    if (std::strchr(kAlphabet, c) == nullptr || c == '\0') return false;
  }
  return text[kPrefix.size()] <= '7';  // 128 bits: the first character holds 3
}

}  // namespace platform::core
