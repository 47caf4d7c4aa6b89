package com.otporchestrator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.sandbox.SandboxSettings;
import com.otporchestrator.sandbox.SandboxSupplier;
import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Routing across two or more real suppliers (sandbox SMSHub agents over HTTP). Each test uses its
 * own service so its suppliers are the only ones selling it. The node runs no timers, so no stock
 * refresh calls a supplier behind the test's back (breakers see only the purchases).
 */
@DisplayName("Routing a purchase across suppliers")
class RoutingFailoverTest {
  private static final int BREAKER_FAILURES = 3;

  private static TestStores.Isolated stores;
  private static Vertx suppliers;
  private static TestNode node;
  private static Api api;
  private static final Map<String, SandboxSupplier> SANDBOXES = new HashMap<>();

  @BeforeAll
  static void start() {
    suppliers = Vertx.vertx();
    stores = TestStores.isolate(RoutingFailoverTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ROLES", "api,sandbox");
    env.put("UPSTREAM_TIMEOUT_MS", "1000");
    env.put("BREAKER_CONSECUTIVE_FAILURES", String.valueOf(BREAKER_FAILURES));
    env.put("BREAKER_OPEN_MS", "600000");
    node = TestNode.start(env);
    api = node.api();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
      suppliers.close().await(10, TimeUnit.SECONDS);
      stores.close();
    }
  }

  /** Starts a sandbox agent and registers it as supplier {@code id}, pushing SMS to us as itself. */
  private static SandboxSupplier supplier(String id, int priority, String apiKey, Integer channelsLimit,
                                          UnaryOperator<SandboxSettings.Builder> faults) {
    SandboxSupplier supplier = new SandboxSupplier(faults.apply(SandboxSettings.builder()
        .key(id + "-key").smsProbability(0).pushUrl(api.baseUrl() + "/providers/" + id + "/sms")
        .stock(Map.of("russia", Map.of("tg", 50, "wa", 50, "go", 50, "fb", 50, "ig", 50, "vk", 50, "ok", 50, "tw", 50))))
        .build());
    Await.result(suppliers.deployVerticle(supplier));
    JsonObject body = new JsonObject().put("protocol", "smshub").put("baseUrl", supplier.agentUrl())
        .put("apiKey", apiKey == null ? id + "-key" : apiKey).put("pushKey", id + "-key").put("priority", priority);
    if (channelsLimit != null) body.put("channelsLimit", channelsLimit);
    Api.Response response = api.put("/admin/v1/providers/" + id, TestNode.ADMIN_TOKEN, body);
    assertThat(response.status()).as("provider: %s", response).isEqualTo(200);
    SANDBOXES.put(id, supplier);
    return supplier;
  }

  private static void offer(String service, String provider, String price, String cost) {
    Api.Response response = api.put("/admin/v1/offers", TestNode.ADMIN_TOKEN, new JsonObject().put("service", service)
        .put("country", 0).put("provider", provider).put("price", price).put("cost", cost).put("stock", 10));
    assertThat(response.status()).as("offer: %s", response).isEqualTo(200);
  }

  private static Api.Response buy(Customer customer, String service) {
    return api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", service).put("country", 0));
  }

  private static Row order(long id) {
    return Await.result(node.node().core().pool().preparedQuery(
            "SELECT provider_id, cost, price, state, route_attempts, upstream_state FROM activations WHERE id = $1")
        .execute(Tuple.of(id))).iterator().next();
  }

  private static List<String> attempts(long id) {
    return List.of(order(id).getArrayOfStrings("route_attempts"));
  }

  private static JsonObject wallet(Customer customer) {
    return api.get("/v1/wallet", customer.apiKey()).json();
  }

  private static List<String> ledgerKinds(Customer customer) {
    JsonArray entries = api.get("/v1/wallet/transactions", customer.apiKey()).items();
    return entries.stream().map(e -> ((JsonObject) e).getString("kind")).toList();
  }

  @Test
  @DisplayName("moves the order to the second supplier when the first has no numbers: charged once, one number held, the SMS arrives from the second")
  void failsOverOnNoNumbers() {
    SandboxSupplier dry = supplier("dry", 1, null, null, s -> s.noNumbersRate(1.0));
    SandboxSupplier wet = supplier("wet", 2, null, null, s -> s);
    offer("tg", "dry", "0.50", "0.10");
    offer("tg", "wet", "0.50", "0.20");
    Customer customer = node.customer("failover-no-numbers", "5.00");

    Api.Response bought = buy(customer, "tg");

    assertThat(bought.status()).as("%s", bought).isEqualTo(201);
    long id = bought.json().getLong("id");
    assertThat(order(id).getString("provider_id")).isEqualTo("wet");
    assertThat(order(id).getLong("cost")).as("the second supplier's cost").isEqualTo(200_000L);
    assertThat(attempts(id)).containsExactly("dry:NO_NUMBERS");
    assertThat(dry.counters().allocations()).as("numbers held at the first").isZero();
    assertThat(wet.counters().allocations()).as("numbers held at the second").isEqualTo(1);
    assertThat(wallet(customer)).isEqualTo(new JsonObject().put("balance", "4.50").put("held", "0.50").put("currency", "USD"));
    assertThat(ledgerKinds(customer)).containsExactly("hold", "deposit");

    Await.result(wet.sendSms(bought.json().getString("phone"), "Your code is 424242"));
    Await.until("the code from the second supplier", Duration.ofSeconds(10),
        () -> "424242".equals(api.get("/v1/activations/" + id, customer.apiKey()).json().getString("code")));
  }

