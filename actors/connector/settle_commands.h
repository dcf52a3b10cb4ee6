#pragma once

#include <string>
#include <vector>

#include "actors/connector/config.h"
#include "actors/connector/messages.h"

// The connector's writes to a transaction, each one atomic Lua script of
// actors/shared/ledger/scripts/ called by its SHA-1. A status moves only
// forward, so a command that runs twice (a redelivery, a retried batch)
// changes nothing.
namespace platform::connector {

// The outcome into the transaction's hash (which then expires after the
// retention), and the entry acknowledged (XACK): one step.
std::vector<std::string> SettleCommand(const ConnectorConfig& config, const Settlement& settled,
                                       const std::string& now_ms);

// The entry copied to the dead-letter stream (capped), its transaction
// failed with `reason` (to expire after the retention), the entry
// acknowledged. The transaction is the one the entry names, even when its
// event is unreadable.
std::vector<std::string> DeadLetterCommand(const ConnectorConfig& config, const StreamEntry& entry,
                                           const std::string& reason, const std::string& now_ms);

}  // namespace platform::connector
