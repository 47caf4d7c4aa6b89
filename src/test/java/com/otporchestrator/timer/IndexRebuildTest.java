package com.otporchestrator.timer;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.config.AppConfig.TimerSettings;
import com.otporchestrator.store.RedisStore;
import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.RedisKeys;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * When Redis loses the timer index, the engine notices at its next claim (a shard's seeded marker is gone) and has
 * the index rebuilt from PostgreSQL at once, earliest deadline first, instead of waiting for the safety net's next
 * pass; the sweep's grace is out of reach here, so only the rebuild can bring the lost timers back.
 */
@DisplayName("The timer index rebuilt after Redis lost it")
class IndexRebuildTest {
  private static TestStores.Isolated stores;

  @BeforeAll
  static void isolate() {
    stores = TestStores.isolate(IndexRebuildTest.class);
  }

  @AfterAll
  static void dropStores() {
    stores.close();
  }

  private static Map<String, String> env(int windowSeconds) {
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", String.valueOf(windowSeconds));
    env.put("CANCEL_DELAY_SECONDS", "0");
    env.put("TIMER_SWEEP_INTERVAL_MS", "600000");
    env.put("TIMER_SWEEP_GRACE_MS", "600000");
    return env;
  }

  @Test
  @DisplayName("refunds the orders whose timers Redis lost as soon as the engine notices, and those bought during the rebuild too")
  void rebuildsAsSoonAsAClaimFindsTheIndexGone() {
    TestNode node = TestNode.start(env(3));
    try {
      node.offer("tg", 0, "0.50");
      Customer customer = node.customer("rebuild", "100.00");
      TimerStats stats = node.node().core().timers().stats();
      long rebuildsBefore = stats.rebuilds.sum();

      List<Long> before = buy(node.api(), customer, "tg", 40);
      long deleted = loseEveryKey(node.node().core().redis(), stores.redisPrefix());
      assertThat(deleted).as("keys Redis lost").isPositive();
      List<Long> during = buy(node.api(), customer, "tg", 20);

      Pool pool = node.node().core().pool();
      Await.until("every order expired", Duration.ofSeconds(30), () -> expired(pool, before) == before.size()
          && expired(pool, during) == during.size());
      assertThat(stats.rebuilds.sum()).as("rebuilds started by a claim").isGreaterThan(rebuildsBefore);
      assertThat(stats.swept.sum()).as("timers the sweep fired").isZero();
      assertThat(node.api().get("/v1/wallet", customer.apiKey()).json().getString("held")).isEqualTo("0.00");
      assertThat(node.api().get("/v1/wallet", customer.apiKey()).json().getString("balance")).isEqualTo("100.00");
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
    }
  }

  @Test
  @DisplayName("reads the live expiries back earliest deadline first, page by page, each once, orders sharing a deadline included")
  void readsLiveTimersInDeadlineOrder() {
    TestNode node = TestNode.start(env(600));
    try {
      node.offer("wa", 0, "0.30");
      Customer customer = node.customer("deadline-order", "100.00");
      List<Long> ids = buy(node.api(), customer, "wa", 30);
      Pool pool = node.node().core().pool();
      // ten orders share one deadline, as orders bought in the same instant would: ties are ordered by id
      Await.result(pool.preparedQuery("""
          UPDATE activations SET expires_at = (SELECT expires_at FROM activations WHERE id = $1) WHERE id = ANY($2)""")
          .execute(Tuple.of(ids.get(3), (Object) ids.subList(10, 20).toArray(Long[]::new))));
      List<Long> expected = new ArrayList<>();
      for (Row row : Await.result(pool.query("""
          SELECT id FROM activations WHERE state IN ('ALLOCATING', 'WAITING_CODE', 'CODE_RECEIVED', 'WAITING_RETRY')
           ORDER BY expires_at, id""").execute())) {
        expected.add(row.getLong("id"));
      }
      assertThat(expected).hasSize(30);
      long sameInstant = Await.result(pool.query("""
          SELECT count(*) FROM (SELECT expires_at FROM activations GROUP BY expires_at HAVING count(*) > 1) t""").execute())
          .iterator().next().getLong(0);
      assertThat(sameInstant).as("deadlines shared by several orders").isPositive();

      SweepSource expiries = node.node().modules().sweepSources().stream()
          .filter(s -> s.kind() == TimerKind.EXPIRE).findFirst().orElseThrow();
      List<Long> paged = new ArrayList<>();
      List<Long> dues = new ArrayList<>();
      SweepSource.Live cursor = SweepSource.Live.FIRST;
      while (true) {
        List<SweepSource.Live> page = Await.result(expiries.liveByDeadline(cursor, 4));
        page.forEach(live -> {
          paged.add(live.id());
          dues.add(live.dueMicros());
        });
        if (page.size() < 4) break;
        cursor = page.get(page.size() - 1);
      }
      assertThat(paged).as("live expiries, paged by deadline then id").containsExactlyElementsOf(expected);
      assertThat(new HashSet<>(paged)).hasSize(paged.size());
      assertThat(dues).isSorted();
      node.assertMoneyInvariants();
    } finally {
      node.close();
    }
  }

  @Test
  @DisplayName("never puts back a timer later than the one scheduled while it read the row: an order that opened meanwhile keeps its window end")
  void neverDelaysATimerScheduledWhileItReadTheRow() {
    Vertx vertx = Vertx.vertx();
    Redis redis = RedisStore.client(vertx, stores.redisUrl(), 2);
    TimerKeys keys = new TimerKeys(stores.redisPrefix() + "stale-read:", 4);
    try {
      TimerService service = new TimerService(redis, keys);
      long now = System.currentTimeMillis();
      long allocationDeadline = now + 60_000;
      long windowEnd = now + 3_000;
      long otherDeadline = now + 10_000;
      // the rebuild reads order 7 while it is still allocating; before it writes that back, the order opens and
      // schedules the end of its window, as a purchase does (order 8 changed nothing meanwhile)
      SweepSource expiries = SweepSource.byDeadline(TimerKind.EXPIRE, (grace, limit) -> Future.succeededFuture(List.of()),
          (afterDueMicros, afterId, limit) -> afterDueMicros != Long.MIN_VALUE ? Future.succeededFuture(List.of())
              : service.schedule(new Timer(TimerKind.EXPIRE, 7, windowEnd)).map(opened -> List.of(
                  new long[] {7, allocationDeadline * 1_000}, new long[] {8, otherDeadline * 1_000})));
      TimerSettings settings = new TimerSettings(keys.shards(), 256, Duration.ofSeconds(3), Duration.ofMillis(20),
          Duration.ofMinutes(10), Duration.ofMinutes(10), 4);
      TimerSafetyNet net = new TimerSafetyNet(vertx, redis, service, Map.of(), List.of(expiries), List.of(), settings,
          new TimerStats());

      Await.result(net.reseed());

      assertThat(dueAt(redis, keys, TimerKind.EXPIRE.member(7), 7)).as("the opened order's window end").isEqualTo(windowEnd);
      assertThat(dueAt(redis, keys, TimerKind.EXPIRE.member(8), 8)).as("a timer only the rebuild knew").isEqualTo(otherDeadline);
    } finally {
      RedisKeys.deleteAll(redis, stores.redisPrefix() + "stale-read:");
      redis.close();
      Await.result(vertx.close());
    }
  }

  private static long dueAt(Redis redis, TimerKeys keys, String member, long id) {
    Response score = Await.result(redis.send(Request.cmd(Command.ZSCORE).arg(keys.due(keys.shardOf(id))).arg(member)));
    assertThat(score).as("%s in the index", member).isNotNull();
    return (long) Double.parseDouble(score.toString());
  }

  private static List<Long> buy(Api api, Customer customer, String service, int n) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Api.Response bought = api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", service).put("country", 0));
      assertThat(bought.status()).as("%s", bought).isEqualTo(201);
      ids.add(bought.json().getLong("id"));
    }
    return ids;
  }

  /**
   * Every key under the prefix gone at once (one DEL), as when Redis restarts empty: deleted page by page instead, an
   * engine could rebuild between two pages and the later pages would delete part of what it had just rebuilt.
   */
  private static long loseEveryKey(Redis redis, String prefix) {
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      Response page = Await.result(redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*")
          .arg("COUNT").arg(1000)));
      cursor = page.get(0).toString();
      page.get(1).forEach(key -> keys.add(key.toString()));
    } while (!"0".equals(cursor));
    if (keys.isEmpty()) return 0;
    Request del = Request.cmd(Command.DEL);
    keys.forEach(del::arg);
    return Await.result(redis.send(del)).toLong();
  }

  private static long expired(Pool pool, List<Long> ids) {
    return Await.result(pool.preparedQuery("SELECT count(*) FROM activations WHERE id = ANY($1) AND state = 'EXPIRED'")
        .execute(Tuple.of((Object) ids.toArray(Long[]::new)))).iterator().next().getLong(0);
  }
}
