package com.otporchestrator.timer;

import com.otporchestrator.config.AppConfig.TimerSettings;
import com.otporchestrator.store.LuaScript;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due timers: claims batches from every shard with one atomic script call each, hands each
 * batch to its kind's handler (which applies it in PostgreSQL), and acknowledges the lease only
 * after the handler's transaction committed. Runs on one event loop; never blocks.
 */
public final class TimerEngine {
  private static final Logger LOG = LoggerFactory.getLogger(TimerEngine.class);

  private final Vertx vertx;
  private final Redis redis;
  private final TimerKeys keys;
  private final TimerSettings settings;
  private final Map<TimerKind, TimerHandler> handlers;
  private final Scripts scripts;
  private final TimerStats stats;
  private final java.util.Set<Lease> pendingLeases = new java.util.HashSet<>();
  private final String engineId = Long.toHexString(new java.security.SecureRandom().nextLong());
  private long leaseSequence;
  private boolean stopped;
  private long tickTimer = -1;
  private long reapTimer = -1;

  /** The three Lua scripts of the engine. */
  public record Scripts(LuaScript claim, LuaScript reap, LuaScript ack) {
    public static Future<Scripts> load(Vertx vertx) {
      return Future.all(LuaScript.load(vertx, "/lua/timer-claim.lua"), LuaScript.load(vertx, "/lua/timer-reap.lua"),
          LuaScript.load(vertx, "/lua/timer-ack.lua")).map(all -> new Scripts(all.resultAt(0), all.resultAt(1), all.resultAt(2)));
    }
  }

  public TimerEngine(Vertx vertx, Redis redis, TimerKeys keys, TimerSettings settings,
                     Map<TimerKind, TimerHandler> handlers, Scripts scripts, TimerStats stats) {
    this.vertx = vertx;
    this.redis = redis;
    this.keys = keys;
    this.settings = settings;
    this.handlers = new EnumMap<>(handlers);
    this.scripts = scripts;
    this.stats = stats;
  }

  public void start() {
    LOG.info("timer engine {} started (its leases in Redis are named {}-<n>)", engineId, engineId);
    scheduleTick(ThreadLocalRandom.current().nextLong(1, 20));
    long reapEvery = Math.max(50, settings.lease().toMillis() / 3);
    reapTimer = vertx.setPeriodic(reapEvery, id -> reapExpiredLeases());
  }

