package com.otporchestrator.timer;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.common.Money;
import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.RedisKeys;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Redis is only an index of timers: when it loses every key, PostgreSQL's sweep and re-seed must
 * bring each order to its end anyway, exactly once, with the money exactly right.
 */
@DisplayName("Orders whose timers Redis lost")
class RedisLossTest {
  private static final long DEPOSIT = 200_000_000L;
  private static TestStores.Isolated stores;

  private enum Fate { EXPIRE, CANCEL, FINISH, CODE_THEN_WINDOW_ENDS }

  private record Bought(long id, Customer customer, long price, Instant cancellableAt, Fate fate) {}

  @BeforeAll
  static void isolate() {
    stores = TestStores.isolate(RedisLossTest.class);
  }

  @AfterAll
  static void dropStores() {
    stores.close();
  }

  private static Map<String, String> env(int windowSeconds) {
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", String.valueOf(windowSeconds));
    env.put("CANCEL_DELAY_SECONDS", "1");
    return env;
  }

  @Test
  @DisplayName("brings every order to its end exactly once, with exact wallets, when Redis loses every key twice mid-run")
  void everyOrderEndsExactlyOnceAfterRedisLostItsKeys() throws Exception {
    TestNode node = TestNode.start(env(3));
    try {
      node.offer("tg", 0, "0.50");
      node.offer("wa", 0, "1.25");
      List<Customer> customers = new ArrayList<>();
      for (int c = 0; c < 6; c++) customers.add(node.customer("loss-" + c, Money.format(DEPOSIT)));
      TimerStats stats = node.node().core().timers().stats();
      long reseededBefore = stats.reseeded.sum();
      long sweptBefore = stats.swept.sum();

      int orders = 300;
      Map<Long, Bought> bought = new ConcurrentHashMap<>();
      AtomicInteger purchased = new AtomicInteger();
      Semaphore inFlight = new Semaphore(12);
      List<Future<?>> tasks = new ArrayList<>();
      long firstWipe;
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < orders; i++) {
          Customer customer = customers.get(i % customers.size());
          Fate fate = Fate.values()[(i / customers.size()) % Fate.values().length];
          String service = i % 3 == 0 ? "wa" : "tg";
          tasks.add(threads.submit(() -> {
            Bought order = buy(node.api(), customer, service, fate, inFlight);
            bought.put(order.id(), order);
            purchased.incrementAndGet();
            act(node.api(), order);
            return null;
          }));
        }
        Await.until("half the orders bought", Duration.ofSeconds(30), () -> purchased.get() >= orders / 2);
        firstWipe = RedisKeys.deleteAll(node.node().core().redis(), stores.redisPrefix());
        Await.until("the safety net re-seeded Redis", Duration.ofSeconds(10), () -> stats.reseeded.sum() > reseededBefore);
        for (Future<?> task : tasks) task.get(60, TimeUnit.SECONDS);
      }
      assertThat(firstWipe).as("keys deleted mid-purchase").isPositive();
      assertThat(bought).hasSize(orders);

      Pool pool = node.node().core().pool();
      assertThat(openOrders(pool)).as("orders still open after the last customer action").isPositive();
      long reseededBeforeSecondWipe = stats.reseeded.sum();
      long secondWipe = RedisKeys.deleteAll(node.node().core().redis(), stores.redisPrefix());
      assertThat(secondWipe).as("keys deleted while orders were open").isPositive();

