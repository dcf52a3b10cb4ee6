-- Core: takes back a transaction whose create reached no replica in time
-- (its caller is then told it failed), unless a connector may already have
-- it: a failover could otherwise lose a transaction answered 200, or a
-- transaction answered 503 could still be charged.
-- KEYS: 1 the transaction hash, 2 the stream, 3 the idempotency key (when
--       there is one).
-- ARGV: 1 the connectors' group, 2 the transaction's id.
-- Answers 'withdrawn' (nothing of it is left), 'kept' (a connector has it
-- or has had it: it goes on) or 'gone' (there was nothing to take back).
local entry = redis.call('HGET', KEYS[1], 'entry_id')
if not entry then return 'gone' end
if redis.call('HGET', KEYS[1], 'status') ~= 'queued' then return 'kept' end

-- Stream ids are "<ms>-<seq>": both fit a Lua number exactly.
local function split(id)
  local dash = string.find(id, '-', 1, true)
  return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
end
local function delivered(id, last)
  local ms, seq = split(id)
  local last_ms, last_seq = split(last)
  return ms < last_ms or (ms == last_ms and seq <= last_seq)
end

local groups = redis.pcall('XINFO', 'GROUPS', KEYS[2])
if type(groups) == 'table' then
  for _, group in ipairs(groups) do
    local name, last
    for i = 1, #group, 2 do
      if group[i] == 'name' then name = group[i + 1] end
      if group[i] == 'last-delivered-id' then last = group[i + 1] end
    end
    if name == ARGV[1] and last and delivered(entry, last) then return 'kept' end
  end
end
redis.call('XDEL', KEYS[2], entry)
redis.call('DEL', KEYS[1])
if KEYS[3] then
  local claimed = redis.call('GET', KEYS[3])
  if claimed and string.sub(claimed, -(#ARGV[2] + 1)) == ':' .. ARGV[2] then
    redis.call('DEL', KEYS[3])
  end
end
return 'withdrawn'
