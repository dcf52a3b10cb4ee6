#include "actors/connector/settle_commands.h"

#include "absl/strings/str_cat.h"
#include "actors/shared/ledger/schema.h"
#include "actors/shared/ledger/scripts.h"

namespace platform::connector {
namespace {

std::string Retention(const ConnectorConfig& config) {
  return absl::StrCat(absl::ToInt64Seconds(config.transaction_retention));
}

}  // namespace

std::vector<std::string> SettleCommand(const ConnectorConfig& config, const Settlement& settled,
                                       const std::string& now_ms) {
  return ledger::SettleTransactionScript().Call(
      {ledger::TransactionKey(settled.entry.transaction_id), config.stream},
      {config.group, settled.entry.entry_id, settled.status, settled.psp_reference, settled.reason,
       absl::StrCat(settled.attempts), now_ms, Retention(config)});
}

std::vector<std::string> DeadLetterCommand(const ConnectorConfig& config,
                                           const std::string& entry_id, const std::string& reason,
                                           const std::string& now_ms) {
  return ledger::DeadLetterScript().Call(
      {config.stream, config.dead_letter_stream},
      {config.group, entry_id, now_ms, reason, Retention(config),
       absl::StrCat(config.dead_letter_max_length), std::string(ledger::kTransactionKeyPrefix)});
}

}  // namespace platform::connector