  /**
   * Stops claiming and hands back at once every lease not yet acknowledged, batches still in flight
   * included: their handlers may yet finish, but delivery is at least once and handlers are
   * idempotent, so another engine may fire them now rather than after the lease. Waiting for them
   * instead would let one stuck handler hold both the shutdown and its timers for ever.
   */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(tickTimer);
    vertx.cancelTimer(reapTimer);
    int leases = pendingLeases.size();
    return release(pendingLeases)
        .onComplete(r -> LOG.info("timer engine {} stopped; {} unacknowledged lease(s) handed back", engineId, leases));
  }

  private void scheduleTick(long delayMillis) {
    if (stopped) return;
    tickTimer = vertx.setTimer(Math.max(1, delayMillis), id -> {
      tick().onComplete(result -> {
        if (result.failed()) {
          LOG.warn("timer tick failed: {}", result.cause().toString());
          scheduleTick(settings.idlePoll().toMillis());
        } else {
          scheduleTick(result.result());
        }
      });
    });
  }

  /** One pass over every shard; answers how long to wait before the next pass. */
  Future<Long> tick() {
    int shards = keys.shards();
    int offset = ThreadLocalRandom.current().nextInt(shards);
    List<Future<LeasedBatch>> batches = new ArrayList<>(shards);
    for (int i = 0; i < shards; i++) {
      int shard = (offset + i) % shards;
      batches.add(scripts.claim().run(redis, keys.claimKeys(shard),
              List.of(String.valueOf(settings.batchSize()), String.valueOf(settings.lease().toMillis()), nextLeaseId()))
          .map(response -> LeasedBatch.from(shard, response)));
    }
    return Future.join(batches).transform(joined -> {
      List<LeasedBatch> work = new ArrayList<>();
      long nextDue = Long.MAX_VALUE;
      long redisNow = 0;
      for (Future<LeasedBatch> leased : batches) {
        if (leased.failed()) continue;
        LeasedBatch c = leased.result();
        redisNow = Math.max(redisNow, c.redisNow());
        if (c.empty()) {
          if (c.nextDue() >= 0) nextDue = Math.min(nextDue, c.nextDue());
        } else {
          work.add(c);
        }
      }
      boolean anyFull = work.stream().anyMatch(c -> c.timers().size() >= settings.batchSize());
      long idle = settings.idlePoll().toMillis();
      long wait = anyFull ? 0 : nextDue == Long.MAX_VALUE ? idle : Math.min(idle, Math.max(1, nextDue - redisNow));
      if (joined.failed() && work.isEmpty()) return Future.failedFuture(joined.cause());
      return applyAll(work).map(wait);
    });
  }

  /** Applies the claimed batches, at most {@code maxBatchesInFlight} at a time. */
  private Future<Void> applyAll(List<LeasedBatch> work) {
    if (work.isEmpty()) return Future.succeededFuture();
    Promise<Void> done = Promise.promise();
    int[] next = {0};
    int[] running = {0};
    Runnable[] launch = new Runnable[1];
    launch[0] = () -> {
      while (running[0] < settings.maxBatchesInFlight() && next[0] < work.size()) {
        LeasedBatch batch = work.get(next[0]++);
        running[0]++;
        apply(batch).onComplete(ignored -> {
          running[0]--;
          if (next[0] >= work.size() && running[0] == 0) done.tryComplete();
          else launch[0].run();
        });
      }
    };
    launch[0].run();
    return done.future();
  }

  private Future<Void> apply(LeasedBatch batch) {
    stats.claimed.add(batch.timers().size());
    Map<TimerKind, List<Long>> byKind = new EnumMap<>(TimerKind.class);
    for (Timer timer : batch.timers()) {
      byKind.computeIfAbsent(timer.kind(), k -> new ArrayList<>()).add(timer.id());
      stats.recordLateness(timer.kind(), batch.redisNow() - timer.dueMillis());
    }
    Lease lease = new Lease(batch.shard(), batch.leaseId());
    pendingLeases.add(lease);
    if (stopped) return release(List.of(lease)); // claimed while stopping: not ours to work on any more
    List<Future<Void>> applied = new ArrayList<>(byKind.size());
    byKind.forEach((kind, ids) -> applied.add(handlerFor(kind).fire(ids)));
    // Past its lease the batch is the reaper's again: waiting longer would only stall every other shard.
    return Future.all(applied)
        .timeout(settings.lease().toMillis(), TimeUnit.MILLISECONDS)
        .compose(ok -> acknowledge(batch))
        .onSuccess(ok -> stats.applied.add(batch.timers().size()))
        .onFailure(error -> {
          pendingLeases.remove(lease);
          stats.failedBatches.increment();
          LOG.warn("timer batch of {} on shard {} failed, the reaper will re-queue it: {}",
              batch.timers().size(), batch.shard(), error.toString());
        })
        .transform(ignored -> Future.succeededFuture());
  }

  /** Unique across engines and Redis restarts: a random engine id and a local sequence. */
  private String nextLeaseId() {
    return engineId + "-" + (++leaseSequence);
  }

  private TimerHandler handlerFor(TimerKind kind) {
    TimerHandler handler = handlers.get(kind);
    if (handler == null) return ids -> Future.failedFuture(new IllegalStateException("no handler for " + kind));
    return handler;
  }

  private Future<Void> acknowledge(LeasedBatch batch) {
    return scripts.ack().run(redis, List.of(keys.leases(batch.shard()), keys.claims(batch.shard())),
            List.of(batch.leaseId()))
        .onComplete(done -> pendingLeases.remove(new Lease(batch.shard(), batch.leaseId())))
        .mapEmpty();
  }

  private void reapExpiredLeases() {
    for (int shard = 0; shard < keys.shards(); shard++) {
      scripts.reap().run(redis, List.of(keys.due(shard), keys.leases(shard), keys.claims(shard)), List.of("100", "0"))
          .onSuccess(requeued -> {
            long n = requeued.toLong();
            if (n > 0) {
              stats.reaped.add(n);
              LOG.info("re-queued {} timers from expired leases", n);
            }
          });
    }
  }

  /**
   * Unacknowledged leases of this engine go back to the due set at once, so another pod picks them
   * up now rather than after the lease runs out.
   */
  private Future<Void> release(java.util.Collection<Lease> leases) {
    Map<Integer, List<String>> byShard = new java.util.HashMap<>();
    List.copyOf(leases).forEach(lease -> byShard.computeIfAbsent(lease.shard(), s -> new ArrayList<>(List.of("0", "1")))
        .add(String.valueOf(lease.id())));
    List<Future<?>> released = new ArrayList<>();
    byShard.forEach((shard, args) -> released.add(
        scripts.reap().run(redis, List.of(keys.due(shard), keys.leases(shard), keys.claims(shard)), args)));
    return Future.join(released).mapEmpty();
  }

  private record Lease(int shard, String id) {}
}
