-- Core: reads a transaction.
-- KEYS: 1 the transaction hash, 2 the stream. ARGV: 1 the connectors' group.
-- Answers the hash's fields and values, and when it is queued and a
-- connector holds its entry (delivered, not yet acknowledged), the pair
-- 'held', '1' besides. A group that does not exist yet holds nothing.
local fields = redis.call('HGETALL', KEYS[1])
local status, entry
for i = 1, #fields, 2 do
  if fields[i] == 'status' then status = fields[i + 1] end
  if fields[i] == 'entry_id' then entry = fields[i + 1] end
end
if status == 'queued' and entry then
  local pending = redis.pcall('XPENDING', KEYS[2], ARGV[1], entry, entry, 1)
  if type(pending) == 'table' and pending[1] then
    fields[#fields + 1] = 'held'
    fields[#fields + 1] = '1'
  end
end
return fields
