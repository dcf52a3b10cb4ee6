-- Auth: a failed login counts against the username and the address.
-- KEYS: the username's failure counter, the address's. ARGV: the window (s).
-- A window starts with its first failure and is not extended by the rest.
for i = 1, 2 do
  if redis.call('INCR', KEYS[i]) == 1 or redis.call('TTL', KEYS[i]) < 0 then
    redis.call('EXPIRE', KEYS[i], ARGV[1])
  end
end
return 1
