package com.otporchestrator.timer;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.config.AppConfig.TimerSettings;
import com.otporchestrator.store.RedisStore;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.BlockedThreadWatch;
import com.otporchestrator.testing.RedisKeys;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The engine alone on a real Redis. Handlers are test lambdas standing in for the PostgreSQL work;
 * they complete asynchronously and never block, like the real ones. Each test has its own keys.
 */
@DisplayName("The timer engine, claiming from real Redis shards")
class TimerEngineTest {
  private static TestStores.Isolated stores;
  private static Vertx vertx;
  private static Redis redis;
  private static TimerEngine.Scripts scripts;
  private static final BlockedThreadWatch BLOCKED = BlockedThreadWatch.install();
  private static int blockedBefore;
  private static final AtomicInteger TEST_NUMBER = new AtomicInteger();

  private String prefix;
  private final List<String> deployments = new ArrayList<>();

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(TimerEngineTest.class);
    blockedBefore = BLOCKED.warnings().size();
    vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(500).setMaxEventLoopExecuteTime(1)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS));
    redis = RedisStore.client(vertx, stores.redisUrl(), 8);
    scripts = Await.result(TimerEngine.Scripts.load(vertx));
  }

  @AfterAll
  static void stop() throws Exception {
    assertThat(BLOCKED.warnings().subList(blockedBefore, BLOCKED.warnings().size())).as("blocked-thread warnings").isEmpty();
    RedisKeys.deleteAll(redis, stores.redisPrefix());
    redis.close();
    vertx.close().await(30, TimeUnit.SECONDS);
    stores.close();
  }

  @BeforeEach
  void ownKeys() {
    prefix = stores.redisPrefix() + "t" + TEST_NUMBER.incrementAndGet() + ":";
  }

  @AfterEach
  void stopEngines() {
    for (String id : deployments) {
      try {
        vertx.undeploy(id).await(5, TimeUnit.SECONDS);
      } catch (Exception alreadyGoneOrStuck) {
        // a test may have undeployed it already
      }
    }
    RedisKeys.deleteAll(redis, prefix);
  }

  // ---- harness

  private static TimerSettings settings(int shards, int batchSize, Duration lease) {
    return new TimerSettings(shards, batchSize, lease, Duration.ofMillis(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60), 4);
  }

  /** Runs one engine on its own event loop, as the timer verticle does. */
  private String startEngine(TimerKeys keys, TimerSettings settings, Map<TimerKind, TimerHandler> handlers, TimerStats stats) {
    String id = Await.result(vertx.deployVerticle(new EngineVerticle(
        v -> new TimerEngine(v, redis, keys, settings, handlers, scripts, stats))));
    deployments.add(id);
    return id;
  }

  private static void schedule(TimerKeys keys, List<Timer> timers) {
    Await.result(new TimerService(redis, keys).scheduleAll(timers));
  }

  /** Counts every firing per id and remembers when it happened; completes after a short async delay. */
  private static final class Recorder implements TimerHandler {
    final Map<Long, AtomicInteger> fires = new ConcurrentHashMap<>();
    final Map<Long, ConcurrentLinkedQueue<Long>> times = new ConcurrentHashMap<>();
    final Set<Long> ids = ConcurrentHashMap.newKeySet();

    @Override
    public Future<Void> fire(List<Long> batch) {
      long now = System.currentTimeMillis();
      for (long id : batch) {
        fires.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        times.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>()).add(now);
        ids.add(id);
      }
      Promise<Void> done = Promise.promise();
      Vertx.currentContext().owner().setTimer(1 + ThreadLocalRandom.current().nextInt(4), t -> done.complete());
      return done.future();
    }

    int count(long id) {
      AtomicInteger n = fires.get(id);
      return n == null ? 0 : n.get();
    }

    long firstAt(long id) {
      return times.get(id).peek();
    }
  }

  private static long idOnShard(TimerKeys keys, int shard, long from) {
    long id = from;
    while (keys.shardOf(id) != shard) id++;
    return id;
  }

  // ---- tests

  @Test
  @DisplayName("fires each timer with its own kind's handler once its time has come, and not before")
  void firesOnceTheScorePasses() {
    TimerKeys keys = new TimerKeys(prefix, 8);
    Recorder expiries = new Recorder();
    Recorder closes = new Recorder();
    startEngine(keys, settings(8, 64, Duration.ofSeconds(5)),
        Map.of(TimerKind.EXPIRE, expiries, TimerKind.CLOSE, closes), new TimerStats());

    long now = System.currentTimeMillis();
    List<Timer> timers = List.of(
        new Timer(TimerKind.EXPIRE, 1, now - 1_000),
        new Timer(TimerKind.EXPIRE, 2, now + 700),
        new Timer(TimerKind.CLOSE, 2, now + 1_200),
        new Timer(TimerKind.EXPIRE, 3, now + 1_500));
    schedule(keys, timers);

    Await.until("the overdue timer fired", Duration.ofSeconds(3), () -> expiries.count(1) == 1);
    assertThat(expiries.count(2)).as("a timer due in 700 ms, right after scheduling").isZero();
    Await.until("every timer fired", Duration.ofSeconds(5),
        () -> expiries.count(2) == 1 && closes.count(2) == 1 && expiries.count(3) == 1);
    Await.pause(Duration.ofMillis(300));

    assertThat(expiries.fires.keySet()).containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(closes.fires.keySet()).containsExactly(2L);
    assertThat(expiries.count(1) + expiries.count(2) + expiries.count(3) + closes.count(2)).isEqualTo(4);
    assertThat(expiries.firstAt(2)).as("fired at or after its due time").isGreaterThanOrEqualTo(now + 700);
    assertThat(closes.firstAt(2)).isGreaterThanOrEqualTo(now + 1_200);
    assertThat(expiries.firstAt(3)).isGreaterThanOrEqualTo(now + 1_500).isLessThan(now + 1_500 + 1_000);
    for (int shard = 0; shard < keys.shards(); shard++) {
      assertThat(RedisKeys.zcard(redis, keys.due(shard))).as("due set of shard %d", shard).isZero();
      assertThat(RedisKeys.zcard(redis, keys.leases(shard))).as("acknowledged leases of shard %d", shard).isZero();
    }
  }

  @Test
  @DisplayName("shares 5,000 timers among three engines on the same shards: disjoint claims, every timer fired exactly once")
  void threeEnginesFireEveryTimerExactlyOnce() {
    TimerKeys keys = new TimerKeys(prefix, 16);
    TimerSettings settings = settings(16, 40, Duration.ofSeconds(20));
    TimerStats stats = new TimerStats();
    FiringRecorder fired = new FiringRecorder();
    for (int e = 0; e < 3; e++) {
      TimerHandler handler = fired.newEngine();
      startEngine(keys, settings, Map.of(TimerKind.EXPIRE, handler), stats);
    }

    int n = 5_000;
    long now = System.currentTimeMillis();
    List<Timer> timers = IntStream.range(0, n)
        .mapToObj(i -> new Timer(TimerKind.EXPIRE, 1_000_000L + i, now + 200 + (i % 1_000))).toList();
    schedule(keys, timers);

    Await.until("all 5,000 timers fired", Duration.ofSeconds(30), () -> fired.distinctFired() == n);
    Await.pause(Duration.ofMillis(500));

    fired.assertEachFiredOnceByOneEngine(n);
    assertThat(stats.claimed.sum()).isEqualTo(n);
    Await.until("every lease acknowledged", Duration.ofSeconds(3), () -> stats.applied.sum() == n);
    assertThat(stats.reaped.sum()).isZero();
    for (int shard = 0; shard < keys.shards(); shard++) {
      assertThat(RedisKeys.zcard(redis, keys.due(shard))).isZero();
      assertThat(RedisKeys.zcard(redis, keys.leases(shard))).isZero();
    }
  }

  @Test
  @DisplayName("sends the timers of a failed batch back to the due set, to fire again after a pause, without waiting for the lease")
  void retriesTheTimersOfAFailedBatch() {
    TimerKeys keys = new TimerKeys(prefix, 4);
    Duration lease = Duration.ofSeconds(30);
    TimerStats stats = new TimerStats();
    Recorder recorder = new Recorder();
    Set<Long> failedOnce = ConcurrentHashMap.newKeySet();
    TimerHandler failingFirst = batch -> {
      Future<Void> recorded = recorder.fire(batch);
      boolean first = false;
      for (long id : batch) first |= failedOnce.add(id);
      return first ? recorded.compose(v -> Future.failedFuture(new IllegalStateException("database unavailable")))
          : recorded;
    };
    startEngine(keys, settings(4, 64, lease), Map.of(TimerKind.CLOSE, failingFirst), stats);

    long now = System.currentTimeMillis();
    List<Timer> timers = IntStream.range(0, 10).mapToObj(i -> new Timer(TimerKind.CLOSE, 500L + i, now)).toList();
    schedule(keys, timers);

    Await.until("every timer fired twice", Duration.ofSeconds(20),
        () -> timers.stream().allMatch(t -> recorder.count(t.id()) >= 2));
    Await.pause(Duration.ofMillis(600));

    for (Timer timer : timers) {
      assertThat(recorder.count(timer.id())).as("fires of %d", timer.id()).isEqualTo(2);
      List<Long> at = List.copyOf(recorder.times.get(timer.id()));
      assertThat(at.get(1) - at.get(0)).as("ms between the failed and the second firing of %d", timer.id())
          .isGreaterThanOrEqualTo(TimerEngine.RETRY_AFTER_FAILURE_MS);
    }
    assertThat(stats.failedBatches.sum()).isPositive();
    assertThat(stats.retried.sum()).as("timers sent back by their batch").isEqualTo(10);
    assertThat(stats.reaped.sum()).as("nothing left for the reaper").isZero();
    assertThat(stats.applied.sum()).isEqualTo(10);
  }

  @Test
  @DisplayName("settles a batch per timer at its deadline: done ones stay done, running ones are parked (for the park time, however short the lease) and fire again only if their work fails, and the slot is free at once")
  void aBatchPastItsDeadlineParksWhatStillRuns() {
    TimerKeys keys = new TimerKeys(prefix, 1);
    Duration lease = Duration.ofMillis(600); // shorter than the late work: parking must not follow it
    Duration park = Duration.ofSeconds(3);
    TimerSettings settings = new TimerSettings(1, 64, lease, Duration.ofMillis(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60), 4, 64, Duration.ofMillis(300), 1, park);
    TimerStats stats = new TimerStats();
    Map<Long, AtomicInteger> fires = new ConcurrentHashMap<>();
    long done = 1, lateOk = 2, lateFail = 3, after = 4;
    TimerHandler handler = new TimerHandler() {
      @Override
      public Future<Void> fire(List<Long> ids) {
        return Future.all(fireEach(ids)).mapEmpty();
      }

      @Override
      public List<Future<Void>> fireEach(List<Long> ids) {
        List<Future<Void>> each = new ArrayList<>();
        Vertx owner = Vertx.currentContext().owner();
        for (long id : ids) {
          int n = fires.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
          Promise<Void> p = Promise.promise();
          if (id == lateOk && n == 1) owner.setTimer(1_200, t -> p.complete());
          else if (id == lateFail && n == 1) owner.setTimer(1_200, t -> p.fail("supplier reset the connection"));
          else p.complete();
          each.add(p.future());
        }
        return each;
      }
    };
    startEngine(keys, settings, Map.of(TimerKind.CLOSE, handler), stats);

    long now = System.currentTimeMillis();
    schedule(keys, List.of(new Timer(TimerKind.CLOSE, done, now), new Timer(TimerKind.CLOSE, lateOk, now),
        new Timer(TimerKind.CLOSE, lateFail, now)));
    Await.until("the batch passed its deadline", Duration.ofSeconds(5), () -> stats.pastDeadline.sum() == 1);
    schedule(keys, List.of(new Timer(TimerKind.CLOSE, after, System.currentTimeMillis())));
    Await.until("a timer due after the deadline fired in the freed slot while the late work still runs",
        Duration.ofSeconds(5), () -> fires.containsKey(after));
    assertThat(fires.get(lateOk).get()).as("fires of the timer still running").isEqualTo(1);

    Await.until("the timer whose late work failed fired again", Duration.ofSeconds(10), () -> fires.get(lateFail).get() == 2);
    Await.pause(park.plusMillis(1_000)); // past the parked score: a parked member left behind would fire now
    assertThat(fires.get(done).get()).as("fires of the timer done before the deadline").isEqualTo(1);
    assertThat(fires.get(lateOk).get()).as("fires of the timer whose late work succeeded").isEqualTo(1);
    assertThat(fires.get(lateFail).get()).isEqualTo(2);
    assertThat(fires.get(after).get()).isEqualTo(1);
    assertThat(RedisKeys.zcard(redis, keys.due(TimerLane.EXTERNAL, 0))).as("members left in the due set").isZero();
    assertThat(stats.reaped.sum()).isZero();
  }

  @Test
  @DisplayName("parks a refund still running at its batch's deadline for the lease only, not for the long park of supplier calls")
  void internalWorkPastItsDeadlineFiresAgainAfterTheLease() {
    TimerKeys keys = new TimerKeys(prefix, 1);
    Duration lease = Duration.ofMillis(600);
    Duration park = Duration.ofSeconds(30); // a supplier call's park: a refund whose work never ends must not wait it
    TimerSettings settings = new TimerSettings(1, 64, lease, Duration.ofMillis(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60), 4, 64, Duration.ofMillis(300), 1, park);
    TimerStats stats = new TimerStats();
    AtomicInteger fires = new AtomicInteger();
    TimerHandler handler = batch -> fires.incrementAndGet() == 1
        ? Promise.<Void>promise().future() // its node's transaction never ends (the node died mid-statement)
        : Future.succeededFuture();
    startEngine(keys, settings, Map.of(TimerKind.EXPIRE, handler), stats);
    long started = System.currentTimeMillis();

    schedule(keys, List.of(new Timer(TimerKind.EXPIRE, 1, started)));

    Await.until("the refund fired again", Duration.ofSeconds(10), () -> fires.get() == 2);
    assertThat(System.currentTimeMillis() - started).as("ms until the second fire").isLessThan(park.toMillis() / 3);
    assertThat(stats.pastDeadline.sum()).isEqualTo(1);
    Await.until("the due set is empty", Duration.ofSeconds(5),
        () -> RedisKeys.zcard(redis, keys.due(TimerLane.INTERNAL, 0)) == 0);
  }

  @Test
  @DisplayName("keeps firing other shards while one handler never completes")
  void aHandlerThatNeverCompletesDoesNotBlockOtherShards() {
    TimerKeys keys = new TimerKeys(prefix, 8);
    Duration lease = Duration.ofMillis(300);
    long stuck = idOnShard(keys, 0, 7_000);
    AtomicInteger stuckAttempts = new AtomicInteger();
    Recorder recorder = new Recorder();
    TimerHandler handler = batch -> {
      if (batch.contains(stuck)) {
        stuckAttempts.incrementAndGet();
        return Promise.<Void>promise().future(); // a query that never returns
      }
      return recorder.fire(batch);
    };
    startEngine(keys, settings(8, 64, lease), Map.of(TimerKind.EXPIRE, handler), new TimerStats());

    schedule(keys, List.of(new Timer(TimerKind.EXPIRE, stuck, System.currentTimeMillis())));
    Await.until("the stuck handler was called", Duration.ofSeconds(3), () -> stuckAttempts.get() == 1);

    long now = System.currentTimeMillis();
    List<Timer> others = new ArrayList<>();
    long id = 8_000;
    for (int i = 0; i < 20; i++) {
      id = idOnShard(keys, 1 + i % 7, id + 1);
      others.add(new Timer(TimerKind.EXPIRE, id, now + 100 + i * 100L));
    }
    schedule(keys, others);

    Await.until("the other shards' timers fired", Duration.ofSeconds(10),
        () -> others.stream().allMatch(t -> recorder.count(t.id()) == 1));
    for (Timer timer : others) {
      assertThat(recorder.firstAt(timer.id()) - timer.dueMillis()).as("lateness of %d", timer.id())
          .isLessThan(lease.toMillis() + 1_000);
    }
    assertThat(stuckAttempts.get()).as("the stuck timer is re-queued after its lease and tried again").isGreaterThanOrEqualTo(2);
  }

  @Test
  @DisplayName("hands the lease of a batch in flight back at once when it stops, so another engine fires it long before the lease ends")
  void stoppingHandsLeasesBackAtOnce() {
    TimerKeys keys = new TimerKeys(prefix, 4);
    TimerSettings settings = settings(4, 64, Duration.ofSeconds(10));
    AtomicInteger firstEngineCalls = new AtomicInteger();
    String first = startEngine(keys, settings, Map.of(TimerKind.EXPIRE, batch -> {
      firstEngineCalls.incrementAndGet();
      return Promise.<Void>promise().future(); // still in flight when the engine stops
    }), new TimerStats());

    schedule(keys, List.of(new Timer(TimerKind.EXPIRE, 42, System.currentTimeMillis())));
    Await.until("the first engine holds the batch", Duration.ofSeconds(3), () -> firstEngineCalls.get() == 1);

    Recorder second = new Recorder();
    startEngine(keys, settings, Map.of(TimerKind.EXPIRE, second), new TimerStats());
    Await.pause(Duration.ofMillis(300));
    assertThat(second.count(42)).as("leased to the first engine").isZero();

    AtomicLong stoppedAt = new AtomicLong(System.currentTimeMillis());
    Future<Void> undeployed = vertx.undeploy(first);
    deployments.remove(first);
    Await.until("the second engine fired the handed-back timer", Duration.ofSeconds(5), () -> second.count(42) == 1);
    assertThat(second.firstAt(42) - stoppedAt.get()).as("ms from stop to the second engine's firing").isLessThan(2_000);
    Await.until("the first engine stopped", Duration.ofSeconds(5), undeployed::isComplete);
    assertThat(undeployed.succeeded()).as("undeploy: %s", undeployed.cause()).isTrue();
    assertThat(firstEngineCalls.get()).isEqualTo(1);
  }
}
