package com.otporchestrator.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * otpdesk: "Check our 'Top 10 Countries by SMS Delivery Rate' and select high-performing regions." Delivery rates
 * from real outcomes (codes delivered / orders ended, customer cancels left out), per service, country and supplier,
 * exposed in both APIs, and weighed with price by routing.
 */
@DisplayName("Delivery rates come from real outcomes, rank countries, and weigh routing with price")
class DeliveryRatesTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(DeliveryRatesTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("CANCEL_DELAY_SECONDS", "0");
    node = TestNode.start(env);
    api = node.api();
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

  private static long buy(Customer c, String service, int country) {
    Api.Response r = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", service).put("country", country));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json().getLong("id");
  }

  private static void deliverAndFinish(Customer c, long id) {
    assertThat(api.post("/admin/v1/sandbox/activations/" + id + "/sms", TestNode.ADMIN_TOKEN,
        new JsonObject().put("text", "code 12345")).status()).isEqualTo(200);
    assertThat(api.post("/v1/activations/" + id + "/finish", c.apiKey(), new JsonObject()).status()).isEqualTo(200);
  }

  /** The window runs out: the order's end is moved to the past and the expiry path (sweep) closes it, unrefunded by us. */
  private static void expire(long id) {
    Await.result(node.node().core().pool().preparedQuery("UPDATE activations SET expires_at = now() - interval '1 second' WHERE id = $1")
        .execute(Tuple.of(id)));
    Await.until("order " + id + " expired", Duration.ofSeconds(15),
        () -> node.countActivations("id = " + id + " AND state = 'EXPIRED'") == 1);
  }

  private static void refresh() {
    Await.result(node.node().modules().delivery().rates().refresh(Duration.ZERO));
  }

  private static String compat(Customer c, String query) {
    return api.get("/stubs/handler_api.php?api_key=" + URLEncoder.encode(c.apiKey(), StandardCharsets.UTF_8) + "&" + query, null).body();
  }

  @Test
  void ratesCountCodesOverEndedOrdersLeavingCustomerCancelsOutAndRankCountries() {
    node.offer("ds", 0, "0.30");
    node.offer("ds", 187, "0.40");
    Customer c = node.customer("rates", "20.00");
    // USA: 3 of 3 delivered. Russia: 1 of 3 delivered, 2 expired, and a customer cancel that does not count
    for (int i = 0; i < 3; i++) deliverAndFinish(c, buy(c, "ds", 187));
    deliverAndFinish(c, buy(c, "ds", 0));
    expire(buy(c, "ds", 0));
    expire(buy(c, "ds", 0));
    long cancelled = buy(c, "ds", 0);
    assertThat(api.post("/v1/activations/" + cancelled + "/cancel", c.apiKey(), new JsonObject()).status()).isEqualTo(200);
    refresh();

    JsonObject customers = api.get("/v1/delivery-rates?service=ds", c.apiKey()).json();
    assertThat(customers.getInteger("windowHours")).isEqualTo(DeliveryRates.WINDOW_HOURS);
    assertThat(customers.getJsonArray("items")).containsExactly(
        new JsonObject().put("service", "ds").put("country", 0).put("delivered", 1).put("ended", 3).put("rate", "0.3333"),
        new JsonObject().put("service", "ds").put("country", 187).put("delivered", 3).put("ended", 3).put("rate", "1.0000"));
    JsonArray perSupplier = api.get("/admin/v1/delivery-rates?service=ds&country=0", TestNode.ADMIN_TOKEN).json().getJsonArray("items");
    assertThat(perSupplier).containsExactly(new JsonObject().put("service", "ds").put("country", 0).put("delivered", 1)
        .put("ended", 3).put("rate", "0.3333").put("provider", "sandbox"));

    // a second refresh finds nothing new: the counts do not move
    refresh();
    assertThat(api.get("/v1/delivery-rates?service=ds&country=187", c.apiKey()).json().getJsonArray("items").getJsonObject(0)
        .getLong("ended")).isEqualTo(3);

    // the compatible API: the rank puts the best delivery first; by stock and rank both carry the figures
    JsonObject rank = new JsonObject(compat(c, "action=getTopCountriesByServiceRank&service=ds"));
    assertThat(rank.getJsonObject("0").getInteger("country")).isEqualTo(187);
    assertThat(rank.getJsonObject("0").getDouble("deliveryRate")).isEqualTo(1.0);
    assertThat(rank.getJsonObject("1").getInteger("country")).isEqualTo(0);
    assertThat(rank.getJsonObject("1").getDouble("deliveryRate")).isEqualTo(0.3333);
    JsonObject top = new JsonObject(compat(c, "action=getTopCountriesByService&service=ds"));
    assertThat(top.getJsonObject("0").getLong("ended") + top.getJsonObject("1").getLong("ended")).isEqualTo(6);

    // bad input: 400 problems, nothing written
    assertThat(api.get("/v1/delivery-rates?service=B!", c.apiKey()).status()).isEqualTo(400);
    assertThat(api.get("/v1/delivery-rates?country=x", c.apiKey()).status()).isEqualTo(400);
    assertThat(api.get("/admin/v1/delivery-rates?provider=NO%20PE", TestNode.ADMIN_TOKEN).status()).isEqualTo(400);
    assertThat(api.get("/admin/v1/delivery-rates", c.apiKey()).status()).isEqualTo(401);
  }

  @Test
  void routingPrefersTheLowerPricePerDeliveredCodeOverTheLowerPrice() {
    // a second supplier on the sandbox's agent whose SMS never reach us (its pushes arrive for the sandbox): it delivers nothing
    JsonObject sandbox = Await.result(node.node().core().pool().preparedQuery("SELECT base_url, api_key FROM providers WHERE id = 'sandbox'")
        .execute()).iterator().next().toJson();
    Api.Response put = api.put("/admin/v1/providers/silent", TestNode.ADMIN_TOKEN, new JsonObject().put("protocol", "smshub")
        .put("baseUrl", sandbox.getString("base_url")).put("apiKey", sandbox.getString("api_key")));
    assertThat(put.status()).as("%s", put).isEqualTo(200);
    assertThat(api.put("/admin/v1/offers", TestNode.ADMIN_TOKEN, new JsonObject().put("service", "am").put("country", 0)
        .put("provider", "silent").put("price", "0.50").put("cost", "0.01").put("stock", 100)).status()).isEqualTo(200);
    node.offer("am", 0, "0.55");
    Customer c = node.customer("router", "20.00");

    // no history: the cheaper offer goes first (0.50 x 10/8 < 0.55 x 10/8)
    long first = buy(c, "am", 0);
    assertThat(providerOf(first)).isEqualTo("silent");
    expire(first);
    for (int i = 0; i < 3; i++) expire(buy(c, "am", 0));
    refresh();
    // silent: 0 of 4, 0.50 x 14/8 = 0.875 per code; sandbox, no history: 0.55 x 10/8 = 0.6875: sandbox wins and the
    // customer pays its price
    long next = buy(c, "am", 0);
    assertThat(providerOf(next)).isEqualTo("sandbox");
    assertThat(api.get("/v1/activations/" + next, c.apiKey()).json().getString("price")).isEqualTo("0.55");
    // a ceiling below the weighed choice still buys the cheaper offer rather than refusing
    Api.Response capped = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", "am").put("country", 0)
        .put("maxPrice", "0.50"));
    assertThat(capped.status()).as("%s", capped).isEqualTo(201);
    assertThat(capped.json().getString("price")).isEqualTo("0.50");
  }

  private static String providerOf(long id) {
    return Await.result(node.node().core().pool().preparedQuery("SELECT provider_id FROM activations WHERE id = $1")
        .execute(Tuple.of(id))).iterator().next().getString("provider_id");
  }
}
