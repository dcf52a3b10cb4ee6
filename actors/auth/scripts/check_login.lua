-- Auth: may this login be tried now?
-- KEYS: the username's failure counter, the address's. ARGV: their limits.
-- Answers the seconds until both are under their limits (0: now).
local wait = 0
for i = 1, 2 do
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if count >= tonumber(ARGV[i]) then
    local ttl = redis.call('TTL', KEYS[i])
    if ttl < 1 then ttl = 1 end
    if ttl > wait then wait = ttl end
  end
end
return wait
