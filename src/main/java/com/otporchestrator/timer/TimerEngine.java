package com.otporchestrator.timer;

import com.otporchestrator.config.AppConfig.TimerSettings;
import com.otporchestrator.store.LuaScript;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due timers. Each lane ({@link TimerLane}) claims batches from the shards with one atomic script call each, as
 * slots free up: a batch is claimed only when it can be applied at once, and each finished batch makes room for the
 * next claim, so no batch waits behind another. A batch is handed to its kinds' handlers and settled per timer once
 * they are done, or at its deadline: what was applied is acknowledged, what failed or is still running goes back to
 * the due set, once. Runs on one event loop; never blocks.
 */
public final class TimerEngine {
  private static final Logger LOG = LoggerFactory.getLogger(TimerEngine.class);
  /** How long a timer whose work failed waits before it fires again. */
  static final long RETRY_AFTER_FAILURE_MS = 1_000;
  /**
   * The external lane's largest batch: each of its timers is a call to a supplier and a statement of its own, so a
   * smaller batch keeps the calls in flight (and the statements queued on the timer loop's connections) few.
   */
  static final int EXTERNAL_BATCH_MAX = 64;

  private final Vertx vertx;
  private final Redis redis;
  private final TimerKeys keys;
  private final TimerSettings settings;
  private final Map<TimerKind, TimerHandler> handlers;
  private final Scripts scripts;
  private final TimerStats stats;
  private final Map<TimerLane, Lane> lanes = new EnumMap<>(TimerLane.class);
  private final String engineId = Long.toHexString(new java.security.SecureRandom().nextLong());
  private final long batchDeadlineMillis;
  private Runnable onIndexLost = () -> {};
  private TimerService wakeSource;
  private final TimerService.WakeListener wakeListener = this::wake;
  private Context context;
  private long leaseSequence;
  private boolean stopped;
  private long reapTimer = -1;

  /** The Lua scripts of the engine. */
  public record Scripts(LuaScript claim, LuaScript reap, LuaScript settle, LuaScript unpark) {
    public static Future<Scripts> load(Vertx vertx) {
      return Future.all(LuaScript.load(vertx, "/lua/timer-claim.lua"), LuaScript.load(vertx, "/lua/timer-reap.lua"),
              LuaScript.load(vertx, "/lua/timer-settle.lua"), LuaScript.load(vertx, "/lua/timer-unpark.lua"))
          .map(all -> new Scripts(all.resultAt(0), all.resultAt(1), all.resultAt(2), all.resultAt(3)));
    }

    List<LuaScript> all() {
      return List.of(claim, reap, settle, unpark);
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
    this.batchDeadlineMillis = Math.max(1, Math.min(settings.batchDeadline().toMillis(), settings.lease().toMillis() / 2));
    lanes.put(TimerLane.INTERNAL, new Lane(TimerLane.INTERNAL, BatchSizing.adaptive(settings.batchSize(),
        settings.maxBatchSize(), Math.min(4, settings.maxBatchesInFlight()), settings.maxBatchesInFlight())));
    lanes.put(TimerLane.EXTERNAL, new Lane(TimerLane.EXTERNAL,
        BatchSizing.fixed(Math.min(EXTERNAL_BATCH_MAX, settings.batchSize()), settings.externalBatchesInFlight())));
  }

  /** What to run when a claim finds a shard's seeded marker gone (Redis lost its data): the index rebuild. */
  public TimerEngine onIndexLost(Runnable rebuild) {
    this.onIndexLost = rebuild;
    return this;
  }

  /** Wakes this engine when {@code service} schedules a timer earlier than the lane's next look. */
  public TimerEngine wakeWith(TimerService service) {
    this.wakeSource = service;
    return this;
  }

  public void start() {
    context = vertx.getOrCreateContext();
    LOG.info("timer engine {} started (its leases in Redis are named {}-<n>)", engineId, engineId);
    if (wakeSource != null) wakeSource.addWakeListener(wakeListener);
    lanes.values().forEach(lane -> lane.sleep(ThreadLocalRandom.current().nextLong(1, 20)));
    long reapEvery = Math.max(50, settings.lease().toMillis() / 3);
    reapTimer = vertx.setPeriodic(reapEvery, id -> reapExpiredLeases());
  }

  /**
   * Stops claiming and hands back at once every lease not yet settled, batches still in flight
   * included: their handlers may yet finish, but delivery is at least once and handlers are
   * idempotent, so another engine may fire them now rather than after the lease. Waiting for them
   * instead would let one stuck handler hold both the shutdown and its timers for ever.
   */
  public Future<Void> stop() {
    stopped = true;
    if (wakeSource != null) wakeSource.removeWakeListener(wakeListener);
    vertx.cancelTimer(reapTimer);
    List<Future<Void>> released = new ArrayList<>();
    int leases = 0;
    for (Lane lane : lanes.values()) {
      vertx.cancelTimer(lane.sleepTimer);
      leases += lane.leases.size();
      released.add(release(lane.lane, lane.leases));
    }
    int handedBack = leases;
    return Future.join(released).<Void>mapEmpty()
        .onComplete(r -> LOG.info("timer engine {} stopped; {} unsettled lease(s) handed back", engineId, handedBack));
  }

