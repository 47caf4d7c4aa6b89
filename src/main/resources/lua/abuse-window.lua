-- Sliding windows for abuse signals, one atomic call on Redis's clock.
-- KEYS: sorted sets of one account (or one identifier), all sharing a hash tag. ARGV[1] window in ms,
-- ARGV[2] member to add to KEYS[1] now ('' = add nothing), ARGV[3] how many of KEYS[1]'s newest members to return.
-- Every key is trimmed to the window and expires with it. Returns {count of each key..., newest members of KEYS[1]...}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
if ARGV[2] ~= '' then
  redis.call('ZADD', KEYS[1], now, ARGV[2])
end
local result = {}
for i = 1, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  redis.call('PEXPIRE', KEYS[i], window)
  result[#result + 1] = redis.call('ZCARD', KEYS[i])
end
local limit = tonumber(ARGV[3])
if limit > 0 then
  local members = redis.call('ZREVRANGE', KEYS[1], 0, limit - 1)
  for i = 1, #members do
    result[#result + 1] = members[i]
  end
end
return result
