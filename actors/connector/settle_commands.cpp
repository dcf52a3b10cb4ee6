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
      {ledger::TransactionKey(config.stream, settled.entry.transaction_id), config.stream},
      {config.group, settled.entry.entry_id, settled.status, settled.psp_reference, settled.reason,
       absl::StrCat(settled.attempts), now_ms, Retention(config)});
}

std::vector<std::string> DeadLetterCommand(const ConnectorConfig& config, const StreamEntry& entry,
                                           const std::string& reason, const std::string& now_ms) {
  const std::string& id = entry.transaction_id.empty() ? entry.listed_id : entry.transaction_id;
  std::vector<std::string> keys = {config.stream, config.dead_letter_stream};
  if (!id.empty()) keys.push_back(ledger::TransactionKey(config.stream, id));
  return ledger::DeadLetterScript().Call(
      std::move(keys), {config.group, entry.entry_id, now_ms, reason, Retention(config),
                        absl::StrCat(config.dead_letter_max_length), id});
}

}  // namespace platform::connector
