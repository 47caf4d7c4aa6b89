package com.otporchestrator.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.ConcurrentPurchases;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Three independent nodes on one PostgreSQL and one Redis")
class MultiNodeExpiryTest {
  private static final int ORDERS = 20_000;
  private static final int CUSTOMERS = 40;
  private static final int IN_FLIGHT = 48;
  private static final String[] SERVICES = {"tg", "wa", "go", "fb", "ig", "vk", "ok", "tw", "ds", "am"};
  private static final int[] COUNTRIES = {0, 1, 2, 6, 16, 22};

  private static TestStores.Isolated stores;
  private static final List<TestNode> nodes = new ArrayList<>();

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(MultiNodeExpiryTest.class);
    for (int i = 0; i < 3; i++) {
      Map<String, String> env = TestNode.defaults(stores);
      env.put("ACTIVATION_WINDOW_SECONDS", "5");
      env.put("CANCEL_DELAY_SECONDS", "1");
      env.put("ROLES", i == 0 ? "api,timers,sandbox" : "api,timers");
      nodes.add(TestNode.start(env));
    }
    for (String service : SERVICES) {
      for (int country : COUNTRIES) nodes.get(0).offer(service, country, "0.05");
    }
  }

  @AfterAll
  static void stop() {
    nodes.forEach(TestNode::assertEventLoopNeverBlocked);
    nodes.forEach(TestNode::close);
    stores.close();
  }

  @Test
  @DisplayName("expire 20,000 activations between them and refund each exactly once")
  void expireTwentyThousandActivationsRefundingEachOnce() throws Exception {
    List<Customer> customers = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS; i++) customers.add(nodes.get(0).customer("bulk-" + i, "100.00", "bulk"));

    long started = System.nanoTime();
    int bought = buyAcrossNodes(customers);
    double purchaseSeconds = (System.nanoTime() - started) / 1e9;
    assertThat(bought).isEqualTo(ORDERS);

    Await.until("every activation expired", Duration.ofSeconds(120), () -> count("closed_at IS NULL") == 0);
    double totalSeconds = (System.nanoTime() - started) / 1e9;

    assertThat(count("state = 'EXPIRED'")).isEqualTo(ORDERS);
    // one void per order at most is a unique index (ledger_one_resolution); a hashed subplan keeps this check fast
    // whether or not PostgreSQL has analysed the 20,000 new rows yet (a correlated count per order may not be)
    assertThat(count("id NOT IN (SELECT order_id FROM ledger_entries WHERE kind = 'void' AND order_id IS NOT NULL)"))
        .as("activations not refunded").isZero();
    for (Customer customer : customers) {
      JsonObject wallet = nodes.get(1).api().get("/v1/wallet", customer.apiKey()).json();
      assertThat(wallet.getString("balance")).isEqualTo("100.00");
      assertThat(wallet.getString("held")).isEqualTo("0.00");
    }
    nodes.get(2).assertMoneyInvariants();
    for (TestNode node : nodes) {
      assertThat(node.node().core().timers().stats().applied.sum()).as("timers applied by every node").isPositive();
    }
    System.out.printf("multi-node: %d purchases in %.1f s (%.0f/s) over HTTP; all expired and refunded %.1f s after the first purchase;"
            + " timers applied per node: %d / %d / %d; max lateness %d ms%n",
        ORDERS, purchaseSeconds, ORDERS / purchaseSeconds, totalSeconds,
        nodes.get(0).node().core().timers().stats().applied.sum(), nodes.get(1).node().core().timers().stats().applied.sum(),
        nodes.get(2).node().core().timers().stats().applied.sum(),
        nodes.stream().mapToLong(n -> n.node().core().timers().stats().maxLatenessMillis.get()).max().orElse(0));
  }

  /** Buys ORDERS activations, spread over the three nodes, customers and offers, IN_FLIGHT at a time. */
  private static int buyAcrossNodes(List<Customer> customers) throws Exception {
    return ConcurrentPurchases.buy(ORDERS, IN_FLIGHT, i -> nodes.get(i % 3).api(), i -> customers.get(i % CUSTOMERS).apiKey(),
        i -> new JsonObject().put("service", SERVICES[i % SERVICES.length])
            .put("country", COUNTRIES[(i / SERVICES.length) % COUNTRIES.length]));
  }

  private static long count(String where) {
    return nodes.get(0).countActivations(where);
  }

}
