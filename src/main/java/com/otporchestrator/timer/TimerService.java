package com.otporchestrator.timer;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules and cancels timers in Redis. Redis is only an index: every timer's truth is a row in
 * PostgreSQL, so a failed schedule is logged and left to the PostgreSQL sweep, never retried here.
 *
 * <p>Engines sleep until their next known due time, at most the idle poll. A timer due sooner than that would wait,
 * so scheduling one wakes this process's engines directly and, through a Redis pub/sub notice, every other node's: the
 * idle poll is only the fallback for a lost notice. Timers due later need no notice (an engine sees them on its next
 * look, and sleeps until them).
 */
public final class TimerService {
  private static final Logger LOG = LoggerFactory.getLogger(TimerService.class);

  /** Told that a timer of a lane falls due at a time (epoch ms); must return at once, on any thread. */
  @FunctionalInterface
  public interface WakeListener {
    void wake(TimerLane lane, long dueMillis);
  }

  private final Redis redis;
  private final TimerKeys keys;
  private final long announceWithinMillis;
  private final List<WakeListener> listeners = new CopyOnWriteArrayList<>();

  /** A service that wakes only this process's engines (tools, tests of the engine alone). */
  public TimerService(Redis redis, TimerKeys keys) {
    this(redis, keys, 0);
  }

  /** @param announceWithinMillis timers due within this of now are announced to every node (the idle poll) */
  public TimerService(Redis redis, TimerKeys keys, long announceWithinMillis) {
    this.redis = redis;
    this.keys = keys;
    this.announceWithinMillis = announceWithinMillis;
  }

  public TimerKeys keys() {
    return keys;
  }

  void addWakeListener(WakeListener listener) {
    listeners.add(listener);
  }

  void removeWakeListener(WakeListener listener) {
    listeners.remove(listener);
  }

  /** A notice from another node: a timer of {@code lane} falls due at {@code dueMillis}. */
  void heard(String notice) {
    int colon = notice.indexOf(':');
    try {
      TimerLane lane = TimerLane.valueOf(notice.substring(0, colon));
      long due = Long.parseLong(notice.substring(colon + 1));
      listeners.forEach(l -> l.wake(lane, due));
    } catch (RuntimeException malformed) {
      LOG.warn("ignored a malformed timer wake-up notice: {}", notice);
    }
  }

  public Future<Void> schedule(Timer timer) {
    return scheduleAll(List.of(timer));
  }

  /** One ZADD per shard and lane, all pipelined: scheduling many timers costs one round trip. */
  public Future<Void> scheduleAll(Collection<Timer> timers) {
    return add(timers, false);
  }

  /**
   * Puts back timers read from PostgreSQL (an index rebuild), never later than a timer already in the index: a row
   * read before it changed may carry a deadline that was moved earlier meanwhile (an order opened while the rebuild
   * read it as still allocating), and the schedule made for the change must win. An early fire is a no-op that
   * re-schedules from the row; a late one would wait for the sweep's grace. Timers not in the index are added.
   */
  public Future<Void> restoreAll(Collection<Timer> timers) {
    return add(timers, true);
  }

  private Future<Void> add(Collection<Timer> timers, boolean noLater) {
    if (timers.isEmpty()) return Future.succeededFuture();
    Map<String, Request> perKey = new HashMap<>();
    Map<TimerLane, Long> earliest = new EnumMap<>(TimerLane.class);
    for (Timer timer : timers) {
      String due = keys.due(timer.kind().lane(), keys.shardOf(timer.id()));
      perKey.computeIfAbsent(due, k -> noLater ? Request.cmd(Command.ZADD).arg(k).arg("LT") : Request.cmd(Command.ZADD).arg(k))
          .arg(timer.dueMillis()).arg(timer.member());
      earliest.merge(timer.kind().lane(), timer.dueMillis(), Math::min);
    }
    List<Future<?>> sent = new ArrayList<>(perKey.size() + 1);
    perKey.values().forEach(request -> sent.add(redis.send(request)));
    return Future.all(sent).onSuccess(ok -> announce(earliest)).mapEmpty();
  }

  /** Wakes the engines that would otherwise sleep past these due times (after the ZADD, so they find the timers). */
  private void announce(Map<TimerLane, Long> earliest) {
    long soon = System.currentTimeMillis() + announceWithinMillis;
    earliest.forEach((lane, due) -> {
      listeners.forEach(l -> l.wake(lane, due));
      if (announceWithinMillis > 0 && due < soon) {
        redis.send(Request.cmd(Command.PUBLISH).arg(keys.wakeChannel()).arg(lane.name() + ":" + due))
            .onFailure(e -> LOG.debug("could not announce a timer due soon; engines find it by their idle poll: {}", e.toString()));
      }
    });
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
      perShard.computeIfAbsent(shard, s -> Request.cmd(Command.ZREM).arg(keys.due(kind.lane(), s))).arg(kind.member(id));
    }
    List<Future<?>> sent = new ArrayList<>(perShard.size());
    perShard.values().forEach(request -> sent.add(redis.send(request)));
    return Future.all(sent).mapEmpty();
  }
}
