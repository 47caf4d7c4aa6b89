package com.otporchestrator.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.Modules;
import com.otporchestrator.activation.ScopeRefunds;
import com.otporchestrator.sandbox.SandboxSupplier;
import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Outages refund every open order of their scope exactly once: thousands of orders, SMS arriving
 * during the refund, two nodes refunding the same outage at once, a refund job whose pod died.
 * Node A serves the API and the sandbox supplier; node B only runs timers and the outage job.
 */
@DisplayName("An outage")
class OutageRefundTest {
  private static TestStores.Isolated stores;
  private static TestNode nodeA;
  private static TestNode nodeB;
  private static Api api;
  private static Vertx receiverVertx;
  private static HttpServer receiver;
  private static final List<JsonObject> WEBHOOKS = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(OutageRefundTest.class);
    Map<String, String> envA = TestNode.defaults(stores);
    envA.put("WEBHOOK_ALLOW_PRIVATE_URLS", "true");
    envA.put("WEBHOOK_RETRY_BASE_MS", "50");
    envA.put("OUTAGE_POLL_MS", "3600000");
    nodeA = TestNode.start(envA);
    api = nodeA.api();
    Map<String, String> envB = TestNode.defaults(stores);
    envB.put("ROLES", "timers");
    envB.put("WEBHOOK_ALLOW_PRIVATE_URLS", "true");
    envB.put("OUTAGE_POLL_MS", "300");
    envB.put("OUTAGE_LEASE_MS", "2000");
    nodeB = TestNode.start(envB);
    receiverVertx = Vertx.vertx();
    receiver = Await.result(receiverVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      WEBHOOKS.add(body.toJsonObject());
      request.response().setStatusCode(200).end();
    })).listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      nodeA.assertMoneyInvariants();
      nodeA.assertEventLoopNeverBlocked();
      nodeB.assertEventLoopNeverBlocked();
    } finally {
      nodeB.close();
      nodeA.close();
      receiverVertx.close().await(10, TimeUnit.SECONDS);
      stores.close();
    }
  }

  /** Buys {@code perCountry} numbers of {@code service} in each of {@code countries}, through the batch API. */
  private static List<JsonObject> buy(Customer customer, String service, List<Integer> countries, int perCountry) {
    List<JsonObject> orders = new ArrayList<>();
    for (int country : countries) {
      nodeA.offer(service, country, "0.10");
      JsonArray items = new JsonArray(); // at most 100 per item, 1,000 per request
      for (int left = perCountry; left > 0; left -= 100) {
        items.add(new JsonObject().put("service", service).put("country", country).put("quantity", Math.min(100, left)));
      }
      Api.Response response = api.post("/v1/activations/batch", customer.apiKey(), new JsonObject().put("items", items));
      assertThat(response.status()).as("%s", response).isEqualTo(201);
      for (Object item : response.json().getJsonArray("items")) {
        JsonObject result = (JsonObject) item;
        assertThat(result.getJsonArray("failures", new JsonArray())).as("every unit allocated: %s", result).isEmpty();
        result.getJsonArray("activations").forEach(o -> orders.add((JsonObject) o));
      }
    }
    assertThat(orders).hasSize(perCountry * countries.size());
    return orders;
  }

  private static Modules modules(TestNode node) {
    return node.node().modules();
  }

  private static Row outageRow(long id) {
    return Await.result(nodeA.node().core().pool().preparedQuery("SELECT state, refunded, lease_until FROM outages WHERE id = $1")
        .execute(Tuple.of(id))).iterator().next();
  }

  private static long count(String sql, Object... args) {
    return Await.result(nodeA.node().core().pool().preparedQuery(sql).execute(Tuple.from(args))).iterator().next().getLong(0);
  }

  /** No order was resolved twice, and the books balance. */
  private static void assertEachOrderResolvedOnce() {
    assertThat(count("SELECT count(*) FROM (SELECT order_id FROM ledger_entries WHERE kind IN ('void', 'capture') "
        + "GROUP BY order_id HAVING count(*) > 1) t")).as("orders resolved twice").isZero();
    nodeA.assertMoneyInvariants();
  }

  @Test
  @DisplayName("declared over 2,000 open orders refunds each exactly once while SMS are still arriving; orders that got their SMS first keep it")
  void refundsThousandsOnceWhileSmsArrive() {
    Customer customer = nodeA.customer("outage-bulk", "300.00", "bulk");
    assertThat(api.put("/v1/webhook", customer.apiKey(), new JsonObject()
        .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/hooks")).status()).isEqualTo(200);
    List<JsonObject> orders = buy(customer, "tg", List.of(0, 1, 2, 3), 500);
    List<JsonObject> outsideScope = buy(customer, "wa", List.of(0), 20);
    SandboxSupplier sandbox = modules(nodeA).sandbox().supplier();

    // 100 orders surely get their SMS before the outage; 200 more race with its refund
    List<Future<Void>> before = new ArrayList<>();
    for (int i = 0; i < 100; i++) before.add(sandbox.sendSms(orders.get(i * 20).getString("phone"), "Your code is 11" + (1000 + i)));
    Await.result(Future.all(before));
    List<Future<Void>> racing = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      racing.add(sandbox.sendSms(orders.get(i * 10 + 5).getString("phone"), "Your code is 22" + (1000 + i)));
    }
    Api.Response declared = api.post("/admin/v1/outages", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("service", "tg").put("from", OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).toInstant().toString())
        .put("reason", "supplier lost its SIM bank"));
    assertThat(declared.status()).as("%s", declared).isEqualTo(201);
    long outageId = declared.json().getLong("id");
    assertThat(declared.json().getString("state")).isEqualTo("REFUNDING");
    Await.until("the outage refunded", Duration.ofSeconds(60), () -> "DONE".equals(outageRow(outageId).getString("state")));
    // a push that met a locked row may wait for the sandbox's retry: every racing SMS must have settled
    Await.until("every racing SMS acknowledged or given up", Duration.ofSeconds(90),
        () -> racing.stream().allMatch(Future::isComplete));
    String reason = "outage " + outageId;
    long refunded = count("SELECT count(*) FROM activations WHERE close_reason = $1", reason);
    long withSms = count("SELECT count(DISTINCT activation_id) FROM activation_sms");
    assertThat(outageRow(outageId).getInteger("refunded")).isEqualTo((int) refunded);
    assertThat(refunded + withSms).as("every order in scope: refunded or kept its SMS").isEqualTo(2_000);
    assertThat(withSms).as("SMS stored before the refund reached them").isBetween(100L, 300L);
    assertThat(count("SELECT count(*) FROM activations a WHERE close_reason = $1 AND state = 'CANCELLED' "
        + "AND NOT EXISTS (SELECT 1 FROM activation_sms s WHERE s.activation_id = a.id)", reason)).isEqualTo(refunded);
    assertThat(count("SELECT count(*) FROM activations a WHERE EXISTS (SELECT 1 FROM activation_sms s WHERE s.activation_id = a.id) "
        + "AND state = 'CODE_RECEIVED'")).as("orders with an SMS keep it, unrefunded").isEqualTo(withSms);
    assertThat(count("SELECT count(*) FROM ledger_entries l JOIN activations a ON a.id = l.order_id "
        + "WHERE l.kind = 'void' AND a.close_reason = $1", reason)).as("one void per refunded order").isEqualTo(refunded);
    assertThat(count("SELECT count(*) FROM ledger_entries l JOIN activation_sms s ON s.activation_id = l.order_id "
        + "WHERE l.kind = 'void'")).as("no void for an order with an SMS").isZero();
    assertThat(count("SELECT count(*) FROM activations WHERE service = 'wa' AND state = 'WAITING_CODE'"))
        .as("orders outside the scope untouched").isEqualTo(outsideScope.size());
    assertThat(count("SELECT count(*) FROM webhook_events WHERE type = 'activation.refunded'"))
        .as("one refund event per refunded order").isEqualTo(refunded);
    assertEachOrderResolvedOnce();
    assertThat(api.get("/v1/wallet", customer.apiKey()).json().getString("held"))
        .as("held: the orders with SMS and the 20 outside the scope").isEqualTo(String.format(java.util.Locale.ROOT, "%.2f", (withSms + 20) * 0.10));

    Await.until("a refund webhook", Duration.ofSeconds(30),
        () -> WEBHOOKS.stream().anyMatch(w -> "activation.refunded".equals(w.getString("type"))));
    JsonObject hook = WEBHOOKS.stream().filter(w -> "activation.refunded".equals(w.getString("type"))).findFirst().orElseThrow();
    assertThat(hook.getLong("outageId")).isEqualTo(outageId);
    assertThat(hook.getString("refund")).isEqualTo("0.10");
    assertThat(hook.getString("state")).isEqualTo("CANCELLED");
    Await.until("refunded orders closed with the supplier (cancelled there)", Duration.ofSeconds(60),
        () -> count("SELECT count(*) FROM activations WHERE close_reason = $1 AND upstream_state = 'CLOSED'", reason) == refunded);

    Api.Response again = api.post("/admin/v1/outages", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("from", OffsetDateTime.now(ZoneOffset.UTC).minusHours(2).toInstant().toString()));
    long secondId = again.json().getLong("id");
    Await.until("the overlapping outage done", Duration.ofSeconds(30), () -> "DONE".equals(outageRow(secondId).getString("state")));
    assertThat(count("SELECT count(*) FROM activations WHERE service = 'tg' AND close_reason <> $1 AND state = 'CANCELLED'", reason))
        .as("a second, overlapping outage refunds no tg order again").isZero();
    assertThat(outageRow(secondId).getInteger("refunded")).as("only the 20 wa orders were still open").isEqualTo(20);
    assertEachOrderResolvedOnce();
  }

  @Test
  @DisplayName("refunded by two nodes at the same moment still refunds each order once")
  void twoNodesRefundTheSameOutageConcurrently() {
    Customer customer = nodeA.customer("outage-concurrent", "100.00", "bulk");
    List<JsonObject> orders = buy(customer, "ds", List.of(0, 1), 300);
    OutageRepository outages = modules(nodeA).outages().repository();
    // declared without the API, so no job starts on its own: the two jobs below race, lease or not
    Outage outage = Await.result(outages.declare(new OutageRepository.Declaration(null, "ds", null, false,
        OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(30), null, "concurrency")));

    Future<Void> onA = job(nodeA, outages).refundAll(outage);
    Future<Void> onB = job(nodeB, modules(nodeB).outages().repository()).refundAll(outage);
    Await.result(Future.all(onA, onB));

    assertThat(outageRow(outage.id()).getString("state")).isEqualTo("DONE");
    assertThat(outageRow(outage.id()).getInteger("refunded")).isEqualTo(orders.size());
    assertThat(count("SELECT count(*) FROM activations WHERE close_reason = $1", "outage " + outage.id())).isEqualTo(orders.size());
    assertThat(count("SELECT count(*) FROM ledger_entries l JOIN activations a ON a.id = l.order_id "
        + "WHERE l.kind = 'void' AND a.service = 'ds'")).isEqualTo(orders.size());
    assertThat(api.get("/v1/wallet", customer.apiKey()).json().getString("balance")).isEqualTo("100.00");
    assertEachOrderResolvedOnce();
  }

  @Test
  @DisplayName("left half-refunded by a pod that died is finished by another node once the dead pod's lease ends")
  void resumesAfterThePodDied() {
    Customer customer = nodeA.customer("outage-resume", "100.00", "bulk");
    List<JsonObject> orders = buy(customer, "ig", List.of(0), 120);
    OutageRepository outages = modules(nodeA).outages().repository();
    // the "dead pod": declared it holding the lease for 1.5 s (in one statement, so no running job takes it meanwhile)
    // and refunded one batch of 50 before dying
    long declared = Await.result(nodeA.node().core().pool().query("""
        INSERT INTO outages (service, country, starts_at, state, source, reason, confirmed_at, lease_until)
        VALUES ('ig', 0, now() - interval '30 minutes', 'REFUNDING', 'admin', 'resume', now(), now() + interval '1.5 seconds')
        RETURNING id""").execute()).iterator().next().getLong("id");
    Outage outage = Await.result(outages.find(declared)).orElseThrow();
    Await.result(scopeRefunds(nodeA).refundBatch(outage.id(), outage.scope(), 50));
    assertThat(outageRow(outage.id()).getInteger("refunded")).isEqualTo(50);

    Await.until("node B finished it", Duration.ofSeconds(20), () -> "DONE".equals(outageRow(outage.id()).getString("state")));
    assertThat(outageRow(outage.id()).getInteger("refunded")).isEqualTo(orders.size());
    assertEachOrderResolvedOnce();
  }

  @Test
  @DisplayName("waits for an order of its scope still being bought, then refunds it once it opened on its number")
  void waitsForOrdersStillAllocating() {
    Customer customer = nodeA.customer("outage-allocating", "10.00");
    nodeA.offer("oi", 0, "0.10");
    var repository = modules(nodeA).activations().repository();
    long id = Await.result(repository.holdMany(customer.id(), List.of(new com.otporchestrator.activation.ActivationRepository.Hold(
        new com.otporchestrator.catalog.Offer("oi", 0, "sandbox", 100_000, 10_000, 0), null,
        com.otporchestrator.order.Channel.API)), Duration.ofMinutes(5)))
        .get(0).orElseThrow().id();
    OutageRepository outages = modules(nodeA).outages().repository();
    Outage outage = Await.result(outages.declare(new OutageRepository.Declaration(null, "oi", null, false,
        OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(30), null, "allocating")));

    Await.until("node B's job looked at it", Duration.ofSeconds(10),
        () -> outageRow(outage.id()).getOffsetDateTime("lease_until") != null);
    Await.pause(Duration.ofMillis(1_000));
    assertThat(outageRow(outage.id()).getString("state")).as("waiting for the allocation").isEqualTo("REFUNDING");
    assertThat(outageRow(outage.id()).getInteger("refunded")).isZero();

    assertThat(Await.result(repository.markAllocated(id, "79990000001", "999999999", Duration.ofMinutes(20), null,
        Duration.ZERO))).isPresent();
    Await.until("refunded once it opened", Duration.ofSeconds(15), () -> "DONE".equals(outageRow(outage.id()).getString("state")));
    assertThat(outageRow(outage.id()).getInteger("refunded")).isEqualTo(1);
    assertThat(api.get("/v1/wallet", customer.apiKey()).json().getString("balance")).isEqualTo("10.00");
    assertEachOrderResolvedOnce();
  }

  private static ScopeRefunds scopeRefunds(TestNode node) {
    return modules(node).activations().scopeRefunds();
  }

  private static OutageRefundJob job(TestNode node, OutageRepository outages) {
    return new OutageRefundJob(outages, scopeRefunds(node), modules(node).rentals().service(), 50, Duration.ofSeconds(30));
  }
}
