package com.otporchestrator.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Each node keeps the offers it sells in memory; a change made through any node reaches every node's next purchase
 * through the Redis notice. A price written straight into PostgreSQL, behind the nodes' backs, shows that the second
 * node really answers from its copy. Neither node runs timers, so no stock refresh clears the copies meanwhile.
 */
@DisplayName("Offers cached per node: a change on one node is seen by the other node's next purchase")
class OffersCacheAcrossNodesTest {
  private static TestStores.Isolated stores;
  private static TestNode adminNode;
  private static TestNode sellingNode;
  private static Customer customer;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(OffersCacheAcrossNodesTest.class);
    adminNode = TestNode.start(env("api,sandbox"));
    sellingNode = TestNode.start(env("api"));
    adminNode.offer("tg", 0, "0.50");
    adminNode.offer("wa", 0, "0.40");
    customer = adminNode.customer("cached-offers", "50.00");
  }

  private static Map<String, String> env(String roles) {
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ROLES", roles);
    return env;
  }

  @AfterAll
  static void stop() {
    try {
      adminNode.assertMoneyInvariants();
      adminNode.assertEventLoopNeverBlocked();
      sellingNode.assertEventLoopNeverBlocked();
    } finally {
      sellingNode.close();
      adminNode.close();
      stores.close();
    }
  }

  @Test
  @DisplayName("the selling node answers from its copy, and sells at the new price as soon as the admin node changed it")
  void aChangeOnOneNodeReachesTheOthersNextPurchase() {
    assertThat(priceOfAPurchaseOn(sellingNode)).isEqualTo("0.50");

    writeBehindTheNodesBacks(600_000);
    assertThat(priceOfAPurchaseOn(sellingNode)).as("an unannounced write leaves the cached offer in use").isEqualTo("0.50");

    adminNode.offer("tg", 0, "0.75");
    assertThat(priceOfAPurchaseOn(sellingNode)).as("the next purchase after the change").isEqualTo("0.75");
    assertThat(priceOfAPurchaseOn(adminNode)).as("on the node that made the change").isEqualTo("0.75");
  }

  @Test
  @DisplayName("a supplier disabled on one node is no longer offered by the other")
  void aSupplierDisabledOnOneNodeIsNoLongerSoldByTheOther() {
    assertThat(purchaseOn(sellingNode, "wa").status()).isEqualTo(201);
    try {
      Api.Response disabled = adminNode.api().post("/admin/v1/providers/sandbox/disable", TestNode.ADMIN_TOKEN, new JsonObject());
      assertThat(disabled.status()).as("%s", disabled).isBetween(200, 204);
      Api.Response refused = purchaseOn(sellingNode, "wa");
      assertThat(refused.status()).as("%s", refused).isEqualTo(409);
      assertThat(refused.json().getString("type")).as("%s", refused).endsWith("no-numbers");
    } finally {
      adminNode.api().post("/admin/v1/providers/sandbox/enable", TestNode.ADMIN_TOKEN, new JsonObject());
    }
  }

  private static void writeBehindTheNodesBacks(long priceMicros) {
    Await.result(adminNode.node().core().pool()
        .query("UPDATE offers SET price = " + priceMicros + " WHERE service = 'tg' AND country = 0").execute());
  }

  private static String priceOfAPurchaseOn(TestNode node) {
    Api.Response response = purchaseOn(node, "tg");
    assertThat(response.status()).as("%s", response).isEqualTo(201);
    return response.json().getString("price");
  }

  private static Api.Response purchaseOn(TestNode node, String service) {
    return node.api().post("/v1/activations", customer.apiKey(), new JsonObject().put("service", service).put("country", 0));
  }
}
