-- Forgets finished leases once their work is committed in PostgreSQL.
-- KEYS[1] leases zset, KEYS[2] claims hash; ARGV lease ids.
for i = 1, #ARGV do
  redis.call('ZREM', KEYS[1], ARGV[i])
  redis.call('HDEL', KEYS[2], ARGV[i])
end
return #ARGV
