package com.otporchestrator.rental;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.Presets;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Rentals are in the automatic refund paths. smsactivator: "The allocated number is reported broken /
 * dead by the upstream — full refund."; smssb: "Number activation failure — if a purchased number (one-time or rental)
 * fails to become active or is unavailable, the full cost is refunded immediately." and "Service outage — if a
 * Platform-wide disruption affects your active order, it will be automatically refunded." The policy says how
 * (rental.refunds: full, or the unused part pro rata, floored to the micro-USD); the rental ends REFUNDED, its extensions
 * count, and the supplier close follows. Hours are scaled by moving a rental's start into the past.
 */
@DisplayName("Rentals refunded automatically: a dead number, an allocation failure, an outage")
class RentalAutoRefundsTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(RentalAutoRefundsTest.class);
    node = TestNode.start(TestNode.defaults(stores));
    api = node.api();
    Api.Response offer = api.put("/admin/v1/rent-offers", ADMIN, new JsonObject().put("provider", "sandbox")
        .put("country", 0).put("service", "full").put("hourlyPrice", "0.01").put("stock", 50));
    assertThat(offer.status()).as("%s", offer).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static long rentAndExtend(Customer c) {
    Api.Response r = api.post("/v1/rentals", c.apiKey(), new JsonObject().put("country", 0).put("hours", 4));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    long id = r.json().getLong("id");
    Api.Response extended = api.post("/v1/rentals/" + id + "/extend", c.apiKey(), new JsonObject().put("hours", 2));
    assertThat(extended.status()).as("%s", extended).isEqualTo(200);
    return id;
  }

  private static JsonObject rental(Customer c, long id) {
    return api.get("/v1/rentals/" + id, c.apiKey()).json();
  }

  private static String balance(Customer c) {
    return api.get("/v1/wallet", c.apiKey()).json().getString("balance");
  }

  private static long count(String sql, long id) {
    return Await.result(node.node().core().pool().preparedQuery(sql).execute(Tuple.of(id))).iterator().next().getLong(0);
  }

  private static void deadNumberRefundsInFull(String policyId) {
    Presets.putInForce(api, policyId);
    Customer c = node.customer("dead-" + policyId, "1.00");
    long id = rentAndExtend(c);
    assertThat(balance(c)).isEqualTo("0.94");
    Api.Response dead = api.post("/admin/v1/sandbox/rentals/" + id + "/dead", ADMIN, "{}");
    assertThat(dead.status()).as("%s", dead).isEqualTo(200);

    JsonObject after = rental(c, id);
    assertThat(after.getString("state")).isEqualTo("REFUNDED");
    assertThat(balance(c)).as("the price and the extension, in full").isEqualTo("1.00");
    assertThat(count("SELECT count(*) FROM ledger_entries l WHERE l.kind = 'void' AND (l.order_id = $1 OR l.order_id IN "
        + "(SELECT e.id FROM rental_extensions e WHERE e.rental_id = $1))", id)).isEqualTo(2);
    JsonObject position = api.get("/v1/rentals/" + id + "/refund", c.apiKey()).json();
    assertThat(position.getBoolean("refunded")).isTrue();
    assertThat(position.getString("rule")).isEqualTo("auto.number_broken_upstream");
    assertThat(count("SELECT count(*) FROM rental_incidents WHERE rental_id = $1 AND kind = 'NUMBER_DEAD'", id)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM claims WHERE order_id = $1", id)).as("no ticket: refunded on its own").isZero();
    Await.until("the supplier close followed", Duration.ofSeconds(15), () -> !"CLOSING".equals(Await.result(node.node().core()
        .pool().preparedQuery("SELECT upstream_state FROM rentals WHERE id = $1").execute(Tuple.of(id))).iterator().next()
        .getString("upstream_state")));
    assertThat(Await.result(node.node().modules().rentals().service().numberDead(id, "reported again")))
        .as("reported again: nothing more").isFalse();
    assertThat(balance(c)).isEqualTo("1.00");
    node.assertMoneyInvariants();
  }

  @Test
  @DisplayName("smsactivator: a number reported dead refunds the rental and its extension in full, at once")
  void smsactivatorDeadNumber() {
    deadNumberRefundsInFull("smsactivator_refund_policy");
  }

  @Test
  @DisplayName("smssb: a rented number that becomes unavailable refunds the full cost")
  void smssbDeadNumber() {
    deadNumberRefundsInFull("smssb_refund_policy");
  }

  @Test
  @DisplayName("smssb: a rental that never becomes active is refunded in full")
  void smssbAllocationFailure() {
    Presets.putInForce(api, "smssb_refund_policy");
    Api.Response provider = api.put("/admin/v1/providers/unreachable", ADMIN, new JsonObject().put("protocol", "smshub")
        .put("baseUrl", "http://127.0.0.1:9/none").put("apiKey", "k").put("priority", 1));
    assertThat(provider.status()).as("%s", provider).isEqualTo(200);
    Api.Response offer = api.put("/admin/v1/rent-offers", ADMIN, new JsonObject().put("provider", "unreachable")
        .put("country", 0).put("service", "wa").put("hourlyPrice", "0.01").put("stock", 5));
    assertThat(offer.status()).as("%s", offer).isEqualTo(200);
    Customer c = node.customer("never-active", "1.00");
    Api.Response r = api.post("/v1/rentals", c.apiKey(), new JsonObject().put("country", 0).put("service", "wa").put("hours", 4));
    assertThat(r.status()).as("%s", r).isIn(409, 502);
    assertThat(balance(c)).isEqualTo("1.00");
    JsonObject failed = api.get("/v1/rentals", c.apiKey()).items().getJsonObject(0);
    assertThat(failed.getString("state")).isEqualTo("FAILED");
  }

  @Test
  @DisplayName("smssb: an outage refunds the unused part pro rata from its start (floored to the micro-USD); a rental under"
      + " a policy that leaves outages to a ticket gets a claim")
  void smssbOutageRefundsTheUnusedPart() {
    Presets.putInForce(api, "smsactivator_refund_policy");
    Customer ticket = node.customer("outage-ticket", "1.00");
    long byTicket = rentAndExtend(ticket);
    Presets.putInForce(api, "smssb_refund_policy");
    Customer c = node.customer("outage-pro-rata", "1.00");
    long id = rentAndExtend(c);
    // both began 3 hours ago: 4 hours bought, 2 more by the extension
    for (long rental : new long[] {id, byTicket}) {
      Await.result(node.node().core().pool().preparedQuery("""
          WITH r AS (UPDATE rentals SET starts_at = date_trunc('second', now()) - interval '3 hours',
                                        ends_at = date_trunc('second', now()) + interval '3 hours'
                      WHERE id = $1 RETURNING id)
          UPDATE rental_extensions e SET ends_at = date_trunc('second', now()) + interval '3 hours' FROM r
           WHERE e.rental_id = r.id""").execute(Tuple.of(rental)));
    }
    Row started = Await.result(node.node().core().pool().preparedQuery("SELECT starts_at FROM rentals WHERE id = $1")
        .execute(Tuple.of(id))).iterator().next();
    OffsetDateTime startsAt = started.getOffsetDateTime("starts_at");
    // the outage began 80 minutes into the rental: of its first 4 hours, 160 minutes were lost
    OffsetDateTime outageFrom = startsAt.plusMinutes(80);
    Api.Response outage = api.post("/admin/v1/outages", ADMIN, new JsonObject().put("provider", "sandbox")
        .put("from", outageFrom.toInstant().toString()).put("reason", "SIM bank offline"));
    assertThat(outage.status()).as("%s", outage).isEqualTo(201);
    long outageId = outage.json().getLong("id");
    Await.until("the outage was refunded", Duration.ofSeconds(20), () -> "DONE".equals(
        api.get("/admin/v1/outages/" + outageId, ADMIN).json().getString("state")));

    JsonObject after = rental(c, id);
    assertThat(after.getString("state")).isEqualTo("REFUNDED");
    long expectedOwn = BigDecimal.valueOf(40_000).multiply(BigDecimal.valueOf(160))
        .divide(BigDecimal.valueOf(240), 0, RoundingMode.FLOOR).longValueExact();
    assertThat(expectedOwn).isEqualTo(26_666);
    Row own = Await.result(node.node().core().pool().preparedQuery(
        "SELECT kind, balance_delta, held_delta FROM ledger_entries WHERE order_id = $1 AND kind <> 'hold'")
        .execute(Tuple.of(id))).iterator().next();
    assertThat(own.getString("kind")).isEqualTo("partial_void");
    assertThat(own.getLong("balance_delta")).isEqualTo(expectedOwn);
    assertThat(own.getLong("held_delta")).isEqualTo(-40_000);
    assertThat(count("SELECT count(*) FROM ledger_entries l JOIN rental_extensions e ON e.id = l.order_id "
        + "WHERE e.rental_id = $1 AND l.kind = 'void' AND l.balance_delta = 20000", id))
        .as("the extension's hours all came after the outage began: returned in full").isEqualTo(1);
    assertThat(balance(c)).isEqualTo("0.986666");
    assertThat(api.get("/v1/rentals/" + id + "/refund", c.apiKey()).json().getString("rule")).isEqualTo("auto.platform_outage");
    assertThat(count("SELECT count(*) FROM claims WHERE order_id = $1", id)).isZero();

    assertThat(rental(ticket, byTicket).getString("state")).as("left to a ticket: still active").isEqualTo("ACTIVE");
    assertThat(count("SELECT count(*) FROM claims WHERE order_id = $1 AND type = 'rental_disconnected'", byTicket)).isEqualTo(1);
    node.assertMoneyInvariants();
  }
}
