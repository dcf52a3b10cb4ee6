#pragma once

#include "absl/strings/string_view.h"

namespace platform::redis {

// Redis Cluster keeps every key in one of 16384 slots, and a command or a
// script may touch keys of one slot only. A key's slot is the CRC16 of its
// hash tag (what lies between its first '{' and the first '}' after it,
// when that is not empty) or else of the whole key.
inline constexpr int kHashSlots = 16384;

// The part of `key` Redis Cluster hashes.
absl::string_view HashTagOf(absl::string_view key);

// The slot of `key`, as `CLUSTER KEYSLOT` answers it.
int HashSlot(absl::string_view key);

}  // namespace platform::redis