  /**
   * A timer of {@code lane} falls due at {@code dueMillis}: if the lane sleeps past it, it looks now. Called on any
   * thread (a local scheduler, or the pub/sub notice of another node); hops to the engine's loop only when needed.
   */
  void wake(TimerLane lane, long dueMillis) {
    Lane l = lanes.get(lane);
    Context ctx = context;
    if (l == null || ctx == null || stopped || dueMillis >= l.wakeAt) return;
    ctx.runOnContext(v -> l.wakeFor(dueMillis));
  }

  /** One lane: its claims, batches in flight and sleep. All of its state lives on the engine's event loop. */
  private final class Lane {
    final TimerLane lane;
    final BatchSizing sizing;
    final Set<Lease> leases = new HashSet<>();
    final ArrayDeque<Integer> hot = new ArrayDeque<>();
    int cursor = ThreadLocalRandom.current().nextInt(keys.shards());
    int applying;
    int claiming;
    int visited;
    boolean foundWork;
    boolean hotTurn;
    /** The last claim took as many timers as it asked for: more are due than the lane fires. */
    boolean backlogged;
    int inFlightLogged;
    int sizeLogged;
    long passNextDue = Long.MAX_VALUE;
    long redisNow;
    boolean sleeping;
    long sleepTimer = -1;
    /** Local time at which the sleeping lane looks again; {@code Long.MIN_VALUE} while it is working. */
    volatile long wakeAt = Long.MIN_VALUE;

    Lane(TimerLane lane, BatchSizing sizing) {
      this.lane = lane;
      this.sizing = sizing;
    }

    /**
     * Slots of this lane now. The lanes share the timer loop's database connections and the CPU: while the internal
     * lane has a backlog (refunds waiting), the external lane keeps a single batch going, so supplier calls and their
     * statements never queue ahead of refunds, nor stop altogether.
     */
    int slots() {
      if (lane == TimerLane.EXTERNAL && lanes.get(TimerLane.INTERNAL).backlogged) return 1;
      return sizing.inFlight();
    }

    /** Claims from the next shards while there are free slots; ends the pass when every shard was asked once. */
    void pump() {
      while (!stopped && !sleeping && applying + claiming < slots() && (!hot.isEmpty() || visited < keys.shards())) {
        int shard;
        hotTurn = !hotTurn;
        if (!hot.isEmpty() && (hotTurn || visited >= keys.shards())) {
          shard = hot.poll(); // a shard that just gave a full batch, alternating with the others so none starves
        } else {
          shard = cursor;
          cursor = (cursor + 1) % keys.shards();
          visited++;
        }
        claim(shard);
      }
      if (stopped || sleeping || claiming > 0 || !hot.isEmpty() || visited < keys.shards()) return;
      if (foundWork) {
        newPass();
        if (applying < slots()) pump();
        return;
      }
      long idle = settings.idlePoll().toMillis();
      sleep(passNextDue == Long.MAX_VALUE ? idle : Math.min(idle, Math.max(1, passNextDue - redisNow)));
    }

    void newPass() {
      visited = 0;
      foundWork = false;
      passNextDue = Long.MAX_VALUE;
    }

    void sleep(long millis) {
      if (stopped) return;
      sleeping = true;
      wakeAt = System.currentTimeMillis() + millis;
      sleepTimer = vertx.setTimer(Math.max(1, millis), id -> awake());
    }

    void awake() {
      sleeping = false;
      wakeAt = Long.MIN_VALUE;
      newPass();
      pump();
    }

    /** Something falls due before this lane would look: look now (or at that time, if it is later than now). */
    void wakeFor(long dueMillis) {
      if (!sleeping || stopped || dueMillis >= wakeAt) return;
      vertx.cancelTimer(sleepTimer);
      long in = dueMillis - System.currentTimeMillis();
      if (in > 1) {
        wakeAt = dueMillis;
        sleepTimer = vertx.setTimer(in, id -> awake());
      } else {
        stats.wakeUps.increment();
        awake();
      }
    }

