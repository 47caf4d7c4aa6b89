package com.otporchestrator.upstream.fivesim;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Orders bought from a 5sim supplier on a running node: polled codes, finishes, and closes 5sim refuses or delays. */
@DisplayName("An order at a 5sim supplier")
class FiveSimLifecycleTest {
  private static TestStores.Isolated stores;
  private static FakeFiveSim fake;
  private static TestNode node;
  private static Api api;
  private static Customer customer;

  @BeforeAll
  static void start() throws Exception {
    stores = TestStores.isolate(FiveSimLifecycleTest.class);
    fake = new FakeFiveSim();
    Map<String, String> env = TestNode.defaults(stores);
    env.put("CANCEL_DELAY_SECONDS", "0");
    node = TestNode.start(env);
    api = node.api();
    Api.Response put = api.put("/admin/v1/providers/five", TestNode.ADMIN_TOKEN, new JsonObject().put("protocol", "fivesim")
        .put("baseUrl", fake.baseUrl()).put("apiKey", FakeFiveSim.TOKEN));
    assertThat(put.status()).as("%s", put).isEqualTo(200);
    api.put("/admin/v1/offers", TestNode.ADMIN_TOKEN, new JsonObject().put("service", "tg").put("country", 0)
        .put("provider", "five").put("price", "0.40").put("cost", "0.10").put("stock", 10));
    customer = node.customer("fivesim-buyer", "10.00");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
      fake.close();
      stores.close();
    }
  }

  private static JsonObject buy() {
    Api.Response bought = api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(bought.status()).as("%s", bought).isEqualTo(201);
    return bought.json();
  }

  private static Row row(long id) {
    return Await.result(node.node().core().pool().preparedQuery("SELECT state, provider_activation_id, upstream_state, "
        + "upstream_attempts, upstream_note, upstream_next_at >= created_at + interval '120 seconds' AS waits_min_age "
        + "FROM activations WHERE id = $1").execute(Tuple.of(id))).iterator().next();
  }

  private static long fiveSimId(long orderId) {
    return Long.parseLong(row(orderId).getString("provider_activation_id"));
  }

  @Test
  @DisplayName("gets its code by polling 5sim and is finished there when the customer finishes it")
  void pollsTheCodeAndFinishes() {
    JsonObject order = buy();
    long id = order.getLong("id");
    long upstream = fiveSimId(id);
    fake.receiveSms(upstream, "Your Telegram code is 73519", "73519");

    Await.until("the polled code", Duration.ofSeconds(15),
        () -> "73519".equals(api.get("/v1/activations/" + id, customer.apiKey()).json().getString("code")));
    assertThat(api.post("/v1/activations/" + id + "/finish", customer.apiKey(), new JsonObject()).status()).isEqualTo(200);
    Await.until("finished at 5sim", Duration.ofSeconds(15), () -> "CLOSED".equals(row(id).getString("upstream_state")));
    assertThat(fake.order(upstream).getString("status")).isEqualTo("FINISHED");
  }

  @Test
  @DisplayName("cancelled while 5sim says it is too early, waits for the order's minimum age without spending an attempt")
  void tooEarlyCancelWaitsForFree() {
    fake.closeReply = FakeFiveSim.Close.WAIT;
    try {
      long id = buy().getLong("id");
      assertThat(api.post("/v1/activations/" + id + "/cancel", customer.apiKey(), new JsonObject()).status()).isEqualTo(200);
      Await.until("the close tried once", Duration.ofSeconds(10), () -> row(id).getString("upstream_note") != null);
      Row closing = row(id);
      assertThat(closing.getString("upstream_state")).isEqualTo("CLOSING");
      assertThat(closing.getInteger("upstream_attempts")).as("too early is not a failure").isZero();
      assertThat(closing.getBoolean("waits_min_age")).as("next try once the order is 120 s old").isTrue();
      assertThat(closing.getString("upstream_note")).isEqualTo("too early: you need to wait time");
    } finally {
      fake.closeReply = FakeFiveSim.Close.OK;
    }
  }

  @Test
  @DisplayName("cancelled at a 5sim that never closes it counts a failed attempt and is tried again later, the customer refunded at once")
  void neverClosingSupplierIsRetried() {
    fake.closeReply = FakeFiveSim.Close.NEVER_CLOSES;
    try {
      long id = buy().getLong("id");
      assertThat(api.post("/v1/activations/" + id + "/cancel", customer.apiKey(), new JsonObject()).status()).isEqualTo(200);
      Await.until("a failed close attempt", Duration.ofSeconds(10), () -> row(id).getInteger("upstream_attempts") == 1);
      assertThat(row(id).getString("upstream_state")).isEqualTo("CLOSING");
      long retryInSeconds = Await.result(node.node().core().pool().preparedQuery(
              "SELECT extract(epoch FROM upstream_next_at - now())::bigint AS s FROM activations WHERE id = $1")
          .execute(Tuple.of(id))).iterator().next().getLong("s");
      assertThat(retryInSeconds).as("the next try, after 5sim's retry delay").isBetween(20L, 30L);
      assertThat(row(id).getString("upstream_note")).contains("cancel answered status");
      assertThat(row(id).getString("state")).isEqualTo("CANCELLED");
    } finally {
      fake.closeReply = FakeFiveSim.Close.OK;
    }
  }

  @Test
  @DisplayName("cancelled after 5sim already got an SMS for it is recorded as refused (our cost), never charged to the customer")
  void refusedCancelIsOurCost() {
    long id = buy().getLong("id");
    fake.closeReply = FakeFiveSim.Close.HAS_SMS;
    try {
      assertThat(api.post("/v1/activations/" + id + "/cancel", customer.apiKey(), new JsonObject()).status()).isEqualTo(200);
      Await.until("refused", Duration.ofSeconds(10), () -> "REFUSED".equals(row(id).getString("upstream_state")));
      assertThat(row(id).getString("upstream_note")).isEqualTo("order has sms");
      assertThat(api.get("/v1/activations/" + id, customer.apiKey()).json().getString("state")).isEqualTo("CANCELLED");
    } finally {
      fake.closeReply = FakeFiveSim.Close.OK;
    }
  }
}
