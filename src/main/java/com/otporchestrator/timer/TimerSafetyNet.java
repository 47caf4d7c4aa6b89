package com.otporchestrator.timer;

import com.otporchestrator.config.AppConfig.TimerSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What keeps timers correct when Redis forgets: a periodic PostgreSQL sweep that fires anything
 * overdue by more than the grace period, and a re-seed of the whole Redis index from PostgreSQL
 * whenever the seeded marker is missing (first start, or a Redis that restarted or was flushed).
 */
public final class TimerSafetyNet {
  private static final Logger LOG = LoggerFactory.getLogger(TimerSafetyNet.class);
  private static final int SWEEP_BATCH = 500;
  private static final int SWEEP_MAX_ROUNDS = 40;
  private static final int FIRST_PAGE = 200;
  private static final int RESEED_PAGE = 5_000;

  private final Vertx vertx;
  private final Redis redis;
  private final TimerService timers;
  private final Map<TimerKind, TimerHandler> handlers;
  private final List<SweepSource> sources;
  private final List<Supplier<Future<Void>>> periodicJobs;
  private final TimerSettings settings;
  private final TimerStats stats;
  private long timerId = -1;
  private boolean stopped;
  private boolean rebuilding;
  private Future<Void> running = Future.succeededFuture();

  public TimerSafetyNet(Vertx vertx, Redis redis, TimerService timers, Map<TimerKind, TimerHandler> handlers,
                        List<SweepSource> sources, List<Supplier<Future<Void>>> periodicJobs, TimerSettings settings,
                        TimerStats stats) {
    this.vertx = vertx;
    this.redis = redis;
    this.timers = timers;
    this.handlers = handlers;
    this.sources = sources;
    this.periodicJobs = periodicJobs;
    this.settings = settings;
    this.stats = stats;
  }

  public Future<Void> start() {
    return runOnce().onComplete(done -> scheduleNext());
  }

  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timerId);
    return running;
  }

  private void scheduleNext() {
    if (stopped) return;
    long interval = settings.sweepInterval().toMillis();
    long jittered = interval / 2 + ThreadLocalRandom.current().nextLong(interval / 2 + 1) + interval / 4;
    timerId = vertx.setTimer(Math.max(10, jittered), id -> {
      running = runOnce();
      running.onComplete(done -> scheduleNext());
    });
  }

  /** One pass: re-seed if Redis lost the index, fire what is overdue, run the periodic jobs. */
  public Future<Void> runOnce() {
    return seedIfLost()
        .compose(v -> sweepAll())
        .compose(v -> runJobs())
        .onFailure(error -> LOG.warn("timer safety net pass failed: {}", error.toString()))
        .recover(error -> Future.succeededFuture());
  }

  /**
   * A claim found a shard's seeded marker gone: Redis lost the index (restarted empty, flushed, a cluster master
   * replaced). Rebuild it now rather than at the next pass; one node does it (the markers are claimed with SET NX).
   */
  void indexLost() {
    if (!stopped) seedIfLost();
  }

  private Future<Void> seedIfLost() {
    if (rebuilding) return Future.succeededFuture();
    rebuilding = true;
    return ensureSeeded().onComplete(done -> rebuilding = false);
  }

  /**
   * Re-seeds everything when any shard's marker was missing (claimed here with SET NX). The markers live for a while
   * only until the rebuild has finished, so a node that dies while rebuilding leaves the rest to the next one.
   */
  private Future<Void> ensureSeeded() {
    String now = String.valueOf(System.currentTimeMillis());
    String claimFor = String.valueOf(Math.max(60_000, 2 * settings.lease().toMillis()));
    List<Future<Boolean>> claims = new ArrayList<>();
    for (int shard = 0; shard < timers.keys().shards(); shard++) {
      Request claim = Request.cmd(Command.SET).arg(timers.keys().seededMarker(shard)).arg(now).arg("NX").arg("PX").arg(claimFor);
      claims.add(redis.send(claim).map(reply -> reply != null && "OK".equals(reply.toString())));
    }
    return Future.all(claims).compose(all -> {
      long missing = claims.stream().filter(Future::result).count();
      if (missing == 0) return Future.succeededFuture();
      stats.rebuilds.increment();
      LOG.info("timer index missing in Redis on {} of {} shards: rebuilding it from PostgreSQL, earliest deadline first",
          missing, claims.size());
      long started = System.nanoTime();
      return reseed().compose(v -> markSeeded(now)).onSuccess(v -> LOG.info("timer index rebuilt in {} ms",
          (System.nanoTime() - started) / 1_000_000));
    });
  }

  private Future<Void> markSeeded(String value) {
    List<Future<?>> sets = new ArrayList<>();
    for (int shard = 0; shard < timers.keys().shards(); shard++) {
      sets.add(redis.send(Request.cmd(Command.SET).arg(timers.keys().seededMarker(shard)).arg(value)));
    }
    return Future.all(sets).mapEmpty();
  }

  /**
   * Rebuilds every live timer from PostgreSQL, every source at once, each earliest deadline first and in pages that
   * grow from {@value #FIRST_PAGE}: the timers due now are back in Redis (and firing) after one short query per
   * source, long before the rest. A timer scheduled meanwhile (its row changed after this read it) keeps its own
   * deadline when it is the earlier ({@link TimerService#restoreAll}).
   */
  public Future<Void> reseed() {
    List<Future<Void>> all = new ArrayList<>();
    for (SweepSource source : sources) all.add(reseedFrom(source, SweepSource.Live.FIRST, FIRST_PAGE));
    return Future.all(all).mapEmpty();
  }

  private Future<Void> reseedFrom(SweepSource source, SweepSource.Live after, int page) {
    return source.liveByDeadline(after, page).compose(rows -> {
      if (rows.isEmpty()) return Future.succeededFuture();
      stats.reseeded.add(rows.size());
      List<Timer> batch = rows.stream().map(live -> live.timer(source.kind())).toList();
      SweepSource.Live last = rows.get(rows.size() - 1);
      return timers.restoreAll(batch).compose(v -> rows.size() < page
          ? Future.succeededFuture() : reseedFrom(source, last, Math.min(RESEED_PAGE, page * 4)));
    });
  }

  private Future<Void> sweepAll() {
    Future<Void> all = Future.succeededFuture();
    for (SweepSource source : sources) all = all.compose(v -> sweep(source, 0));
    return all;
  }

  private Future<Void> sweep(SweepSource source, int round) {
    if (round >= SWEEP_MAX_ROUNDS) return Future.succeededFuture();
    return source.overdue(settings.sweepGrace(), SWEEP_BATCH).compose(ids -> {
      if (ids.isEmpty()) return Future.succeededFuture();
      stats.swept.add(ids.size());
      LOG.warn("sweep found {} overdue {} timers that Redis did not fire", ids.size(), source.kind());
      TimerHandler handler = handlers.get(source.kind());
      return handler.fire(ids).compose(v -> ids.size() < SWEEP_BATCH
          ? Future.succeededFuture() : sweep(source, round + 1));
    });
  }

  private Future<Void> runJobs() {
    List<Future<Void>> jobs = new ArrayList<>();
    for (Supplier<Future<Void>> job : periodicJobs) jobs.add(job.get());
    return Future.join(jobs).mapEmpty();
  }
}
