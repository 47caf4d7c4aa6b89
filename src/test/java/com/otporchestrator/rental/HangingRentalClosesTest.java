package com.otporchestrator.rental;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TcpProxy;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A supplier that stops answering while customers cancel rentals and activations expire: the rentals' supplier closes
 * hang, and the activations' refunds must not wait behind them. Rental closes run on the timer engine's external lane,
 * as activation closes do; before, a rental's close ran inside its {@code RENTAL} timer on the internal lane, and each
 * hanging close held an internal batch's slot until the batch deadline (the chaos campaign saw refunds up to 20 s late
 * while its supplier was slow). The supplier is the sandbox behind a proxy that can stall.
 */
@DisplayName("Rental closes hanging at a supplier that stopped answering")
class HangingRentalClosesTest {
  private static final int RENTALS = 30;
  private static final int ACTIVATIONS = 20;
  /** Lateness no refund may reach: the test nodes' batch deadline (half their 3 s lease), what a hung batch holds. */
  private static final long REFUND_WITHIN_MS = 1_500;
  private static TestStores.Isolated stores;
  private static TcpProxy supplier;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(HangingRentalClosesTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    supplier = TestNode.supplierBehindProxy(env);
    env.put("ACTIVATION_WINDOW_SECONDS", "6");
    env.put("CANCEL_DELAY_SECONDS", "0");
    env.put("UPSTREAM_TIMEOUT_MS", "60000");      // a hung call stays hung for the whole test
    env.put("TIMER_SWEEP_GRACE_MS", "600000");    // only the engine fires timers here
    node = TestNode.start(env);
    api = node.api();
    Api.Response offer = api.put("/admin/v1/rent-offers", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("country", 0).put("service", "full").put("hourlyPrice", "0.01").put("stock", 100));
    assertThat(offer.status()).as("%s", offer).isEqualTo(200);
    Api.Response activationOffer = api.put("/admin/v1/offers", TestNode.ADMIN_TOKEN, new JsonObject().put("service", "tg")
        .put("country", 0).put("provider", "sandbox").put("price", "0.40").put("cost", "0.10").put("stock", 1000));
    assertThat(activationOffer.status()).as("%s", activationOffer).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    try {
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
      supplier.close();
      stores.close();
    }
  }

  @Test
  @DisplayName("refunds every expiring activation on time while every rental close hangs, and closes the rentals once the supplier answers")
  void refundsDoNotWaitOnHangingRentalCloses() {
    Customer c = node.customer("hanging-rentals", "100.00");
    List<Long> rentals = new ArrayList<>();
    for (int i = 0; i < RENTALS; i++) {
      Api.Response r = api.post("/v1/rentals", c.apiKey(), new JsonObject().put("country", 0).put("hours", 4));
      assertThat(r.status()).as("%s", r).isEqualTo(201);
      rentals.add(r.json().getLong("id"));
    }
    List<Long> activations = new ArrayList<>();
    for (int i = 0; i < ACTIVATIONS; i++) {
      Api.Response a = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
      assertThat(a.status()).as("%s", a).isEqualTo(201);
      activations.add(a.json().getLong("id"));
    }

    supplier.stall();
    for (long id : rentals) {
      Api.Response cancelled = api.post("/v1/rentals/" + id + "/cancel", c.apiKey(), new JsonObject());
      assertThat(cancelled.status()).as("cancel answered without waiting on the supplier: %s", cancelled).isEqualTo(200);
    }
    Await.until("every activation expired and was refunded", Duration.ofSeconds(30),
        () -> node.count("SELECT count(*) FROM activations WHERE state = 'EXPIRED'") == ACTIVATIONS);

    assertThat(node.count("SELECT count(*) FROM rentals WHERE upstream_state = 'CLOSED'"))
        .as("rentals closed with the supplier while it hangs").isZero();
    List<Long> lateness = new ArrayList<>();
    for (Row row : node.rows("SELECT (extract(epoch FROM e.created_at - a.expires_at) * 1000)::bigint AS late_ms "
        + "FROM activations a JOIN ledger_entries e ON e.order_id = a.id AND e.kind = 'void' ORDER BY a.id")) {
      lateness.add(row.getLong("late_ms"));
    }
    assertThat(lateness).as("ms from each activation's deadline to its refund, while %d rental closes hang", RENTALS)
        .hasSize(ACTIVATIONS).allSatisfy(ms -> assertThat(ms).isLessThan(REFUND_WITHIN_MS));

    supplier.resume();
    Await.until("every rental closed with the supplier once it answers", Duration.ofSeconds(60),
        () -> node.count("SELECT count(*) FROM rentals WHERE upstream_state = 'CLOSED'") == RENTALS);
    assertThat(api.get("/v1/wallet", c.apiKey()).json().getString("held")).isEqualTo("0.00");
    System.out.printf("HangingRentalClosesTest: refund lateness while %d rental closes hung: %s ms%n", RENTALS, lateness);
  }

}
