-- Puts the members of expired leases back into the due set (a pod died or stalled mid-batch).
-- KEYS[1] due zset, KEYS[2] leases zset, KEYS[3] claims hash. ARGV[1] max leases per call,
-- ARGV[2] '1' to release the given lease ids (ARGV[3..]) now whatever their deadline (shutdown).
-- NX keeps a member that was re-scheduled meanwhile at its newer score.
-- Returns the number of members re-queued.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local leases
if ARGV[2] == '1' then
  leases = {}
  for i = 3, #ARGV do leases[#leases + 1] = ARGV[i] end
else
  leases = redis.call('ZRANGE', KEYS[2], '-inf', now, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[1]))
end
local requeued = 0
for _, lease in ipairs(leases) do
  local members = redis.call('HGET', KEYS[3], lease)
  if members then
    for member in string.gmatch(members, '[^,]+') do
      requeued = requeued + redis.call('ZADD', KEYS[1], 'NX', now, member)
    end
    redis.call('HDEL', KEYS[3], lease)
  end
  redis.call('ZREM', KEYS[2], lease)
end
return requeued
