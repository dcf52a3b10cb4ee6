-- The connector: a charge's outcome into the transaction's hash (which then
-- expires after the retention), and its entry acknowledged, in one step.
-- A status moves only forward, so running this twice (a redelivery, a
-- retried batch) changes nothing. ('processing' was written by earlier
-- versions and may still be found.)
-- KEYS: 1 the transaction hash, 2 the stream.
-- ARGV: 1 group, 2 entry id, 3 status, 4 psp reference, 5 reason,
--       6 attempts, 7 now (Unix ms), 8 retention (s).
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'queued' or status == 'processing' then
  redis.call('HSET', KEYS[1], 'status', ARGV[3], 'psp_reference', ARGV[4], 'reason', ARGV[5],
             'attempts', ARGV[6], 'updated_at_ms', ARGV[7])
end
if status then redis.call('EXPIRE', KEYS[1], ARGV[8]) end
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
return 1