    void claim(int shard) {
      claiming++;
      int size = sizing.batchSize();
      scripts.claim().run(redis, keys.claimKeys(lane, shard), List.of(String.valueOf(size),
              String.valueOf(settings.lease().toMillis()), nextLeaseId()))
          .map(response -> LeasedBatch.from(lane, shard, response))
          .onComplete(result -> {
            claiming--;
            try {
              if (result.failed()) {
                LOG.warn("timer claim on shard {} ({} lane) failed: {}", shard, lane.label(), result.cause().toString());
              } else {
                LeasedBatch batch = result.result();
                redisNow = Math.max(redisNow, batch.redisNow());
                if (!batch.seeded()) onIndexLost.run();
                if (batch.empty()) {
                  if (batch.nextDue() >= 0) passNextDue = Math.min(passNextDue, batch.nextDue());
                  if (hot.isEmpty()) backlogged = false;
                } else {
                  foundWork = true;
                  boolean full = batch.timers().size() >= size;
                  backlogged = full || !hot.isEmpty();
                  if (full) hot.add(shard);
                  run(batch, full);
                }
              }
            } catch (RuntimeException e) {
              LOG.error("timer claim on shard {} ({} lane) could not be handled", shard, lane.label(), e);
            } finally {
              pump(); // whatever happened above, the lane goes on claiming
            }
          });
    }

    void run(LeasedBatch batch, boolean full) {
      applying++;
      long started = System.nanoTime();
      apply(this, batch).onComplete(done -> {
        boolean saturated = applying + claiming >= slots();
        applying--;
        String before = sizing.toString();
        sizing.finished(batch.timers().size(), full, (System.nanoTime() - started) / 1_000_000, saturated);
        if (sizing.inFlight() != inFlightLogged || sizing.batchSize() != sizeLogged) {
          inFlightLogged = sizing.inFlight();
          sizeLogged = sizing.batchSize();
          LOG.info("timer {} lane now keeps {} in flight (was {}), last batch {} timers in {} ms", lane.label(), sizing,
              before, batch.timers().size(), (System.nanoTime() - started) / 1_000_000);
        }
        pump();
      });
    }
  }

  /**
   * Hands the batch to its kinds' handlers and settles it once every timer is done or at the batch deadline,
   * whichever comes first. Completes when settled, so the batch's slot is free again by its deadline at the latest.
   */
  private Future<Void> apply(Lane lane, LeasedBatch batch) {
    stats.claimed.add(batch.timers().size());
    Lease lease = new Lease(batch.shard(), batch.leaseId());
    lane.leases.add(lease);
    if (stopped) return release(lane.lane, List.of(lease)); // claimed while stopping: not ours to work on any more
    Map<TimerKind, List<Long>> byKind = new EnumMap<>(TimerKind.class);
    for (Timer timer : batch.timers()) {
      byKind.computeIfAbsent(timer.kind(), k -> new ArrayList<>()).add(timer.id());
      stats.recordLateness(timer.kind(), batch.redisNow() - timer.dueMillis());
    }
    Map<String, Future<Void>> work = new HashMap<>(batch.timers().size() * 2);
    byKind.forEach((kind, ids) -> {
      List<Future<Void>> each = fireEach(kind, ids);
      for (int i = 0; i < ids.size(); i++) work.put(kind.member(ids.get(i)), each.get(i));
    });
    Promise<Void> settled = Promise.promise();
    Future<Void> all = Future.join(new ArrayList<>(work.values())).mapEmpty();
    long deadline = vertx.setTimer(batchDeadlineMillis, id -> settle(lane, batch, lease, work, true).onComplete(parked -> {
      settled.complete();
      if (parked.succeeded() && parked.result() != null) all.onComplete(late -> unpark(lane, batch, work, parked.result()));
    }));
    all.onComplete(done -> {
      if (vertx.cancelTimer(deadline)) settle(lane, batch, lease, work, false).onComplete(ignored -> settled.complete());
    });
    return settled.future();
  }

  private List<Future<Void>> fireEach(TimerKind kind, List<Long> ids) {
    TimerHandler handler = handlers.get(kind);
    try {
      if (handler == null) throw new IllegalStateException("no handler for " + kind);
      List<Future<Void>> each = handler.fireEach(ids);
      if (each.size() != ids.size()) throw new IllegalStateException(kind + " handler answered " + each.size() + " of " + ids.size());
      return each;
    } catch (RuntimeException e) {
      return java.util.Collections.nCopies(ids.size(), Future.failedFuture(e));
    }
  }

