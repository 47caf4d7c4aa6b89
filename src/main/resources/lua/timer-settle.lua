-- Settles one lease: the members that were applied are done; the others go back into the due set, due
-- again ARGV[2] ms from now (failed members: after a pause; members still running at the batch deadline:
-- parked for the park time, so they fire again only if their work never ends, see timer-unpark.lua). Runs at
-- most once per lease: once the lease is gone (settled before, or re-queued by the reaper) it changes nothing.
-- KEYS[1] due zset, KEYS[2] leases zset, KEYS[3] claims hash. ARGV[1] the lease id, ARGV[2] delay in ms,
-- ARGV[3..] the members to send back. NX keeps a member that was re-scheduled meanwhile at its own score.
-- Returns {members sent back, their score}, or {-1, 0} when the lease was already gone.
if redis.call('HDEL', KEYS[3], ARGV[1]) == 0 then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return {-1, 0}
end
redis.call('ZREM', KEYS[2], ARGV[1])
local t = redis.call('TIME')
local at = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[2])
local requeued = 0
for i = 3, #ARGV do
  requeued = requeued + redis.call('ZADD', KEYS[1], 'NX', at, ARGV[i])
end
return {requeued, tostring(at)}
