package com.otporchestrator.activation;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Purchases whose supplier never answered clearly: the customer is refunded at once and the order's
 * fate at the supplier is left UNKNOWN until the safety net's reconciler settles it. The API node
 * runs no timers, so UNKNOWN can be read before a timer node's reconciler is started.
 */
@DisplayName("A purchase whose supplier outcome is unknown")
class UnknownOutcomeTest {
  private static final long UPSTREAM_TIMEOUT_MS = 1_000;
  private static final Duration SLOW_REPLY = Duration.ofMillis(2_500);

  private static TestStores.Isolated stores;
  private static Vertx suppliers;
  private static TestNode apiNode;
  private static TestNode timerNode;
  private static Api api;

  @BeforeAll
  static void start() {
    suppliers = Vertx.vertx();
    stores = TestStores.isolate(UnknownOutcomeTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ROLES", "api,sandbox");
    env.put("UPSTREAM_TIMEOUT_MS", String.valueOf(UPSTREAM_TIMEOUT_MS));
    apiNode = TestNode.start(env);
    api = apiNode.api();

    // "slow" answers every request after the client gave up; "broken" answers HTTP 500
    register("slow", supplier("slow-key", s -> s.slowReplyRate(1.0).slowReplyDelay(SLOW_REPLY)));
    register("broken", supplier("broken-key", s -> s.failureRate(1.0)));
    offer("tg", "slow");
    offer("wa", "broken");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      apiNode.assertMoneyInvariants();
      apiNode.assertEventLoopNeverBlocked();
      if (timerNode != null) timerNode.assertEventLoopNeverBlocked();
    } finally {
      if (timerNode != null) timerNode.close();
      apiNode.close();
      suppliers.close().await(10, TimeUnit.SECONDS);
      stores.close();
    }
  }

  private static SandboxSupplier supplier(String key, UnaryOperator<SandboxSettings.Builder> faults) {
    SandboxSupplier supplier = new SandboxSupplier(faults.apply(SandboxSettings.builder()
        .key(key).smsProbability(0).pushUrl(api.baseUrl() + "/providers/ignored/sms")
        .stock(Map.of("russia", Map.of("tg", 10, "wa", 10)))).build());
    Await.result(suppliers.deployVerticle(supplier));
    return supplier;
  }

  private static void register(String id, SandboxSupplier supplier) {
    Api.Response response = api.put("/admin/v1/providers/" + id, TestNode.ADMIN_TOKEN, new JsonObject()
        .put("protocol", "smshub").put("baseUrl", supplier.agentUrl()).put("apiKey", supplier.settings().key()));
    assertThat(response.status()).as("provider: %s", response).isEqualTo(200);
  }

  private static void offer(String service, String provider) {
    Api.Response response = api.put("/admin/v1/offers", TestNode.ADMIN_TOKEN, new JsonObject().put("service", service)
        .put("country", 0).put("provider", provider).put("price", "0.75").put("cost", "0.10").put("stock", 10));
    assertThat(response.status()).as("offer: %s", response).isEqualTo(200);
  }

  private static Row row(long id) {
    return Await.result(apiNode.node().core().pool().preparedQuery(
            "SELECT state, provider_id, upstream_state, upstream_note, close_reason FROM activations WHERE id = $1")
        .execute(Tuple.of(id))).iterator().next();
  }

  /** Buys and checks everything the customer sees; answers the id of the failed order. */
  private static long failedPurchase(Customer customer, String service, String provider) {
    long started = System.nanoTime();
    Api.Response response = api.post("/v1/activations", customer.apiKey(),
        new JsonObject().put("service", service).put("country", 0));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(response.status()).as("%s", response).isEqualTo(502);
    assertThat(response.contentType()).isEqualTo("application/problem+json");
    assertThat(response.json().getString("type")).endsWith("/upstream-failed");
    assertThat(response.json().getInteger("status")).isEqualTo(502);
    assertThat(tookMs).as("ms until the answer").isLessThan(SLOW_REPLY.toMillis());

    assertThat(api.get("/v1/wallet", customer.apiKey()).json())
        .isEqualTo(new JsonObject().put("balance", "10.00").put("held", "0.00").put("currency", "USD"));
    JsonArray orders = api.get("/v1/activations", customer.apiKey()).items();
    assertThat(orders).hasSize(1);
    long id = orders.getJsonObject(0).getLong("id");
    assertThat(orders.getJsonObject(0).getString("state")).isEqualTo("FAILED");
    JsonArray entries = api.get("/v1/wallet/transactions", customer.apiKey()).items();
    assertThat(entries.stream().map(e -> ((JsonObject) e).getString("kind")).toList())
        .as("newest first").containsExactly("void", "hold", "deposit");
    assertThat(entries.getJsonObject(0).getLong("orderId")).isEqualTo(id);
    assertThat(entries.getJsonObject(1).getLong("orderId")).isEqualTo(id);

    Row failed = row(id);
    assertThat(failed.getString("state")).isEqualTo("FAILED");
    assertThat(failed.getString("provider_id")).isEqualTo(provider);
    assertThat(failed.getString("close_reason")).isEqualTo("supplier outcome unknown");
    assertThat(failed.getString("upstream_state")).as("until reconciled").isEqualTo("UNKNOWN");
    return id;
  }

  @Test
  @DisplayName("answers 502 without charging when the supplier does not answer in time or answers 500, and the reconciler later settles both")
  void refundsAtOnceAndReconcilesLater() {
    long timedOut = failedPurchase(apiNode.customer("timed-out", "10.00"), "tg", "slow");
    assertThat(row(timedOut).getString("upstream_state")).isEqualTo("UNKNOWN");
    long errored = failedPurchase(apiNode.customer("errored", "10.00"), "wa", "broken");
    Await.pause(SLOW_REPLY.plusMillis(500)); // the slow supplier's late answer changes nothing
    assertThat(row(timedOut).getString("upstream_state")).as("nothing reconciles without a timer node").isEqualTo("UNKNOWN");
    assertThat(row(timedOut).getString("state")).isEqualTo("FAILED");

    Map<String, String> env = TestNode.defaults(stores);
    env.put("ROLES", "timers");
    env.put("UPSTREAM_TIMEOUT_MS", String.valueOf(UPSTREAM_TIMEOUT_MS));
    timerNode = TestNode.start(env);

    Await.until("both reconciled", Duration.ofSeconds(15),
        () -> "RECONCILED".equals(row(timedOut).getString("upstream_state"))
            && "RECONCILED".equals(row(errored).getString("upstream_state")));
    // an SMSHub agent cannot list its activations, so the reconciler can only record that
    assertThat(row(timedOut).getString("upstream_note")).isEqualTo("supplier cannot list open activations");
    assertThat(row(timedOut).getString("state")).isEqualTo("FAILED");
    assertThat(row(errored).getString("state")).isEqualTo("FAILED");
    timerNode.assertMoneyInvariants();
  }
}