      Await.until("every order reached a final state", Duration.ofSeconds(30), () -> openOrders(pool) == 0);
      Map<Long, String> states = states(pool);
      Map<Long, Map<String, Long>> entries = ledger(pool);
      for (Bought order : bought.values()) {
        String expected = switch (order.fate()) {
          case EXPIRE -> "EXPIRED";
          case CANCEL -> "CANCELLED";
          case FINISH, CODE_THEN_WINDOW_ENDS -> "FINISHED";
        };
        assertThat(states.get(order.id())).as("state of order %d (%s)", order.id(), order.fate()).isEqualTo(expected);
        Map<String, Long> kinds = entries.get(order.id());
        assertThat(kinds).as("ledger entries of order %d", order.id())
            .isEqualTo("FINISHED".equals(expected) ? Map.of("hold", 1L, "capture", 1L) : Map.of("hold", 1L, "void", 1L));
      }
      for (Customer customer : customers) {
        long spent = bought.values().stream()
            .filter(o -> o.customer().equals(customer) && (o.fate() == Fate.FINISH || o.fate() == Fate.CODE_THEN_WINDOW_ENDS))
            .mapToLong(Bought::price).sum();
        JsonObject wallet = node.api().get("/v1/wallet", customer.apiKey()).json();
        assertThat(wallet.getString("balance")).as("balance of account %d", customer.id()).isEqualTo(Money.format(DEPOSIT - spent));
        assertThat(wallet.getString("held")).as("held of account %d", customer.id()).isEqualTo("0.00");
      }
      Await.until("every order closed with the supplier", Duration.ofSeconds(20),
          () -> count(pool, "SELECT count(*) FROM activations WHERE upstream_state <> 'CLOSED'") == 0);
      assertThat(stats.reseeded.sum()).as("timers re-seeded after the second loss").isGreaterThan(reseededBeforeSecondWipe);
      System.out.printf("RedisLossTest: deleted %d then %d keys; re-seeded %d timers, swept %d%n", firstWipe, secondWipe,
          stats.reseeded.sum() - reseededBefore, stats.swept.sum() - sweptBefore);
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
    }
  }

  @Test
  @DisplayName("re-seeds at start-up the timers of orders that exist only in PostgreSQL, so they still end")
  void startUpReseedRebuildsTimersFromPostgres() {
    Map<String, String> firstEnv = env(8);
    TestNode first = TestNode.start(firstEnv);
    List<Bought> orders = new ArrayList<>();
    Customer customer;
    try {
      first.offer("vk", 0, "0.40");
      customer = first.customer("restart", Money.format(DEPOSIT));
      for (int i = 0; i < 40; i++) {
        Fate fate = i % 2 == 0 ? Fate.EXPIRE : Fate.CODE_THEN_WINDOW_ENDS;
        Bought order = buy(first.api(), customer, "vk", fate, new Semaphore(1));
        if (fate == Fate.CODE_THEN_WINDOW_ENDS) pushCode(first.api(), order.id());
        orders.add(order);
      }
      first.assertEventLoopNeverBlocked();
    } finally {
      first.close();
    }

    TestNode second = null;
    try {
      Map<String, String> secondEnv = env(8);
      // no sweep within this test: only the start-up re-seed can bring the timers back
      secondEnv.put("TIMER_SWEEP_GRACE_MS", "600000");
      io.vertx.core.Vertx helper = io.vertx.core.Vertx.vertx();
      try {
        io.vertx.redis.client.Redis redis = com.otporchestrator.store.RedisStore.client(helper, stores.redisUrl(), 1);
        assertThat(RedisKeys.deleteAll(redis, stores.redisPrefix())).as("keys of the stopped node").isPositive();
        assertThat(RedisKeys.count(redis, stores.redisPrefix())).isZero();
        redis.close();
      } finally {
        helper.close();
      }

      second = TestNode.start(secondEnv);
      Pool pool = second.node().core().pool();
      assertThat(count(pool, "SELECT count(*) FROM activations WHERE state IN ('WAITING_CODE', 'CODE_RECEIVED')"))
          .as("orders still open when the new node started").isEqualTo(40);
      TimerStats stats = second.node().core().timers().stats();
      assertThat(stats.reseeded.sum()).as("timers re-seeded at start-up").isGreaterThanOrEqualTo(40);

      Await.until("every order reached a final state", Duration.ofSeconds(20), () -> openOrders(pool) == 0);
      Map<Long, String> states = states(pool);
      for (Bought order : orders) {
        assertThat(states.get(order.id())).as("order %d", order.id())
            .isEqualTo(order.fate() == Fate.EXPIRE ? "EXPIRED" : "FINISHED");
      }
      assertThat(stats.swept.sum()).as("nothing was left to the sweep").isZero();
      JsonObject wallet = second.api().get("/v1/wallet", customer.apiKey()).json();
      assertThat(wallet.getString("balance")).isEqualTo(Money.format(DEPOSIT - 20 * 400_000L));
      assertThat(wallet.getString("held")).isEqualTo("0.00");
      second.assertMoneyInvariants();
      second.assertEventLoopNeverBlocked();
    } finally {
      if (second != null) second.close();
    }
  }

  // ---- helpers

  private static Bought buy(Api api, Customer customer, String service, Fate fate, Semaphore inFlight) {
    Api.Response response = limited(inFlight, () -> api.post("/v1/activations", customer.apiKey(),
        new JsonObject().put("service", service).put("country", 0)));
    assertThat(response.status()).as("purchase: %s", response).isEqualTo(201);
    JsonObject order = response.json();
    return new Bought(order.getLong("id"), customer, Money.parseUsd(order.getString("price")),
        Instant.parse(order.getString("cancellableAt")), fate);
  }

  /** What the customer (or the supplier) does to the order; only purchases are throttled, so these run on time. */
  private static void act(Api api, Bought order) throws InterruptedException {
    switch (order.fate()) {
      case EXPIRE -> { }
      case CANCEL -> {
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), order.cancellableAt()).toMillis()) + 100);
        Api.Response cancelled = api.post("/v1/activations/" + order.id() + "/cancel", order.customer().apiKey(), (String) null);
        assertThat(cancelled.status()).as("cancel of %d: %s", order.id(), cancelled).isEqualTo(200);
      }
      case FINISH -> {
        pushCode(api, order.id());
        Api.Response finished = api.post("/v1/activations/" + order.id() + "/finish", order.customer().apiKey(), (String) null);
        assertThat(finished.status()).as("finish of %d: %s", order.id(), finished).isEqualTo(200);
      }
      case CODE_THEN_WINDOW_ENDS -> pushCode(api, order.id());
    }
  }

  private static Api.Response pushCode(Api api, long id) {
    Api.Response response = api.post("/admin/v1/sandbox/activations/" + id + "/sms", TestNode.ADMIN_TOKEN,
        new JsonObject().put("text", "Your code is " + (10_000 + id % 90_000)));
    assertThat(response.status()).as("push to %d: %s", id, response).isEqualTo(200);
    assertThat(response.json().getString("state")).isEqualTo("CODE_RECEIVED");
    return response;
  }

  private static <T> T limited(Semaphore inFlight, java.util.function.Supplier<T> call) {
    inFlight.acquireUninterruptibly();
    try {
      return call.get();
    } finally {
      inFlight.release();
    }
  }

  private static long openOrders(Pool pool) {
    return count(pool, "SELECT count(*) FROM activations WHERE state IN ('ALLOCATING', 'WAITING_CODE', 'CODE_RECEIVED', 'WAITING_RETRY')");
  }

  private static long count(Pool pool, String sql) {
    return Await.result(pool.query(sql).execute()).iterator().next().getLong(0);
  }

  private static Map<Long, String> states(Pool pool) {
    Map<Long, String> states = new HashMap<>();
    for (Row row : Await.result(pool.query("SELECT id, state FROM activations").execute())) {
      states.put(row.getLong("id"), row.getString("state"));
    }
    return states;
  }

  private static Map<Long, Map<String, Long>> ledger(Pool pool) {
    Map<Long, Map<String, Long>> entries = new HashMap<>();
    for (Row row : Await.result(pool.preparedQuery(
        "SELECT order_id, kind, count(*) AS n FROM ledger_entries WHERE order_id IS NOT NULL GROUP BY order_id, kind")
        .execute(Tuple.tuple()))) {
      entries.computeIfAbsent(row.getLong("order_id"), k -> new HashMap<>()).put(row.getString("kind"), row.getLong("n"));
    }
    return entries;
  }
}
