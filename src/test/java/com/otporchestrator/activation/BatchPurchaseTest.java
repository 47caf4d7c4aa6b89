package com.otporchestrator.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Bulk ordering: one request, one wallet debit, a result per item")
class BatchPurchaseTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(BatchPurchaseTest.class);
    node = TestNode.start(stores);
    api = node.api();
    node.offer("tg", 0, "0.50");
    node.offer("wa", 0, "1.25");
    assertThat(api.put("/admin/v1/services/zz", TestNode.ADMIN_TOKEN, new JsonObject().put("name", "Nobody stocks this")).status())
        .isEqualTo(200);
    node.offer("zz", 0, "0.10");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static Api.Response batch(Customer customer, JsonArray items) {
    return api.post("/v1/activations/batch", customer.apiKey(), new JsonObject().put("items", items));
  }

  private static JsonObject item(String service, int quantity) {
    return new JsonObject().put("service", service).put("country", 0).put("quantity", quantity);
  }

  private static JsonObject wallet(Customer customer) {
    return api.get("/v1/wallet", customer.apiKey()).json();
  }

  @Test
  @DisplayName("allocates every item it can and says precisely why the others failed")
  void reportsEachItem() {
    Customer customer = node.customer("bulk", "20.00", "bulk");
    Api.Response response = batch(customer, new JsonArray()
        .add(item("tg", 5)).add(item("wa", 3)).add(item("xx", 2))
        .add(item("wa", 1).put("maxPrice", "1.00")).add(item("zz", 2)));
    assertThat(response.status()).as("%s", response).isEqualTo(201);
    JsonArray items = response.json().getJsonArray("items");
    assertThat(items.getJsonObject(0).getInteger("allocated")).isEqualTo(5);
    assertThat(items.getJsonObject(0).getJsonArray("activations")).hasSize(5)
        .allSatisfy(a -> assertThat(((JsonObject) a).getString("state")).isEqualTo("WAITING_CODE"));
    assertThat(items.getJsonObject(1).getInteger("allocated")).isEqualTo(3);
    assertFailure(items.getJsonObject(2), "/invalid-request", 2, "unknown service 'xx'");
    assertFailure(items.getJsonObject(3), "/price-above-max", 1, "above maxPrice 1.00");
    assertFailure(items.getJsonObject(4), "/no-numbers", 2, "no numbers");
    assertThat(response.json().getInteger("allocated")).isEqualTo(8);
    assertThat(response.json().getString("held")).isEqualTo("6.25");
    assertThat(wallet(customer)).isEqualTo(new JsonObject().put("balance", "13.75").put("held", "6.25").put("currency", "USD"));
  }

  @Test
  @DisplayName("fills as many orders as the balance covers, in order, and charges nothing for the rest")
  void fillsTheAffordablePrefix() {
    Customer customer = node.customer("short", "2.00", "bulk");
    Api.Response response = batch(customer, new JsonArray().add(item("tg", 6)));
    assertThat(response.status()).isEqualTo(201);
    JsonObject result = response.json().getJsonArray("items").getJsonObject(0);
    assertThat(result.getInteger("allocated")).isEqualTo(4);
    assertFailure(result, "/insufficient-funds", 2, "does not cover");
    assertThat(wallet(customer)).isEqualTo(new JsonObject().put("balance", "0.00").put("held", "2.00").put("currency", "USD"));
  }

  @Test
  @DisplayName("answers 200 with every reason when nothing could be bought, and changes no balance")
  void nothingBought() {
    Customer customer = node.customer("unlucky", "5.00", "bulk");
    Api.Response response = batch(customer, new JsonArray().add(item("zz", 3)));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().getInteger("allocated")).isZero();
    assertThat(wallet(customer)).isEqualTo(new JsonObject().put("balance", "5.00").put("held", "0.00").put("currency", "USD"));
  }

  @Test
  @DisplayName("refuses a malformed batch as a whole with a precise 400 and buys nothing")
  void refusesMalformedBatches() {
    Customer customer = node.customer("sloppy", "5.00", "bulk");
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 101; i++) tooMany.add(item("tg", 1));
    assertBadRequest(batch(customer, tooMany), "'items' must be an array of 1 to 100 objects");
    assertBadRequest(batch(customer, new JsonArray()), "'items' must be an array of 1 to 100 objects");
    assertBadRequest(batch(customer, new JsonArray().add(item("tg", 0))), "items[0]: 'quantity' must be between 1 and 100");
    assertBadRequest(batch(customer, new JsonArray().add(item("tg", 1)).add("tg")), "items[1] must be an object");
    assertBadRequest(batch(customer, new JsonArray().add(item("tg", 1).put("colour", "red"))), "items[0]: unknown field 'colour'");
    JsonArray tooLarge = new JsonArray();
    for (int i = 0; i < 11; i++) tooLarge.add(item("tg", 100));
    assertBadRequest(batch(customer, tooLarge), "at most 1000 numbers");
    assertThat(wallet(customer).getString("held")).isEqualTo("0.00");
    assertThat(api.get("/v1/activations", customer.apiKey()).items()).isEmpty();
  }

  @Test
  @DisplayName("coalesces many concurrent purchases of one account into few wallet statements, never overspending")
  void coalescesConcurrentHolds() throws Exception {
    Customer customer = node.customer("hot-wallet", "30.00", "bulk");
    long statementsBefore = node.node().modules().activations().holds().statements();
    long holdsBefore = node.node().modules().activations().holds().holdsRequested();
    ExecutorService pool = Executors.newFixedThreadPool(32);
    List<Future<Api.Response>> responses = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        responses.add(pool.submit(() -> api.post("/v1/activations", customer.apiKey(),
            new JsonObject().put("service", "tg").put("country", 0))));
      }
      int created = 0;
      int refused = 0;
      for (Future<Api.Response> response : responses) {
        int status = response.get().status();
        if (status == 201) created++;
        else if (status == 402) refused++;
        else throw new AssertionError("unexpected " + response.get());
      }
      assertThat(created).isEqualTo(60);
      assertThat(refused).isEqualTo(40);
    } finally {
      pool.shutdownNow();
    }
    long statements = node.node().modules().activations().holds().statements() - statementsBefore;
    long holds = node.node().modules().activations().holds().holdsRequested() - holdsBefore;
    assertThat(holds).isEqualTo(100);
    assertThat(statements).as("hold statements for 100 concurrent purchases").isLessThan(100);
    assertThat(wallet(customer)).isEqualTo(new JsonObject().put("balance", "0.00").put("held", "30.00").put("currency", "USD"));
    System.out.printf("coalescing: 100 concurrent purchases of one account took %d hold statements%n", statements);
  }

  @Test
  @DisplayName("coalesces concurrent purchases of many accounts into shared wallet statements, each wallet paying its own")
  void coalescesHoldsAcrossAccounts() throws Exception {
    List<Customer> customers = new ArrayList<>();
    for (int i = 0; i < 40; i++) customers.add(node.customer("many-" + i, "1.00", "bulk"));
    long statementsBefore = node.node().modules().activations().holds().statements();
    ExecutorService pool = Executors.newFixedThreadPool(40);
    List<Future<Api.Response>> responses = new ArrayList<>();
    try {
      for (int round = 0; round < 3; round++) {
        for (Customer customer : customers) {
          responses.add(pool.submit(() -> api.post("/v1/activations", customer.apiKey(),
              new JsonObject().put("service", "tg").put("country", 0))));
        }
      }
      int created = 0;
      for (Future<Api.Response> response : responses) {
        int status = response.get().status();
        if (status == 201) created++;
        else assertThat(status).as("%s", response.get()).isEqualTo(402);
      }
      assertThat(created).as("two $0.50 numbers per $1.00 wallet").isEqualTo(80);
    } finally {
      pool.shutdownNow();
    }
    long statements = node.node().modules().activations().holds().statements() - statementsBefore;
    assertThat(statements).as("hold statements for 120 concurrent purchases of 40 accounts").isLessThan(120);
    for (Customer customer : customers) {
      assertThat(wallet(customer)).isEqualTo(new JsonObject().put("balance", "0.00").put("held", "1.00").put("currency", "USD"));
    }
    System.out.printf("coalescing: 120 concurrent purchases of 40 accounts took %d hold statements%n", statements);
  }

  private static void assertFailure(JsonObject item, String type, int count, String detail) {
    assertThat(item.getJsonArray("failures")).hasSize(1);
    JsonObject failure = item.getJsonArray("failures").getJsonObject(0);
    assertThat(failure.getString("type")).endsWith(type);
    assertThat(failure.getInteger("count")).isEqualTo(count);
    assertThat(failure.getString("detail")).contains(detail);
  }

  private static void assertBadRequest(Api.Response response, String detail) {
    assertThat(response.status()).as("%s", response).isEqualTo(400);
    assertThat(response.contentType()).isEqualTo("application/problem+json");
    assertThat(response.json().getString("detail")).contains(detail);
  }
}
