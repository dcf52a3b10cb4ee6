-- Core: accepts a transaction. The stream entry, the transaction's hash and
-- the Idempotency-Key are written together, so a transaction is in all of
-- them or in none.
-- KEYS: 1 the transaction hash, 2 the stream, 3 the idempotency key (when
--       there is one: a Cluster would hash even '' to a slot).
-- ARGV: 1 id, 2 user_id, 3 amount, 4 currency, 5 request_id, 6 created_at_ms,
--       7 the stream event, 8 fingerprint, 9 idempotency window in seconds,
--       10 not after (Unix ms): past it the caller has been told the
--       request failed, so nothing may be created.
-- Answers {'created'}, {'replay', fingerprint, id} or {'expired'}.
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[10]) then
  return {'expired'}
end
if KEYS[3] then
  local previous = redis.call('GET', KEYS[3])
  if previous then
    local colon = string.find(previous, ':', 1, true)
    return {'replay', string.sub(previous, 1, colon - 1), string.sub(previous, colon + 1)}
  end
end
local entry = redis.call('XADD', KEYS[2], '*', 'id', ARGV[1], 'event', ARGV[7])
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'status', 'queued', 'user_id', ARGV[2],
           'amount', ARGV[3], 'currency', ARGV[4], 'request_id', ARGV[5],
           'created_at_ms', ARGV[6], 'updated_at_ms', ARGV[6], 'entry_id', entry)
if KEYS[3] then
  redis.call('SET', KEYS[3], ARGV[8] .. ':' .. ARGV[1], 'EX', ARGV[9])
end
return {'created'}
