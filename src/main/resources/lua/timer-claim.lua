-- Claims up to ARGV[1] due members of one timer shard's lane, atomically, under one lease.
-- KEYS[1] due zset, KEYS[2] leases zset (lease id -> lease deadline), KEYS[3] claims hash
-- (lease id -> members), KEYS[4] the shard's seeded marker. ARGV[1] limit, ARGV[2] lease length in ms,
-- ARGV[3] the lease id, unique per claim and made by the claiming engine (a Redis counter would restart
-- after a data loss, and an old batch could then acknowledge a new one).
-- Time is Redis's own clock, never a pod's.
-- Returns {leaseId, {member, score, ...}, now, seeded} or {'', nextDueScore or '-1', now, seeded}; seeded is
-- 0 when the marker is gone, i.e. Redis lost this shard's index and it must be rebuilt from PostgreSQL.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local seeded = redis.call('EXISTS', KEYS[4])
local due = redis.call('ZRANGE', KEYS[1], '-inf', now, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[1]), 'WITHSCORES')
if #due == 0 then
  local nxt = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {'', nxt[2] or '-1', tostring(now), seeded}
end
local count = #due / 2
-- The due members are exactly the lowest-ranked ones, so removing by rank is exact and O(log n + k).
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, count - 1)
local members = {}
for i = 1, #due, 2 do members[#members + 1] = due[i] end
local lease = ARGV[3]
redis.call('HSET', KEYS[3], lease, table.concat(members, ','))
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), lease)
return {lease, due, tostring(now), seeded}
