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
    return ensureSeeded()
        .compose(v -> sweepAll())
        .compose(v -> runJobs())
        .onFailure(error -> LOG.warn("timer safety net pass failed: {}", error.toString()))
        .recover(error -> Future.succeededFuture());
  }

  /** Re-seeds everything when any shard's marker was missing (claimed here with SET NX). */
  private Future<Void> ensureSeeded() {
    String now = String.valueOf(System.currentTimeMillis());
    List<Future<Boolean>> claims = new ArrayList<>();
    for (int shard = 0; shard < timers.keys().shards(); shard++) {
      Request claim = Request.cmd(Command.SET).arg(timers.keys().seededMarker(shard)).arg(now).arg("NX");
      claims.add(redis.send(claim).map(reply -> reply != null && "OK".equals(reply.toString())));
    }
    return Future.all(claims).compose(all -> {
      long missing = claims.stream().filter(Future::result).count();
      if (missing == 0) return Future.succeededFuture();
      LOG.info("timer index missing in Redis on {} of {} shards: re-seeding it from PostgreSQL", missing, claims.size());
      return reseed();
    });
  }

  /** Rebuilds every live timer from PostgreSQL, page by page. Scheduling twice is harmless. */
  public Future<Void> reseed() {
    Future<Void> all = Future.succeededFuture();
    for (SweepSource source : sources) all = all.compose(v -> reseedFrom(source, 0));
    return all;
  }

  private Future<Void> reseedFrom(SweepSource source, long afterId) {
    return source.live(afterId, RESEED_PAGE).compose(page -> {
      if (page.isEmpty()) return Future.succeededFuture();
      stats.reseeded.add(page.size());
      long last = page.get(page.size() - 1).id();
      return timers.scheduleAll(page).compose(v -> page.size() < RESEED_PAGE
          ? Future.succeededFuture() : reseedFrom(source, last));
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
