package com.otporchestrator.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Cancel, expiry and an arriving SMS racing on the same order")
class RaceTest {
  private static final int ORDERS = 300;
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(RaceTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", "3");
    env.put("CANCEL_DELAY_SECONDS", "2");
    env.put("TIMER_IDLE_POLL_MS", "5");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.10");
  }

  @AfterAll
  static void stop() {
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  @Test
  @DisplayName("always end in exactly one outcome, with exactly one money movement, for hundreds of orders")
  void resolveEachOrderExactlyOnce() throws Exception {
    Customer customer = node.customer("racer", "100.00", "bulk");
    ExecutorService pool = Executors.newFixedThreadPool(24);
    try {
      List<JsonObject> orders = buyAll(customer, pool);
      ScheduledExecutorService clock = Executors.newScheduledThreadPool(64);
      List<ScheduledFuture<Api.Response>> racers = new ArrayList<>();
      Random random = new Random(42);
      for (JsonObject order : orders) {
        long id = order.getLong("id");
        long atWindowEnd = Duration.between(Instant.now(), Instant.parse(order.getString("expiresAt"))).toMillis();
        racers.add(clock.schedule(() -> api.post("/v1/activations/" + id + "/cancel", customer.apiKey(), (String) null),
            atWindowEnd - 150 + random.nextInt(200), TimeUnit.MILLISECONDS));
        racers.add(clock.schedule(() -> push(order), atWindowEnd - 150 + random.nextInt(200), TimeUnit.MILLISECONDS));
      }
      for (ScheduledFuture<Api.Response> racer : racers) {
        assertThat(racer.get().status()).as("%s", racer.get()).isIn(200, 409);
      }
      clock.shutdown();
      Await.until("every order closed", Duration.ofSeconds(20), () -> openOrders() == 0);
    } finally {
      pool.shutdownNow();
    }

    Map<String, Integer> outcomes = outcomes();
    System.out.println("race outcomes: " + outcomes);
    assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(ORDERS);
    assertThat(outcomes.keySet()).isSubsetOf("CANCELLED", "EXPIRED", "FINISHED");
    assertEveryOrderMovedMoneyOnceAccordingToItsOutcome();
    long captured = outcomes.getOrDefault("FINISHED", 0);
    JsonObject wallet = api.get("/v1/wallet", customer.apiKey()).json();
    assertThat(wallet.getString("balance")).isEqualTo(new java.math.BigDecimal("100.00")
        .subtract(new java.math.BigDecimal("0.10").multiply(java.math.BigDecimal.valueOf(captured))).setScale(2).toPlainString());
    assertThat(wallet.getString("held")).isEqualTo("0.00");
    node.assertMoneyInvariants();
  }

  private static List<JsonObject> buyAll(Customer customer, ExecutorService pool) throws Exception {
    List<Future<Api.Response>> bought = new ArrayList<>();
    for (int i = 0; i < ORDERS; i++) {
      bought.add(pool.submit(() -> api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0))));
    }
    List<JsonObject> orders = new ArrayList<>();
    for (Future<Api.Response> response : bought) {
      assertThat(response.get().status()).as("%s", response.get()).isEqualTo(201);
      orders.add(response.get().json());
    }
    return orders;
  }

  private static Api.Response push(JsonObject order) {
    JsonObject body = new JsonObject().put("action", "PUSH_SMS").put("key", "sandbox-key").put("smsId", order.getLong("id"))
        .put("phone", Long.parseLong(order.getString("phone"))).put("phoneFrom", "Telegram").put("text", "code 424242");
    return api.post("/providers/sandbox/sms", null, body);
  }

  private static long openOrders() {
    return query("SELECT count(*) AS n FROM activations WHERE closed_at IS NULL").get(0).getLong("n");
  }

  private static Map<String, Integer> outcomes() {
    Map<String, Integer> counts = new HashMap<>();
    for (Row row : query("SELECT state, count(*) AS n FROM activations GROUP BY state")) {
      counts.put(row.getString("state"), row.getLong("n").intValue());
    }
    return counts;
  }

  private static void assertEveryOrderMovedMoneyOnceAccordingToItsOutcome() {
    List<Row> wrong = query("""
        SELECT a.id FROM activations a
         WHERE (SELECT count(*) FROM ledger_entries e WHERE e.order_id = a.id AND e.kind IN ('void', 'capture')) <> 1
            OR (a.state = 'FINISHED') <> EXISTS (SELECT 1 FROM ledger_entries e WHERE e.order_id = a.id AND e.kind = 'capture')
            OR (a.state = 'FINISHED') <> EXISTS (SELECT 1 FROM activation_sms s WHERE s.activation_id = a.id)""");
    assertThat(wrong).as("orders whose money or SMS contradict their outcome").isEmpty();
  }

  private static List<Row> query(String sql) {
    List<Row> rows = new ArrayList<>();
    Await.result(node.node().core().pool().query(sql).execute()).forEach(rows::add);
    return rows;
  }
}
