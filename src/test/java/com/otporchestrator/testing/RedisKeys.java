package com.otporchestrator.testing;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Blocking Redis helpers for the JUnit thread, limited to one test class's key prefix. */
public final class RedisKeys {
  private RedisKeys() {}

  /**
   * Deletes every key under {@code prefix} with SCAN MATCH + DEL, the way a lost or flushed Redis
   * looks to the service, without FLUSHALL: other test classes share the server. Answers how many.
   */
  public static long deleteAll(Redis redis, String prefix) {
    if (prefix == null || prefix.isEmpty()) throw new IllegalArgumentException("refusing to delete every key");
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

  public static long zcard(Redis redis, String key) {
    return Await.result(redis.send(Request.cmd(Command.ZCARD).arg(key))).toLong();
  }
}
