package com.otporchestrator.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * smssb: "In the event of extended Platform outages, affected users may receive service credits at our
 * discretion." / "Compensation is limited to the value of directly affected transactions." A credit under an outage is
 * granted only for orders inside its scope and time range; under smssb (in force by default) a credit needs an outage.
 */
@DisplayName("Service credits only for the orders an outage affected")
class ServiceCreditScopeTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(ServiceCreditScopeTest.class);
    node = TestNode.start(stores);
    api = node.api();
    node.offer("tg", 0, "0.50");
    node.offer("wa", 0, "0.40");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static long cancelled(Customer c, String service) {
    Api.Response r = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", service).put("country", 0));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    long id = r.json().getLong("id");
    assertThat(api.post("/v1/activations/" + id + "/cancel", c.apiKey(), (String) null).status()).isEqualTo(200);
    return id;
  }

  private static JsonObject line(long orderId) {
    return new JsonObject().put("orderId", orderId).put("amount", "0.30");
  }

  private static long creditRows(long accountId) {
    return Await.result(node.node().core().pool().preparedQuery(
            "SELECT count(*) FROM ledger_entries WHERE kind = 'service_credit' AND account_id = $1").execute(Tuple.of(accountId)))
        .iterator().next().getLong(0);
  }

  @Test
  @DisplayName("an outage of tg from T1 to T2 credits the tg order it covered, not a wa order nor one bought after T2")
  void onlyOrdersOfTheScopeAndTimeRange() {
    Customer c = node.customer("affected", "5.00");
    Instant from = Instant.now().minusSeconds(1);
    long inside = cancelled(c, "tg");
    long otherService = cancelled(c, "wa");
    Await.pause(Duration.ofMillis(1_100));
    Instant to = Instant.now();
    Await.pause(Duration.ofMillis(1_100));
    long afterTheOutage = cancelled(c, "tg");
    Api.Response outage = api.post("/admin/v1/outages", ADMIN, new JsonObject().put("provider", "sandbox").put("service", "tg")
        .put("from", from.toString()).put("to", to.toString()).put("reason", "tg delivery down"));
    assertThat(outage.status()).as("%s", outage).isEqualTo(201);
    long outageId = outage.json().getLong("id");

    JsonObject body = new JsonObject().put("reason", "tg outage").put("outageId", outageId)
        .put("orders", new JsonArray().add(line(inside)).add(line(otherService)).add(line(afterTheOutage)));
    Api.Response granted = api.post("/admin/v1/service-credits", ADMIN, body);
    assertThat(granted.status()).as("%s", granted).isEqualTo(201);
    JsonArray orders = granted.json().getJsonArray("orders");
    assertThat(orders.getJsonObject(0).getString("credited")).isEqualTo("0.30");
    assertThat(orders.getJsonObject(1).getString("skipped")).isEqualTo("outside_outage");
    assertThat(orders.getJsonObject(2).getString("skipped")).isEqualTo("outside_outage");
    assertThat(creditRows(c.id())).isEqualTo(1);
    assertThat(api.get("/v1/wallet", c.apiKey()).json().getString("balance")).isEqualTo("5.30");
  }

  @Test
  @DisplayName("under smssb a credit with no outage is skipped: credits are for outages")
  void smssbCreditsOnlyUnderAnOutage() {
    Customer c = node.customer("unaffected", "5.00");
    long order = cancelled(c, "tg");
    Api.Response granted = api.post("/admin/v1/service-credits", ADMIN, new JsonObject().put("reason", "goodwill")
        .put("orders", new JsonArray().add(line(order))));
    assertThat(granted.status()).as("%s", granted).isEqualTo(201);
    assertThat(granted.json().getJsonArray("orders").getJsonObject(0).getString("skipped")).isEqualTo("outage_required");
    assertThat(creditRows(c.id())).isZero();
  }

  @Test
  @DisplayName("an unknown, malformed or unconfirmed outage is refused and nothing is written")
  void badOutages() {
    Customer c = node.customer("careless-credit", "5.00");
    long order = cancelled(c, "tg");
    JsonObject body = new JsonObject().put("reason", "x").put("orders", new JsonArray().add(line(order)));
    Api.Response unknown = api.post("/admin/v1/service-credits", ADMIN, body.copy().put("outageId", 999_999));
    assertThat(unknown.status()).as("%s", unknown).isEqualTo(404);
    for (Object bad : new Object[] {"1", -1, 1.5, new JsonObject()}) {
      Api.Response r = api.post("/admin/v1/service-credits", ADMIN, body.copy().put("outageId", bad));
      assertThat(r.status()).as("outageId %s: %s", bad, r).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
    }
    long suspected = Await.result(node.node().core().pool().query("""
        INSERT INTO outages (provider_id, starts_at, state, source, reason) VALUES ('sandbox', now(), 'SUSPECTED', 'breaker', 'test')
        RETURNING id""").execute()).iterator().next().getLong("id");
    Api.Response unconfirmed = api.post("/admin/v1/service-credits", ADMIN, body.copy().put("outageId", suspected));
    assertThat(unconfirmed.status()).as("%s", unconfirmed).isEqualTo(409);
    assertThat(api.post("/admin/v1/outages/" + suspected + "/dismiss", ADMIN, (String) null).status()).isEqualTo(200);
    assertThat(creditRows(c.id())).isZero();
    long grants = Await.result(node.node().core().pool().query("SELECT count(*) FROM service_credits WHERE reason = 'x'")
        .execute()).iterator().next().getLong(0);
    assertThat(grants).isZero();
  }
}
