-- Settles one lease: the members that were applied are done; the others (failed, or unfinished at the
-- batch deadline) go back into the due set, due again ARGV[2] ms from now. Runs at most once per lease:
-- once the lease is gone (settled before, or re-queued by the reaper) it changes nothing, so a handler
-- that completes after its batch's deadline neither acknowledges nor re-queues anything twice.
-- KEYS[1] due zset, KEYS[2] leases zset, KEYS[3] claims hash. ARGV[1] the lease id, ARGV[2] delay in ms,
-- ARGV[3..] the members to re-queue. NX keeps a member that was re-scheduled meanwhile at its own score.
-- Returns the number of members re-queued, or -1 when the lease was already gone.
if redis.call('HDEL', KEYS[3], ARGV[1]) == 0 then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return -1
end
redis.call('ZREM', KEYS[2], ARGV[1])
if #ARGV < 3 then return 0 end
local t = redis.call('TIME')
local at = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[2])
local requeued = 0
for i = 3, #ARGV do
  requeued = requeued + redis.call('ZADD', KEYS[1], 'NX', at, ARGV[i])
end
return requeued
