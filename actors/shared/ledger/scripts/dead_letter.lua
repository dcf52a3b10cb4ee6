-- The connector: an entry no one could charge is copied to the dead-letter
-- stream (capped), the transaction it names failed with the reason (to
-- expire after the retention), and the entry acknowledged.
-- KEYS: 1 the stream, 2 the dead-letter stream, 3 the transaction's hash
--       (when the entry names one).
-- ARGV: 1 group, 2 entry id, 3 now (Unix ms), 4 reason, 5 retention (s),
--       6 dead letters kept at most, 7 the transaction's id.
local entries = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
if #entries == 1 then
  local fields = entries[1][2]
  local add = {'XADD', KEYS[2], 'MAXLEN', ARGV[6], '*', 'source_id', ARGV[2],
               'reason', ARGV[4]}
  for i = 1, #fields do add[#add + 1] = fields[i] end
  redis.call(unpack(add))
  -- Only the hash of the transaction this entry is for.
  local names = false
  for i = 1, #fields, 2 do
    if fields[i] == 'id' and fields[i + 1] == ARGV[7] then names = true end
  end
  if names and KEYS[3] then
    local status = redis.call('HGET', KEYS[3], 'status')
    if status == 'queued' or status == 'processing' then
      redis.call('HSET', KEYS[3], 'status', 'failed', 'reason', ARGV[4], 'updated_at_ms', ARGV[3])
    end
    if status then redis.call('EXPIRE', KEYS[3], ARGV[5]) end
  end
end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return 1
