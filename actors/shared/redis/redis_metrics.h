#pragma once

#include <cstddef>

#include "absl/time/time.h"

namespace platform::redis {

// One round trip to Redis, for the metrics port: `commands` written in one
// go (a pipelined batch, or a single command) and their replies read back
// `elapsed` later; `ok` when every reply arrived (a Redis error reply is
// still a reply). Exported as redis_round_trip_seconds (histogram) and
// redis_commands_total{result="ok|unavailable"}.
void RecordRoundTrip(absl::Duration elapsed, size_t commands, bool ok);

}  // namespace platform::redis