  /**
   * Acknowledges what was applied and sends back the rest: failed timers fire again after a pause; timers still
   * running at the deadline are parked for {@code park} (so they fire again only if their work never ends), and their
   * slot is free again. Answers the parked score, or null when nothing was parked.
   */
  private Future<Long> settle(Lane lane, LeasedBatch batch, Lease lease, Map<String, Future<Void>> work, boolean atDeadline) {
    List<String> back = new ArrayList<>();
    int failed = 0;
    Throwable cause = null;
    for (Map.Entry<String, Future<Void>> e : work.entrySet()) {
      Future<Void> f = e.getValue();
      if (f.succeeded()) continue;
      back.add(e.getKey());
      if (f.failed()) {
        failed++;
        cause = f.cause();
      }
    }
    int applied = work.size() - back.size();
    long delay = atDeadline ? parkMillis(lane.lane) : RETRY_AFTER_FAILURE_MS;
    List<String> args = new ArrayList<>(back.size() + 2);
    args.add(lease.id());
    args.add(String.valueOf(delay));
    args.addAll(back);
    if (atDeadline) {
      stats.pastDeadline.increment();
      LOG.warn("timer batch of {} on shard {} ({} lane) passed its {} ms deadline: {} applied, {} failed, {} still running; "
              + "they go back to the due set", work.size(), batch.shard(), lane.lane.label(), batchDeadlineMillis, applied, failed,
          back.size() - failed);
    } else if (failed > 0) {
      stats.failedBatches.increment();
      LOG.warn("{} of {} timers of a batch on shard {} ({} lane) failed, they fire again in {} ms: {}", failed, work.size(),
          batch.shard(), lane.lane.label(), delay, cause == null ? "?" : cause.toString());
    }
    return scripts.settle().run(redis, keys.leaseKeys(lane.lane, batch.shard()), args)
        .map(reply -> {
          if (reply.get(0).toLong() < 0) return null; // the reaper had taken the lease back: it re-queued everything
          stats.applied.add(applied);
          stats.retried.add(back.size());
          return atDeadline && !back.isEmpty() ? Long.parseLong(reply.get(1).toString()) : null;
        })
        .onFailure(error -> LOG.warn("could not settle a timer batch on shard {}; the reaper re-queues it after the lease: {}",
            batch.shard(), error.toString()))
        .onComplete(done -> lane.leases.remove(lease))
        .recover(error -> Future.succeededFuture());
  }

  /**
   * How long work still running at its batch's deadline is parked. The external lane's work is a supplier call, which
   * may rightly take long: {@code TIMER_PARK_MS}. The internal lane's is a refund's transaction, bounded by PostgreSQL:
   * parked for the lease at most, so that if its node dies mid-statement the refund fires elsewhere as soon as a
   * claimed one would (parked 30 s, three refunds were 36 s late in a chaos run). A second fire while the first
   * transaction still runs waits on its locks and then finds the order resolved: nothing is paid twice.
   */
  private long parkMillis(TimerLane lane) {
    long park = settings.park().toMillis();
    return lane == TimerLane.INTERNAL ? Math.min(park, settings.lease().toMillis()) : park;
  }

  /** The parked timers' work ended after the deadline: done ones leave the due set, failed ones fire again soon. */
  private void unpark(Lane lane, LeasedBatch batch, Map<String, Future<Void>> work, long parkedAt) {
    List<String> succeeded = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    work.forEach((member, f) -> (f.succeeded() ? succeeded : failed).add(member));
    List<String> args = new ArrayList<>(work.size() + 3);
    args.add(String.valueOf(parkedAt));
    args.add(String.valueOf(RETRY_AFTER_FAILURE_MS));
    args.add(String.valueOf(succeeded.size()));
    args.addAll(succeeded);
    args.addAll(failed);
    scripts.unpark().run(redis, List.of(keys.due(lane.lane, batch.shard())), args)
        .onFailure(error -> LOG.info("could not un-park the timers of a late batch on shard {}; they fire again after the "
            + "lease and find nothing to do: {}", batch.shard(), error.toString()));
  }

  /** Unique across engines and Redis restarts: a random engine id and a local sequence. */
  private String nextLeaseId() {
    return engineId + "-" + (++leaseSequence);
  }

  private void reapExpiredLeases() {
    for (TimerLane lane : TimerLane.values()) {
      for (int shard = 0; shard < keys.shards(); shard++) {
        scripts.reap().run(redis, keys.leaseKeys(lane, shard), List.of("100", "0"))
            .onSuccess(requeued -> {
              long n = requeued.toLong();
              if (n > 0) {
                stats.reaped.add(n);
                LOG.info("re-queued {} timers from expired leases", n);
              }
            });
      }
    }
  }

  /**
   * Unsettled leases of this engine go back to the due set at once, so another pod picks them
   * up now rather than after the lease runs out.
   */
  private Future<Void> release(TimerLane lane, Collection<Lease> leases) {
    Map<Integer, List<String>> byShard = new HashMap<>();
    List.copyOf(leases).forEach(lease -> byShard.computeIfAbsent(lease.shard(), s -> new ArrayList<>(List.of("0", "1")))
        .add(String.valueOf(lease.id())));
    List<Future<?>> released = new ArrayList<>();
    byShard.forEach((shard, args) -> released.add(scripts.reap().run(redis, keys.leaseKeys(lane, shard), args)));
    return Future.join(released).mapEmpty();
  }

  private record Lease(int shard, String id) {}
}