  @Test
  @DisplayName("moves the order on when the first supplier definitely refuses (a wrong key), and records the refusal")
  void failsOverOnRefusal() {
    SandboxSupplier refusing = supplier("refusing", 1, "not-its-key", null, s -> s);
    supplier("accepting", 2, null, null, s -> s);
    offer("wa", "refusing", "0.40", "0.10");
    offer("wa", "accepting", "0.40", "0.10");
    Customer customer = node.customer("failover-refusal", "5.00");

    Api.Response bought = buy(customer, "wa");

    assertThat(bought.status()).as("%s", bought).isEqualTo(201);
    long id = bought.json().getLong("id");
    assertThat(order(id).getString("provider_id")).isEqualTo("accepting");
    assertThat(attempts(id)).containsExactly("refusing:BAD_KEY");
    assertThat(refusing.counters().allocations()).isZero();
    assertThat(wallet(customer).getString("balance")).isEqualTo("4.60");
  }

  @Test
  @DisplayName("moves past an sms-activate supplier that answers CHANNELS_LIMIT (too many active numbers there)")
  void failsOverOnChannelsLimitAnswer() {
    io.vertx.core.http.HttpServer busy = Await.result(suppliers.createHttpServer()
        .requestHandler(request -> request.response().putHeader("Content-Type", "text/plain").end("CHANNELS_LIMIT"))
        .listen(0, "127.0.0.1"));
    Api.Response put = api.put("/admin/v1/providers/busy", TestNode.ADMIN_TOKEN, new JsonObject().put("protocol", "sms-activate")
        .put("baseUrl", "http://127.0.0.1:" + busy.actualPort()).put("apiKey", "busy-key").put("priority", 1));
    assertThat(put.status()).as("%s", put).isEqualTo(200);
    supplier("free", 2, null, null, s -> s);
    offer("tw", "busy", "0.40", "0.10");
    offer("tw", "free", "0.40", "0.10");
    Customer customer = node.customer("failover-channels", "5.00");

    Api.Response bought = buy(customer, "tw");

    assertThat(bought.status()).as("%s", bought).isEqualTo(201);
    long id = bought.json().getLong("id");
    assertThat(order(id).getString("provider_id")).isEqualTo("free");
    assertThat(attempts(id)).singleElement().asString().startsWith("busy:CHANNELS_LIMIT");
    assertThat(wallet(customer).getString("balance")).isEqualTo("4.60");
  }

  @Test
  @DisplayName("charges the first offer's price even when the supplier that fills the order has a higher one")
  void customerPaysTheQuotedPrice() {
    supplier("cheap-dry", 1, null, null, s -> s.noNumbersRate(1.0));
    supplier("dear", 2, null, null, s -> s);
    offer("go", "cheap-dry", "0.30", "0.05");
    offer("go", "dear", "0.90", "0.25");
    Customer customer = node.customer("quoted-price", "5.00");

    Api.Response bought = buy(customer, "go");

    assertThat(bought.status()).as("%s", bought).isEqualTo(201);
    assertThat(bought.json().getString("price")).isEqualTo("0.30");
    long id = bought.json().getLong("id");
    assertThat(order(id).getString("provider_id")).isEqualTo("dear");
    assertThat(order(id).getLong("price")).isEqualTo(300_000L);
    assertThat(wallet(customer).getString("balance")).isEqualTo("4.70");
  }

  @Test
  @DisplayName("answers no-numbers once every supplier passed, refunds the hold, and lists both attempts")
  void everySupplierDry() {
    supplier("dry-a", 1, null, null, s -> s.noNumbersRate(1.0));
    supplier("dry-b", 2, null, null, s -> s.noNumbersRate(1.0));
    offer("fb", "dry-a", "0.30", "0.05");
    offer("fb", "dry-b", "0.30", "0.05");
    Customer customer = node.customer("all-dry", "5.00");

    Api.Response bought = buy(customer, "fb");

    assertThat(bought.status()).as("%s", bought).isEqualTo(409);
    assertThat(bought.json().getString("type")).endsWith("/no-numbers");
    long id = api.get("/v1/activations", customer.apiKey()).items().getJsonObject(0).getLong("id");
    assertThat(order(id).getString("state")).isEqualTo("FAILED");
    assertThat(order(id).getString("provider_id")).isEqualTo("dry-b");
    assertThat(attempts(id)).containsExactly("dry-a:NO_NUMBERS");
    assertThat(wallet(customer)).isEqualTo(new JsonObject().put("balance", "5.00").put("held", "0.00").put("currency", "USD"));
    assertThat(ledgerKinds(customer)).containsExactly("void", "hold", "deposit");
  }

