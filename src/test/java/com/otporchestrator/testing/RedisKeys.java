package com.otporchestrator.testing;

import com.otporchestrator.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisCluster;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Blocking Redis helpers for the JUnit thread, limited to one test class's key prefix. On a cluster
 * client every master is scanned, since each one holds only the keys of its own slots.
 */
public final class RedisKeys {
  /** Large enough for SCAN to walk a whole test node's key space in one call. */
  private static final int CLUSTER_SCAN_COUNT = 10_000_000;

  private RedisKeys() {}

  /**
   * Deletes every key under {@code prefix} with SCAN MATCH + DEL, the way a lost or flushed Redis
   * looks to the service, without FLUSHALL: other test classes share the server. Answers how many.
   */
  public static long deleteAll(Redis redis, String prefix) {
    if (prefix == null || prefix.isEmpty()) throw new IllegalArgumentException("refusing to delete every key");
    if (RedisStore.isCluster(redis)) {
      // one DEL per key: a multi-key DEL would span slots
      List<Future<Response>> deleted = new ArrayList<>();
      for (String key : clusterKeys(redis, prefix)) deleted.add(redis.send(Request.cmd(Command.DEL).arg(key)));
      Await.result(Future.all(deleted));
      return deleted.stream().mapToLong(f -> f.result().toLong()).sum();
    }
    long deleted = 0;
    String cursor = "0";
    do {
      Response page = Await.result(redis.send(Request.cmd(Command.SCAN).arg(cursor)
          .arg("MATCH").arg(prefix + "*").arg("COUNT").arg(1000)));
      cursor = page.get(0).toString();
      Response keys = page.get(1);
      if (keys.size() > 0) {
        Request del = Request.cmd(Command.DEL);
        for (Response key : keys) del.arg(key.toString());
        deleted += Await.result(redis.send(del)).toLong();
      }
    } while (!"0".equals(cursor));
    return deleted;
  }

  /** How many keys exist under {@code prefix}. */
  public static long count(Redis redis, String prefix) {
    if (RedisStore.isCluster(redis)) return clusterKeys(redis, prefix).size();
    long count = 0;
    String cursor = "0";
    do {
      Response page = Await.result(redis.send(Request.cmd(Command.SCAN).arg(cursor)
          .arg("MATCH").arg(prefix + "*").arg("COUNT").arg(1000)));
      cursor = page.get(0).toString();
      count += page.get(1).size();
    } while (!"0".equals(cursor));
    return count;
  }

  /**
   * The keys under {@code prefix} on every master. A SCAN cursor belongs to one node, and the client
   * can only send one request to all masters, so each master is asked for its whole key space in one
   * SCAN call (a COUNT beyond its size), and a master that did not finish is an error, not a miss.
   */
  private static Set<String> clusterKeys(Redis redis, String prefix) {
    List<Response> pages = Await.result(RedisCluster.create(redis).onAllMasterNodes(Request.cmd(Command.SCAN).arg("0")
        .arg("MATCH").arg(prefix + "*").arg("COUNT").arg(CLUSTER_SCAN_COUNT)));
    Set<String> keys = new LinkedHashSet<>();
    for (Response page : pages) {
      if (!"0".equals(page.get(0).toString())) {
        throw new IllegalStateException("a master did not finish SCAN in one call (cursor " + page.get(0) + ")");
      }
      for (Response key : page.get(1)) keys.add(key.toString());
    }
    return keys;
  }

  public static long zcard(Redis redis, String key) {
    return Await.result(redis.send(Request.cmd(Command.ZCARD).arg(key))).toLong();
  }
}
