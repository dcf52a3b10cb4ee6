-- The connector: an entry no one could charge is copied to the dead-letter
-- stream (capped), its transaction failed with the reason (to expire after
-- the retention), and the entry acknowledged.
-- KEYS: 1 the stream, 2 the dead-letter stream.
-- ARGV: 1 group, 2 entry id, 3 now (Unix ms), 4 reason, 5 retention (s),
--       6 dead letters kept at most, 7 the transaction key prefix.
local entries = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
if #entries == 1 then
  local fields = entries[1][2]
  local add = {'XADD', KEYS[2], 'MAXLEN', ARGV[6], '*', 'source_id', ARGV[2],
               'reason', ARGV[4]}
  for i = 1, #fields do add[#add + 1] = fields[i] end
  redis.call(unpack(add))
  for i = 1, #fields, 2 do
    if fields[i] == 'id' then
      local key = ARGV[7] .. fields[i + 1]
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
