-- Auth: a failed login counts against one counter (the username's or the
-- address's). KEYS: 1 the counter. ARGV: 1 the window (s).
-- A window starts with its first failure and is not extended by the rest.
if redis.call('INCR', KEYS[1]) == 1 or redis.call('TTL', KEYS[1]) < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return 1
