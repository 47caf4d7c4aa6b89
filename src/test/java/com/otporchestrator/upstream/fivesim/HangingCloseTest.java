package com.otporchestrator.upstream.fivesim;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import com.otporchestrator.timer.TimerStats;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Supplier closes run in the timer engine's external lane: a supplier that never answers a cancel holds only its own
 * closes, never the refunds of expiring orders, and a batch of closes past its deadline gives its timers back, once.
 */
@DisplayName("A supplier that hangs on every close")
class HangingCloseTest {
  private static TestStores.Isolated stores;
  private static FakeFiveSim fake;
  private static TestNode node;
  private static Api api;
  private static Customer customer;

  @BeforeAll
  static void start() throws Exception {
    stores = TestStores.isolate(HangingCloseTest.class);
    fake = new FakeFiveSim();
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", "2");
    env.put("CANCEL_DELAY_SECONDS", "0");
    env.put("UPSTREAM_TIMEOUT_MS", "60000");      // a hung close stays hung for the whole test
    env.put("TIMER_BATCH_DEADLINE_MS", "500");
    env.put("TIMER_EXTERNAL_BATCHES_IN_FLIGHT", "2");
    env.put("TIMER_SWEEP_GRACE_MS", "600000");    // only the engine fires timers here
    node = TestNode.start(env);
    api = node.api();
    Api.Response put = api.put("/admin/v1/providers/five", TestNode.ADMIN_TOKEN, new JsonObject().put("protocol", "fivesim")
        .put("baseUrl", fake.baseUrl()).put("apiKey", FakeFiveSim.TOKEN));
    assertThat(put.status()).as("%s", put).isEqualTo(200);
    api.put("/admin/v1/offers", TestNode.ADMIN_TOKEN, new JsonObject().put("service", "tg").put("country", 0)
        .put("provider", "five").put("price", "0.40").put("cost", "0.10").put("stock", 1000));
    customer = node.customer("hanging-close", "100.00");
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

  @Test
  @DisplayName("refunds every expiring order while all closes are stuck, never fires an expiry twice, and closes each order once it answers")
  void refundsDoNotWaitOnAHangingSupplier() {
    fake.closeReply = FakeFiveSim.Close.HANG;
    Pool pool = node.node().core().pool();
    TimerStats stats = node.node().core().timers().stats();

    List<Long> first = buy(10);
    Await.until("the first orders expired and their closes hang at the supplier", Duration.ofSeconds(20),
        () -> count(pool, "SELECT count(*) FROM activations WHERE state = 'EXPIRED'") == first.size()
            && fake.requests.stream().filter(p -> p.startsWith("/v1/user/cancel/")).count() >= 2);
    Await.until("a batch of closes passed its deadline and gave its timers back", Duration.ofSeconds(20),
        () -> stats.pastDeadline.sum() > 0);

    List<Long> second = buy(30);
    Await.until("every order of the second wave expired and was refunded", Duration.ofSeconds(30),
        () -> count(pool, "SELECT count(*) FROM activations WHERE state = 'EXPIRED'") == first.size() + second.size());
    assertThat(count(pool, "SELECT count(*) FROM activations WHERE upstream_state = 'CLOSED'"))
        .as("orders closed with the supplier while it hangs").isZero();
    assertThat(api.get("/v1/wallet", customer.apiKey()).json().getString("held")).as("held while closes hang").isEqualTo("0.00");
    assertThat(api.get("/v1/wallet", customer.apiKey()).json().getString("balance")).isEqualTo("100.00");
    assertThat(metric("otp_duplicates_suppressed_total", "expiry_cas_miss"))
        .as("expiry timers fired again (re-queued with a stuck close)").isZero();
    assertThat(stats.reaped.sum()).as("timers the lease reaper had to re-queue").isZero();

    fake.closeReply = FakeFiveSim.Close.OK;
    Await.until("every order closed with the supplier once it answers", Duration.ofSeconds(60),
        () -> count(pool, "SELECT count(*) FROM activations WHERE upstream_state = 'CLOSED'") == first.size() + second.size());
    System.out.printf("HangingCloseTest: %d batches past their deadline, %d timers given back, %d cancel requests%n",
        stats.pastDeadline.sum(), stats.retried.sum(),
        fake.requests.stream().filter(p -> p.startsWith("/v1/user/cancel/")).count());
  }

  private static List<Long> buy(int n) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Api.Response bought = api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
      assertThat(bought.status()).as("%s", bought).isEqualTo(201);
      ids.add(bought.json().getLong("id"));
    }
    return ids;
  }

  private static double metric(String name, String label) {
    double sum = 0;
    for (String line : api.get("/metrics", null).body().split("\n")) {
      if (line.startsWith(name) && line.contains(label)) sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return sum;
  }

  private static long count(Pool pool, String sql) {
    return Await.result(pool.query(sql).execute()).iterator().next().getLong(0);
  }
}
