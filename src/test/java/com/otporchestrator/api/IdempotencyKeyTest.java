package com.otporchestrator.api;

import static com.otporchestrator.api.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An Idempotency-Key on POST /v1/activations buys at most one number, however often it is sent")
class IdempotencyKeyTest {
  private static final String TG = "{\"service\":\"tg\",\"country\":0}";
  private static final String WA = "{\"service\":\"wa\",\"country\":0}";
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(IdempotencyKeyTest.class);
    java.util.Map<String, String> env = TestNode.defaults(stores);
    // the operator's override of the cancel delay (0 by default: the policy decides), so an early cancel is refused
    env.put("CANCEL_DELAY_SECONDS", "120");
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

  private static Api.Response buy(Customer customer, String key, String body) {
    return api.post("/v1/activations", customer.apiKey(), body, "Idempotency-Key", key);
  }

  private static JsonObject wallet(Customer customer) {
    return api.get("/v1/wallet", customer.apiKey()).json();
  }

  @Test
  @DisplayName("replays the stored 201 for the same key and body, holding the price once")
  void replaysTheSameRequest() {
    Customer customer = node.customer("retrier", "10.00");
    Api.Response first = buy(customer, "order-1", TG);
    assertThat(first.status()).as("%s", first).isEqualTo(201);
    assertThat(first.header("Idempotent-Replayed")).isNull();
    long id = first.json().getLong("id");

    for (int i = 0; i < 3; i++) {
      Api.Response again = buy(customer, "order-1", TG);
      assertThat(again.status()).as("%s", again).isEqualTo(201);
      assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
      assertThat(again.contentType()).startsWith("application/json");
      assertThat(again.json().getLong("id")).isEqualTo(id);
      assertThat(again.json()).isEqualTo(first.json());
    }
    assertThat(api.get("/v1/activations", customer.apiKey()).items()).hasSize(1);
    assertThat(wallet(customer)).isEqualTo(new JsonObject().put("balance", "9.50").put("held", "0.50").put("currency", "USD"));
    assertThat(api.get("/v1/wallet/transactions", customer.apiKey()).items()).hasSize(2);
  }

  @Test
  @DisplayName("refuses the same key with a different body as 422 and changes nothing")
  void refusesTheSameKeyForAnotherRequest() {
    Customer customer = node.customer("reuser", "10.00");
    assertThat(buy(customer, "order-1", TG).status()).isEqualTo(201);
    CustomerState before = CustomerState.of(api, customer);

    JsonObject problem = assertProblem(buy(customer, "order-1", WA), 422, "this Idempotency-Key was used for a different request");
    assertThat(problem.getString("type")).endsWith("/idempotency-key-reused");
    assertProblem(buy(customer, "order-1", "{\"service\":\"tg\",\"country\":0,\"maxPrice\":\"1.00\"}"), 422,
        "Idempotency-Key");
    before.assertUnchanged(api, customer);
  }

  @Test
  @DisplayName("refuses a key longer than 255 characters as 400 and accepts one of exactly 255")
  void limitsTheKeyLength() {
    Customer customer = node.customer("longkey", "10.00");
    CustomerState before = CustomerState.of(api, customer);
    assertProblem(buy(customer, "k".repeat(256), TG), 400, "Idempotency-Key must be 1 to 255 characters");
    assertProblem(buy(customer, "k".repeat(5000), TG), 400, "Idempotency-Key must be 1 to 255 characters");
    before.assertUnchanged(api, customer);

    Api.Response longest = buy(customer, "k".repeat(255), TG);
    assertThat(longest.status()).as("%s", longest).isEqualTo(201);
    assertThat(buy(customer, "k".repeat(255), TG).header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(api.get("/v1/activations", customer.apiKey()).items()).hasSize(1);
  }

  @Test
  @DisplayName("scopes keys to the account: two customers may use the same key")
  void scopesKeysToTheAccount() {
    Customer one = node.customer("one", "10.00");
    Customer two = node.customer("two", "10.00");
    long first = buy(one, "shared-key", TG).json().getLong("id");
    Api.Response second = buy(two, "shared-key", TG);
    assertThat(second.status()).as("%s", second).isEqualTo(201);
    assertThat(second.header("Idempotent-Replayed")).isNull();
    assertThat(second.json().getLong("id")).isNotEqualTo(first);
    assertThat(wallet(one).getString("held")).isEqualTo("0.50");
    assertThat(wallet(two).getString("held")).isEqualTo("0.50");
  }

  @Test
  @DisplayName("buys twice with two different keys, and without a key every request is a new order")
  void differentKeysAreDifferentOrders() {
    Customer customer = node.customer("twice", "10.00");
    assertThat(buy(customer, "a", TG).status()).isEqualTo(201);
    assertThat(buy(customer, "b", TG).status()).isEqualTo(201);
    assertThat(api.post("/v1/activations", customer.apiKey(), TG).status()).isEqualTo(201);
    assertThat(api.get("/v1/activations", customer.apiKey()).items()).hasSize(3);
    assertThat(wallet(customer).getString("held")).isEqualTo("1.50");
  }

  @Test
  @DisplayName("replays a refusal too: a 402 stays a 402 for that key and holds nothing")
  void replaysARefusal() {
    Customer poor = node.customer("poor", "0.40");
    Api.Response first = buy(poor, "poor-1", TG);
    assertProblem(first, 402, "the balance does not cover the price 0.50");
    Api.Response again = buy(poor, "poor-1", TG);
    assertThat(again.status()).isEqualTo(402);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.contentType()).startsWith("application/problem+json");
    assertThat(api.get("/v1/activations", poor.apiKey()).items()).isEmpty();
    assertThat(wallet(poor).getString("balance")).isEqualTo("0.40");
  }

