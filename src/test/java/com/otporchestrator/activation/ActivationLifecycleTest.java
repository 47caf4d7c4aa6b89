package com.otporchestrator.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An activation, bought over the JSON API from the sandbox supplier")
class ActivationLifecycleTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(ActivationLifecycleTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", "4");
    env.put("CANCEL_DELAY_SECONDS", "1");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    node.offer("wa", 0, "1.25");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static JsonObject buy(Customer customer, String service) {
    Api.Response response = api.post("/v1/activations", customer.apiKey(),
        new JsonObject().put("service", service).put("country", 0));
    assertThat(response.status()).as("%s", response).isEqualTo(201);
    return response.json();
  }

  private static JsonObject wallet(Customer customer) {
    return api.get("/v1/wallet", customer.apiKey()).json();
  }

  private static JsonObject pushSms(long id, String text) {
    Api.Response response = api.post("/admin/v1/sandbox/activations/" + id + "/sms", TestNode.ADMIN_TOKEN,
        new JsonObject().put("text", text));
    assertThat(response.status()).as("%s", response).isEqualTo(200);
    return response.json();
  }

  private static JsonObject order(Customer customer, long id) {
    return api.get("/v1/activations/" + id, customer.apiKey()).json();
  }

  @Test
  void holdsThePriceAndWaitsForTheCodeOnANumber() {
    Customer customer = node.customer("buyer", "10.00");
    JsonObject order = buy(customer, "tg");
    assertThat(order.getString("state")).isEqualTo("WAITING_CODE");
    assertThat(order.getString("phone")).matches("7\\d{10}");
    assertThat(order.getString("price")).isEqualTo("0.50");
    assertThat(Instant.parse(order.getString("expiresAt"))).isAfter(Instant.parse(order.getString("cancellableAt")));
    assertThat(wallet(customer)).isEqualTo(new JsonObject().put("balance", "9.50").put("held", "0.50").put("currency", "USD"));
  }

  @Test
  void showsAPushedSmsAndItsCodeThenCapturesThePriceOnFinish() {
    Customer customer = node.customer("finisher", "10.00");
    long id = buy(customer, "tg").getLong("id");
    JsonObject received = pushSms(id, "Telegram code 61034. Do not share it.");
    assertThat(received.getString("state")).isEqualTo("CODE_RECEIVED");
    assertThat(received.getString("code")).isEqualTo("61034");
    assertThat(received.getJsonArray("sms")).hasSize(1);

    Api.Response finished = api.post("/v1/activations/" + id + "/finish", customer.apiKey(), (String) null);
    assertThat(finished.status()).isEqualTo(200);
    assertThat(finished.json().getString("state")).isEqualTo("FINISHED");
    assertThat(wallet(customer).getString("balance")).isEqualTo("9.50");
    assertThat(wallet(customer).getString("held")).isEqualTo("0.00");
  }

  @Test
  void refusesACancelInsideTheMinimumDelayAndRefundsAfterIt() {
    Customer customer = node.customer("canceller", "10.00");
    long id = buy(customer, "wa").getLong("id");
    Api.Response early = api.post("/v1/activations/" + id + "/cancel", customer.apiKey(), (String) null);
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.contentType()).isEqualTo("application/problem+json");
    assertThat(early.json().getString("type")).endsWith("/too-early");
    assertThat(early.json().getString("cancellableAt")).isNotBlank();

    Await.pause(Duration.ofMillis(1100));
    Api.Response cancelled = api.post("/v1/activations/" + id + "/cancel", customer.apiKey(), (String) null);
    assertThat(cancelled.status()).as("%s", cancelled).isEqualTo(200);
    assertThat(cancelled.json().getString("state")).isEqualTo("CANCELLED");
    assertThat(wallet(customer).getString("balance")).isEqualTo("10.00");
    assertThat(wallet(customer).getString("held")).isEqualTo("0.00");
  }

  @Test
  void expiresWithoutACodeAndGivesThePriceBack() {
    Customer customer = node.customer("idle", "10.00");
    long id = buy(customer, "tg").getLong("id");
    Await.until("expired", Duration.ofSeconds(10), () -> "EXPIRED".equals(order(customer, id).getString("state")));
    assertThat(wallet(customer).getString("balance")).isEqualTo("10.00");
    JsonObject refund = api.get("/v1/wallet/transactions", customer.apiKey()).items().getJsonObject(0);
    assertThat(refund.getString("kind")).isEqualTo("void");
    assertThat(refund.getLong("orderId")).isEqualTo(id);
  }

  @Test
  void finishesWhenTheWindowEndsAfterACode() {
    Customer customer = node.customer("forgetful", "10.00");
    long id = buy(customer, "tg").getLong("id");
    pushSms(id, "Your code is 123-456");
    Await.until("finished", Duration.ofSeconds(10), () -> "FINISHED".equals(order(customer, id).getString("state")));
    assertThat(order(customer, id).getString("code")).isEqualTo("123456");
    assertThat(wallet(customer)).isEqualTo(new JsonObject().put("balance", "9.50").put("held", "0.00").put("currency", "USD"));
  }

  @Test
  void asksForAnotherCodeAndShowsEverySmsReceived() {
    Customer customer = node.customer("retrier", "10.00");
    long id = buy(customer, "tg").getLong("id");
    pushSms(id, "code 1111");
    Api.Response retry = api.post("/v1/activations/" + id + "/retry", customer.apiKey(), (String) null);
    assertThat(retry.json().getString("state")).isEqualTo("WAITING_RETRY");
    JsonObject second = pushSms(id, "code 2222");
    assertThat(second.getString("state")).isEqualTo("CODE_RECEIVED");
    assertThat(second.getString("code")).isEqualTo("2222");
    assertThat(second.getJsonArray("sms")).hasSize(2);
  }

  @Test
  void neverShowsAnOrderToAnotherAccount() {
    Customer owner = node.customer("owner", "10.00");
    Customer stranger = node.customer("stranger", "10.00");
    long id = buy(owner, "tg").getLong("id");
    assertThat(api.get("/v1/activations/" + id, stranger.apiKey()).status()).isEqualTo(404);
    assertThat(api.post("/v1/activations/" + id + "/finish", stranger.apiKey(), (String) null).status()).isEqualTo(404);
    assertThat(api.get("/v1/activations", stranger.apiKey()).items()).isEmpty();
  }

  @Test
  void refusesAPurchaseTheBalanceDoesNotCoverAndWritesNothing() {
    Customer poor = node.customer("poor", "0.40");
    Api.Response response = api.post("/v1/activations", poor.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(response.status()).isEqualTo(402);
    assertThat(response.json().getString("type")).endsWith("/insufficient-funds");
    assertThat(api.get("/v1/activations", poor.apiKey()).items()).isEmpty();
    assertThat(wallet(poor).getString("balance")).isEqualTo("0.40");
  }

  @Test
  void refusesAPriceAboveMaxPrice() {
    Customer customer = node.customer("thrifty", "10.00");
    Api.Response response = api.post("/v1/activations", customer.apiKey(),
        new JsonObject().put("service", "wa").put("country", 0).put("maxPrice", "1.00"));
    assertThat(response.status()).isEqualTo(409);
    assertThat(response.json().getString("type")).endsWith("/price-above-max");
    assertThat(response.json().getString("price")).isEqualTo("1.25");
    assertThat(wallet(customer).getString("held")).isEqualTo("0.00");
  }

  @Test
  void closesTheOrderWithTheSupplierAfterTheCustomerFinished() {
    Customer customer = node.customer("closer", "10.00");
    long id = buy(customer, "tg").getLong("id");
    pushSms(id, "code 5555");
    api.post("/v1/activations/" + id + "/finish", customer.apiKey(), (String) null);
    Await.until("sandbox saw FINISH_ACTIVATION 3", Duration.ofSeconds(5),
        () -> node.node().modules().sandbox().supplier().counters().finishes(3) >= 1);
  }
}
