package com.otporchestrator.store;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

/** The shared Redis client. Every command is pipelined on pooled connections. */
public final class RedisStore {
  private RedisStore() {}

  public static Redis client(Vertx vertx, String redisUrl, int poolSize) {
    RedisOptions options = new RedisOptions()
        .setConnectionString(redisUrl)
        .setMaxPoolSize(poolSize)
        .setMaxPoolWaiting(100_000)
        .setMaxWaitingHandlers(100_000)
        .setPoolName("redis") // metrics labels: pool_name, client_namespace (the default name is a random UUID)
        .setMetricsName("redis");
    return Redis.createClient(vertx, options);
  }

  public static RedisAPI api(Redis redis) {
    return RedisAPI.api(redis);
  }
}