  @Test
  @DisplayName("skips a supplier that already holds its channels limit of live orders, without asking it")
  void skipsSupplierAtChannelsLimit() {
    SandboxSupplier limited = supplier("limited", 1, null, 1, s -> s);
    SandboxSupplier spare = supplier("spare", 2, null, null, s -> s);
    offer("ig", "limited", "0.30", "0.05");
    offer("ig", "spare", "0.30", "0.05");
    Customer customer = node.customer("channels", "5.00");

    long first = buy(customer, "ig").json().getLong("id");
    long second = buy(customer, "ig").json().getLong("id");

    assertThat(order(first).getString("provider_id")).isEqualTo("limited");
    assertThat(order(second).getString("provider_id")).isEqualTo("spare");
    assertThat(attempts(second)).as("skipped, never asked").isEmpty();
    assertThat(limited.counters().allocations()).isEqualTo(1);
    assertThat(spare.counters().allocations()).isEqualTo(1);
  }

  @Test
  @DisplayName("does not fail over on an unknown outcome (HTTP 500): the number may be held there, so the order is refunded and reconciled")
  void noFailoverOnUnknownOutcome() {
    supplier("garbled", 1, null, null, s -> s.failureRate(1.0));
    SandboxSupplier untouched = supplier("untouched", 2, null, null, s -> s);
    offer("vk", "garbled", "0.30", "0.05");
    offer("vk", "untouched", "0.30", "0.05");
    Customer customer = node.customer("unknown-outcome", "5.00");

    Api.Response bought = buy(customer, "vk");

    assertThat(bought.status()).as("%s", bought).isEqualTo(502);
    long id = api.get("/v1/activations", customer.apiKey()).items().getJsonObject(0).getLong("id");
    assertThat(order(id).getString("provider_id")).isEqualTo("garbled");
    assertThat(order(id).getString("upstream_state")).isEqualTo("UNKNOWN");
    assertThat(attempts(id)).isEmpty();
    assertThat(untouched.counters().allocations()).isZero();
    assertThat(wallet(customer).getString("balance")).isEqualTo("5.00");
  }

  @Test
  @DisplayName("stops routing to a supplier whose breaker opened after repeated failures, and raises a suspected outage for it")
  void openBreakerStopsRoutingAndRaisesSuspectedOutage() {
    supplier("flaky", 1, null, null, s -> s.failureRate(1.0));
    SandboxSupplier steady = supplier("steady", 2, null, null, s -> s);
    offer("ok", "flaky", "0.30", "0.05");
    offer("ok", "steady", "0.30", "0.05");
    Customer customer = node.customer("breaker", "5.00");

    for (int i = 0; i < BREAKER_FAILURES; i++) {
      assertThat(buy(customer, "ok").status()).as("purchase %d goes to flaky and fails unknown", i).isEqualTo(502);
    }
    Api.Response afterwards = buy(customer, "ok");

    assertThat(afterwards.status()).as("%s", afterwards).isEqualTo(201);
    long id = afterwards.json().getLong("id");
    assertThat(order(id).getString("provider_id")).isEqualTo("steady");
    assertThat(attempts(id)).as("flaky was skipped, not tried").isEmpty();
    assertThat(steady.counters().allocations()).isEqualTo(1);

    JsonObject health = api.get("/admin/v1/providers/health", TestNode.ADMIN_TOKEN).json();
    JsonObject flaky = health.getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("provider").equals("flaky")).findFirst().orElseThrow();
    assertThat(flaky.getString("breaker")).isEqualTo("OPEN");
    assertThat(flaky.getInteger("windowFailures")).isEqualTo(BREAKER_FAILURES);
    assertThat(flaky.getDouble("errorRate")).isEqualTo(1.0);

    Await.until("a suspected outage of flaky", Duration.ofSeconds(5), () -> suspectedOf("flaky") != null);
    JsonObject suspected = suspectedOf("flaky");
    assertThat(suspected.getString("source")).isEqualTo("breaker");
    assertThat(suspected.getInteger("refunded")).isZero();
    node.assertMoneyInvariants();
  }

  private static JsonObject suspectedOf(String provider) {
    JsonArray items = api.get("/admin/v1/outages?state=SUSPECTED", TestNode.ADMIN_TOKEN).items();
    return items.stream().map(JsonObject.class::cast).filter(o -> provider.equals(o.getString("provider")))
        .findFirst().orElse(null);
  }
}
