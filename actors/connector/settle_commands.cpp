#include "actors/connector/settle_commands.h"

#include "absl/strings/str_cat.h"
#include "actors/shared/redis/script.h"

namespace platform::connector {
namespace {

// KEYS: transaction hash, stream. ARGV: group, entry id, status, psp
// reference, reason, attempts, now (ms), retention (s).
const redis::Script kSettleScript(R"lua(
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'queued' or status == 'processing' then
  redis.call('HSET', KEYS[1], 'status', ARGV[3], 'psp_reference', ARGV[4], 'reason', ARGV[5],
             'attempts', ARGV[6], 'updated_at_ms', ARGV[7])
end
if status then redis.call('EXPIRE', KEYS[1], ARGV[8]) end
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
return 1
)lua");

// KEYS: stream, dead-letter stream. ARGV: group, entry id, now (ms), reason,
// retention (s), dead letters kept at most.
const redis::Script kDeadLetterScript(R"lua(
local entries = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
if #entries == 1 then
  local fields = entries[1][2]
  local add = {'XADD', KEYS[2], 'MAXLEN', ARGV[6], '*', 'source_id', ARGV[2],
               'reason', ARGV[4]}
  for i = 1, #fields do add[#add + 1] = fields[i] end
  redis.call(unpack(add))
  for i = 1, #fields, 2 do
    if fields[i] == 'id' then
      local key = 'transaction:' .. fields[i + 1]
      local status = redis.call('HGET', key, 'status')
      if status == 'queued' or status == 'processing' then
        redis.call('HSET', key, 'status', 'failed', 'reason', ARGV[4], 'updated_at_ms', ARGV[3])
      end
      if status then redis.call('EXPIRE', key, ARGV[5]) end
    end
  end
end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return 1
)lua");

std::string Retention(const ConnectorConfig& config) {
  return absl::StrCat(absl::ToInt64Seconds(config.transaction_retention));
}

}  // namespace

std::vector<std::string> SettleCommand(const ConnectorConfig& config, const Settlement& settled,
                                       const std::string& now_ms) {
  return kSettleScript.Call(
      {"transaction:" + settled.entry.transaction_id, config.stream},
      {config.group, settled.entry.entry_id, settled.status, settled.psp_reference, settled.reason,
       absl::StrCat(settled.attempts), now_ms, Retention(config)});
}

std::vector<std::string> DeadLetterCommand(const ConnectorConfig& config,
                                           const std::string& entry_id, const std::string& reason,
                                           const std::string& now_ms) {
  return kDeadLetterScript.Call({config.stream, config.dead_letter_stream},
                                {config.group, entry_id, now_ms, reason, Retention(config),
                                 absl::StrCat(config.dead_letter_max_length)});
}

}  // namespace platform::connector
