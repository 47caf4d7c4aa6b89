package com.otporchestrator.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.NodeScripts;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A public client library of the family, unchanged but for its base URL: npm {@code hero-sms} 2.0.0 (pinned by
 * src/test/node/package-lock.json), run through every method it has by src/test/node/hero-sms-run.mjs.
 */
@DisplayName("A public sms-activate family client (npm hero-sms) runs through every one of its methods against a node")
class PublicClientTest {
  /** Every public method of HeroSMSClient 2.0.0 (its prototype less the constructor and its private helpers). */
  private static final List<String> CLIENT_METHODS = List.of("cancel", "cancelActivation", "complete",
      "finishActivation", "getActiveActivations", "getAllSms", "getBalance", "getCountries", "getHistory", "getNumber",
      "getNumberV2", "getOperators", "getPrices", "getReactivationPrice", "getRentNumber", "getRentPrices",
      "getRentServicesAndCountries", "getServicesList", "getStatus", "getStatusV2", "getTopCountriesByService",
      "getTopCountriesByServiceRank", "markReady", "reactivate", "requestResend", "setStatus");

  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(PublicClientTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("CANCEL_DELAY_SECONDS", "1");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    Api.Response rent = api.put("/admin/v1/rent-offers", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("country", 0).put("service", "full").put("hourlyPrice", "0.10").put("stock", 20));
    assertThat(rent.status()).as("%s", rent).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    try {
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
      stores.close();
    }
  }

  @Test
  void everyMethodOfTheClientWorksAndTheMoneyAddsUp() {
    Customer c = node.customer("hero-client", "20.00");
    NodeScripts.Run run = NodeScripts.node("hero-sms-run.mjs",
        Map.of("BASE_URL", api.baseUrl(), "API_KEY", c.apiKey(), "ADMIN_TOKEN", TestNode.ADMIN_TOKEN), null, 120);
    assertThat(run.exitCode()).as("hero-sms-run.mjs:\n%s\n%s", run.stdout(), run.stderr()).isZero();

    List<String> lines = run.lines();
    JsonArray done = new JsonObject(lines.get(lines.size() - 1)).getJsonArray("done");
    assertThat(done.getList()).as("methods called").containsExactlyInAnyOrderElementsOf(CLIENT_METHODS);

    // what the client bought: two finished activations (first and its reactivation) at 0.50, two cancelled ones
    // refunded, and a 24-hour rental at 24 x 0.10 (not the 4-hour default: duration is the length)
    assertThat(api.get("/v1/wallet", c.apiKey()).json().getString("balance")).isEqualTo("16.60");
    JsonObject rental = api.get("/v1/rentals?limit=5", c.apiKey()).json().getJsonArray("items").getJsonObject(0);
    assertThat(rental.getInteger("hours")).isEqualTo(24);
    assertThat(rental.getString("price")).isEqualTo("2.40");
  }
}
