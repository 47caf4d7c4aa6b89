package com.otporchestrator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TcpProxy;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A supplier's server closes connections it has kept idle for a while (5 s by default in Apache and Node.js). If we
 * kept ours longer, a purchase could be sent on a connection the supplier is closing at that instant: no answer, an
 * unknown outcome, a 502 to the customer (the chaos campaign saw exactly that with a proxy that closed at 30 s while
 * the nodes kept 60 s). So the node closes an idle supplier connection first, after {@code UPSTREAM_KEEP_ALIVE_SECONDS}.
 */
@DisplayName("The node's connections to a supplier")
class SupplierKeepAliveTest {
  private static TestStores.Isolated stores;
  private static TcpProxy supplier;
  private static TestNode node;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(SupplierKeepAliveTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    supplier = TestNode.supplierBehindProxy(env);
    env.put("UPSTREAM_KEEP_ALIVE_SECONDS", "1");
    node = TestNode.start(env);
    node.offer("tg", 0, "0.25");
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
  @DisplayName("are kept for the next call, closed by the node once idle past the keep-alive, and opened again when needed")
  void areClosedByTheNodeOnceIdlePastTheKeepAlive() {
    Customer customer = node.customer("idle", "1.00");
    assertThat(buy(customer).status()).isEqualTo(201);
    assertThat(supplier.openConnections()).as("the purchase's connection, kept alive").isPositive();

    Await.until("the node closing its idle supplier connections", Duration.ofSeconds(5),
        () -> supplier.openConnections() == 0);

    assertThat(buy(customer).status()).as("a purchase after the close").isEqualTo(201);
  }

  private static Api.Response buy(Customer customer) {
    return node.api().post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
  }
}
