-- Token bucket for one account, one decision per call, on Redis's clock.
-- KEYS[1] bucket hash {tokens, at}. ARGV[1] refill per second, ARGV[2] burst (capacity), ARGV[3] cost.
-- Returns {allowed 0|1, tokens left (floor), ms until one more token, ms until full}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate / 1000)
end
local allowed = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
local full_ms = math.ceil((burst - tokens) * 1000 / rate)
redis.call('PEXPIRE', KEYS[1], full_ms + 1000)
local wait_ms = 0
if tokens < cost then wait_ms = math.ceil((cost - tokens) * 1000 / rate) end
return {allowed, math.floor(tokens), wait_ms, full_ms}
