-- The work of members parked at their batch's deadline (timer-settle.lua) has ended: a member still parked
-- (its score is still the parked one: nobody re-scheduled or claimed it meanwhile) is removed when its work
-- succeeded, and made due after a pause when it failed. So a parked member never fires while its work runs.
-- KEYS[1] due zset. ARGV[1] the parked score, ARGV[2] the pause in ms, ARGV[3] n, then n succeeded members,
-- then the failed ones. Returns the number of members changed.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local parked = tonumber(ARGV[1])
local succeeded = tonumber(ARGV[3])
local changed = 0
for i = 4, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) == parked then
    if i < 4 + succeeded then
      redis.call('ZREM', KEYS[1], ARGV[i])
    else
      redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[i])
    end
    changed = changed + 1
  end
end
return changed
