package com.otporchestrator.timer;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Schedules and cancels timers in Redis. Redis is only an index: every timer's truth is a row in
 * PostgreSQL, so a failed schedule is logged and left to the PostgreSQL sweep, never retried here.
 */
public final class TimerService {
  private final Redis redis;
  private final TimerKeys keys;

  public TimerService(Redis redis, TimerKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  public TimerKeys keys() {
    return keys;
  }

  public Future<Void> schedule(Timer timer) {
    return scheduleAll(List.of(timer));
  }

  /** One ZADD per shard, all pipelined: scheduling many timers costs one round trip. */
  public Future<Void> scheduleAll(Collection<Timer> timers) {
    if (timers.isEmpty()) return Future.succeededFuture();
    Map<Integer, Request> perShard = new HashMap<>();
    for (Timer timer : timers) {
      int shard = keys.shardOf(timer.id());
      perShard.computeIfAbsent(shard, s -> Request.cmd(Command.ZADD).arg(keys.due(s)))
          .arg(timer.dueMillis()).arg(timer.member());
    }
    List<Future<?>> sent = new ArrayList<>(perShard.size());
    perShard.values().forEach(request -> sent.add(redis.send(request)));
    return Future.all(sent).mapEmpty();
  }

  public Future<Void> cancel(TimerKind kind, long id) {
    return cancelAll(kind, List.of(id));
  }

  /** Removes timers that can no longer matter (a closed order's expiry), one ZREM per shard. */
  public Future<Void> cancelAll(TimerKind kind, Collection<Long> ids) {
    if (ids.isEmpty()) return Future.succeededFuture();
    Map<Integer, Request> perShard = new HashMap<>();
    for (long id : ids) {
      int shard = keys.shardOf(id);
      perShard.computeIfAbsent(shard, s -> Request.cmd(Command.ZREM).arg(keys.due(s))).arg(kind.member(id));
    }
    List<Future<?>> sent = new ArrayList<>(perShard.size());
    perShard.values().forEach(request -> sent.add(redis.send(request)));
    return Future.all(sent).mapEmpty();
  }
}
