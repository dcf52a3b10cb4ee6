#pragma once

// The connector's Redis steps, each one atomic Lua script. A status moves
// only forward: queued -> processing -> approved | declined | failed, so a
// script that runs twice (a redelivery, a retried batch) changes nothing.
namespace platform::connector {

// KEYS: transaction hash. ARGV: now (ms).
inline constexpr char kMarkProcessingScript[] = R"lua(
if redis.call('HGET', KEYS[1], 'status') == 'queued' then
  redis.call('HSET', KEYS[1], 'status', 'processing', 'updated_at_ms', ARGV[1])
end
return 1
)lua";

// KEYS: transaction hash, stream. ARGV: group, entry id, status, psp
// reference, reason, attempts, now (ms), retention (s). Records the
// outcome, lets the settled hash expire after the retention, then XACK.
inline constexpr char kSettleScript[] = R"lua(
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'queued' or status == 'processing' then
  redis.call('HSET', KEYS[1], 'status', ARGV[3], 'psp_reference', ARGV[4], 'reason', ARGV[5],
             'attempts', ARGV[6], 'updated_at_ms', ARGV[7])
end
if status then redis.call('EXPIRE', KEYS[1], ARGV[8]) end
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
return 1
)lua";

// KEYS: stream, dead-letter stream. ARGV: group, entry id, now (ms), reason,
// retention (s), dead letters kept at most. Copies the entry to the
// dead-letter stream (capped), marks its transaction failed (to expire
// after the retention), then XACK.
inline constexpr char kDeadLetterScript[] = R"lua(
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
)lua";

}  // namespace platform::connector
