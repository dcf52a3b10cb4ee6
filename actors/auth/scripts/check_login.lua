-- Auth: may this login be tried now, as far as one failure counter says?
-- KEYS: 1 the counter (the username's or the address's: apart, since a
-- Redis Cluster keeps them in different slots). ARGV: 1 its limit.
-- Answers the seconds until it is under its limit (0: now).
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count < tonumber(ARGV[1]) then return 0 end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 1 then ttl = 1 end
return ttl
