package com.otporchestrator.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.Presets;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import com.otporchestrator.upstream.smsactivate.FakeSmsActivateUpstream;
import com.otporchestrator.upstream.smsactivate.FakeSmsActivateUpstream.Dialect;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * smsactivator: "You cancel the order before any SMS arrives — full refund, processed instantly."
 * smssb: "Cancelled before delivery — if you cancel an active one-time number before any SMS code is received, the full
 * cost is returned to your balance." With the default configuration (no CANCEL_DELAY_SECONDS) the order's policy alone
 * decides when a cancel opens; a supplier that refuses young closes (EARLY_CANCEL_DENIED) delays its own close, never the
 * customer's refund.
 */
@DisplayName("A cancel opens when the order's policy says, with no operator delay by default")
class CancelFollowsThePolicyTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static Vertx upstreamVertx;
  private static FakeSmsActivateUpstream hero;

  @BeforeAll
  static void start() throws Exception {
    upstreamVertx = Vertx.vertx();
    hero = new FakeSmsActivateUpstream(upstreamVertx).speak(Dialect.HERO);
    hero.start().await(10, TimeUnit.SECONDS);
    stores = TestStores.isolate(CancelFollowsThePolicyTest.class);
    node = TestNode.start(TestNode.defaults(stores)); // CANCEL_DELAY_SECONDS left at its default
    api = node.api();
    node.offer("tg", 0, "0.50");
    Api.Response provider = api.put("/admin/v1/providers/hero", TestNode.ADMIN_TOKEN, new JsonObject()
        .put("protocol", "sms-activate").put("baseUrl", hero.baseUrl()).put("apiKey", FakeSmsActivateUpstream.API_KEY)
        .put("priority", 10));
    assertThat(provider.status()).as("%s", provider).isEqualTo(200);
    Api.Response offer = api.put("/admin/v1/offers", TestNode.ADMIN_TOKEN, new JsonObject().put("service", "dr")
        .put("country", 52).put("provider", "hero").put("price", "0.20").put("cost", "0.05").put("stock", 5));
    assertThat(offer.status()).as("%s", offer).isEqualTo(200);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
      stores.close();
      upstreamVertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static JsonObject buy(Customer c, String service, int country) {
    Api.Response r = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", service).put("country", country));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json();
  }

  private static String balance(Customer c) {
    return api.get("/v1/wallet", c.apiKey()).json().getString("balance");
  }

  private static void cancelsAtOnceWithAFullRefund(String policyId) {
    Presets.putInForce(api, policyId);
    Customer c = node.customer("canceller-" + policyId, "1.00");
    JsonObject order = buy(c, "tg", 0);
    assertThat(order.getJsonObject("policy").getString("id")).isEqualTo(policyId);
    assertThat(order.getString("cancellableAt")).as("cancellable from the purchase").isEqualTo(order.getString("createdAt"));
    Api.Response cancelled = api.post("/v1/activations/" + order.getLong("id") + "/cancel", c.apiKey(), (String) null);
    assertThat(cancelled.status()).as("%s", cancelled).isEqualTo(200);
    assertThat(cancelled.json().getString("state")).isEqualTo("CANCELLED");
    assertThat(balance(c)).as("the full price is back").isEqualTo("1.00");
    node.assertMoneyInvariants();
  }

  @Test
  @DisplayName("smsactivator: a cancel right after the purchase refunds in full, at once")
  void smsactivatorCancelsInstantly() {
    cancelsAtOnceWithAFullRefund("smsactivator_refund_policy");
  }

  @Test
  @DisplayName("smssb: a cancel before any code returns the full cost, at once")
  void smssbCancelsBeforeDelivery() {
    cancelsAtOnceWithAFullRefund("smssb_refund_policy");
  }

  @Test
  @DisplayName("a supplier refusing young closes delays its own close, not the customer's refund")
  void theSuppliersMinimumAgeIsTheCloseLanesBusiness() {
    Presets.putInForce(api, "smsactivator_refund_policy");
    hero.denyEarlyCancel(1, 2);
    Customer c = node.customer("early-canceller", "1.00");
    long id = buy(c, "dr", 52).getLong("id");
    Api.Response cancelled = api.post("/v1/activations/" + id + "/cancel", c.apiKey(), (String) null);
    assertThat(cancelled.status()).as("%s", cancelled).isEqualTo(200);
    assertThat(balance(c)).as("refunded at once").isEqualTo("1.00");

    Await.until("the supplier refused the young close, and it was rescheduled", Duration.ofSeconds(5),
        () -> String.valueOf(upstream(id).getString("upstream_note")).contains("EARLY_CANCEL_DENIED"));
    assertThat(upstream(id).getString("upstream_state")).isEqualTo("CLOSING");
    Await.until("closed with the supplier once old enough", Duration.ofSeconds(15),
        () -> "CLOSED".equals(upstream(id).getString("upstream_state")));
    assertThat(balance(c)).isEqualTo("1.00");
  }

  private static Row upstream(long id) {
    return Await.result(node.node().core().pool().preparedQuery(
        "SELECT upstream_state, upstream_note FROM activations WHERE id = $1").execute(Tuple.of(id))).iterator().next();
  }
}
