#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace platform::core {

// "tx_" and a ULID in lower-case Crockford base32: 48 bits of milliseconds
// since the epoch, then 80 random bits. Ids sort by creation time and are
// recognisable at a glance (the gateway routes only this form).
std::string NewTransactionId(absl::Time now = absl::Now());

bool IsTransactionId(absl::string_view text);

}  // namespace platform::core