  @Test
  @DisplayName("creates exactly one order when ten retries with the same key arrive at once")
  void concurrentRetriesCreateOneOrder() throws Exception {
    Customer customer = node.customer("storm", "10.00");
    int clients = 10;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      CountDownLatch ready = new CountDownLatch(clients);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Api.Response>> futures = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        futures.add(pool.submit(() -> {
          ready.countDown();
          go.await(10, TimeUnit.SECONDS);
          return buy(customer, "storm-key", TG);
        }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();

      List<Long> createdIds = new ArrayList<>();
      int fresh = 0;
      for (Future<Api.Response> future : futures) {
        Api.Response response = future.get(60, TimeUnit.SECONDS);
        if (response.status() == 201) {
          createdIds.add(response.json().getLong("id"));
          if (response.header("Idempotent-Replayed") == null) fresh++;
        } else {
          JsonObject problem = assertProblem(response, 409, "still being processed");
          assertThat(problem.getString("type")).endsWith("/idempotency-key-in-use");
        }
      }
      assertThat(fresh).as("responses that really bought").isEqualTo(1);
      assertThat(createdIds).isNotEmpty().allMatch(id -> id.equals(createdIds.get(0)));

      Api.Response settled = buy(customer, "storm-key", TG);
      assertThat(settled.status()).isEqualTo(201);
      assertThat(settled.header("Idempotent-Replayed")).isEqualTo("true");
      assertThat(settled.json().getLong("id")).isEqualTo(createdIds.get(0));
      assertThat(api.get("/v1/activations", customer.apiKey()).items()).hasSize(1);
      assertThat(wallet(customer)).isEqualTo(new JsonObject().put("balance", "9.50").put("held", "0.50").put("currency", "USD"));
      node.assertMoneyInvariants();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("guards cancel with the key too: a replayed cancel answers the stored result")
  void guardsActionsToo() {
    Customer customer = node.customer("actor", "10.00");
    long id = buy(customer, "buy", TG).json().getLong("id");
    Api.Response early = api.post("/v1/activations/" + id + "/cancel", customer.apiKey(), (String) null,
        "Idempotency-Key", "cancel-1");
    assertProblem(early, 409, "");
    Api.Response again = api.post("/v1/activations/" + id + "/cancel", customer.apiKey(), (String) null,
        "Idempotency-Key", "cancel-1");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertProblem(api.post("/v1/activations/" + id + "/finish", customer.apiKey(), (String) null,
        "Idempotency-Key", "cancel-1"), 422, "Idempotency-Key");
    assertThat(api.get("/v1/activations/" + id, customer.apiKey()).json().getString("state")).isEqualTo("WAITING_CODE");
  }

  @Test
  @DisplayName("does not keep a malformed request's 400, so the fixed request may reuse the key")
  void letsAFixedRequestReuseTheKeyOfAMalformedOne() {
    Customer customer = node.customer("typo", "10.00");
    assertProblem(buy(customer, "order-typo", "{\"service\":\"tg\",\"country\":\"zero\"}"), 400, "'country' must be an integer");
    Api.Response fixed = buy(customer, "order-typo", TG);
    assertThat(fixed.status()).as("%s", fixed).isEqualTo(201);
    assertThat(fixed.header("Idempotent-Replayed")).isNull();
    assertThat(buy(customer, "order-typo", TG).json().getLong("id")).isEqualTo(fixed.json().getLong("id"));
  }

  @Test
  @DisplayName("keeps the request path in a stored problem")
  void keepsThePathInAStoredProblem() {
    Customer customer = node.customer("broke", "0.10");
    Api.Response refused = buy(customer, "order-broke", TG);
    assertThat(refused.status()).isEqualTo(402);
    Api.Response replayed = buy(customer, "order-broke", TG);
    assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replayed.json().getString("instance")).isEqualTo("/v1/activations");
  }
}
