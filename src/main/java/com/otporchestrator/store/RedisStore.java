package com.otporchestrator.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisCluster;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import java.util.List;

/**
 * The shared Redis client. Every command is pipelined on pooled connections. Standalone (one URL) or
 * Redis Cluster (several seed nodes): the cluster client reads the slot map from a seed, routes each
 * command by its key's slot and follows MOVED/ASK, with a pool of {@code poolSize} connections per node.
 */
public final class RedisStore {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RedisStore.class);

  private RedisStore() {}

  /** A standalone client on one Redis. */
  public static Redis client(Vertx vertx, String redisUrl, int poolSize) {
    return client(vertx, List.of(redisUrl), false, poolSize);
  }

  /**
   * A standalone client on {@code endpoints.get(0)}, or with {@code cluster} a cluster client seeded
   * by every endpoint. The wait queue is deep in both modes: the engine and the API pipeline
   * thousands of commands at once, and the default (24) answers "max wait queue size" under load.
   */
  public static Redis client(Vertx vertx, List<String> endpoints, boolean cluster, int poolSize) {
    if (endpoints.isEmpty()) throw new IllegalArgumentException("no Redis endpoint");
    if (!cluster) {
      // Standalone: one client per event loop (EventLoopRedis), each with half the connections.
      int perLoop = Math.max(1, (poolSize + 1) / 2);
      java.util.concurrent.atomic.AtomicInteger clients = new java.util.concurrent.atomic.AtomicInteger();
      return new EventLoopRedis(vertx, () -> {
        int n = clients.getAndIncrement(); // metrics: one pool per client, "redis" then "redis-1", "redis-2"...
        return Redis.createClient(vertx, options(perLoop).setPoolName(n == 0 ? "redis" : "redis-" + n)
            .setConnectionString(endpoints.get(0)));
      });
    }
    RedisOptions options = options(poolSize).setType(RedisClientType.CLUSTER).setEndpoints(List.copyOf(endpoints))
        .setRole(RedisRole.MASTER);
    return Redis.createClient(vertx, options);
  }

  /**
   * One connection for the readiness check alone, so that its PING never queues behind the node's own pipelined
   * commands (standalone: to {@code endpoints.get(0)}; cluster: to any master).
   */
  public static Redis healthClient(Vertx vertx, List<String> endpoints, boolean cluster) {
    if (endpoints.isEmpty()) throw new IllegalArgumentException("no Redis endpoint");
    RedisOptions options = options(1).setPoolName("redis-health").setMaxPoolWaiting(16).setMaxWaitingHandlers(16);
    if (!cluster) return Redis.createClient(vertx, options.setConnectionString(endpoints.get(0)));
    return Redis.createClient(vertx, options.setType(RedisClientType.CLUSTER).setEndpoints(List.copyOf(endpoints))
        .setRole(RedisRole.MASTER));
  }

  private static RedisOptions options(int poolSize) {
    return new RedisOptions()
        .setMaxPoolSize(poolSize)
        .setMaxPoolWaiting(100_000)
        .setMaxWaitingHandlers(100_000)
        .setPoolName("redis") // metrics labels: pool_name, client_namespace (the default name is a random UUID)
        .setMetricsName("redis");
  }

  public static boolean isCluster(Redis redis) {
    try {
      RedisCluster.create(redis);
      return true;
    } catch (IllegalArgumentException notACluster) {
      return false;
    }
  }

  /**
   * Caches the scripts on every master (SCRIPT LOAD), so the first EVALSHA after start-up hits. Only
   * an optimisation: {@link LuaScript#run} falls back to EVAL on NOSCRIPT, which also covers a master
   * promoted or added later.
   */
  public static Future<Void> preload(Redis redis, List<LuaScript> scripts) {
    if (!isCluster(redis)) return Future.succeededFuture();
    RedisCluster cluster = RedisCluster.create(redis);
    Future<Void> chain = Future.succeededFuture();
    for (LuaScript script : scripts) {
      chain = chain.compose(v -> cluster.onAllMasterNodes(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source())))
          .mapEmpty();
    }
    return chain.recover(error -> {
      LOG.warn("could not load the Lua scripts on every master (EVAL falls back on first use): {}", error.toString());
      return Future.succeededFuture();
    });
  }

  public static RedisAPI api(Redis redis) {
    return RedisAPI.api(redis);
  }
}
