package com.otporchestrator.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Per-account rate limits")
class RateLimitTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static TestNode secondNode;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(RateLimitTest.class);
    node = TestNode.start(stores);
    var env = TestNode.defaults(stores);
    env.put("ROLES", "api");
    secondNode = TestNode.start(env);
    api = node.api();
    Api.Response plan = api.put("/admin/v1/plans/tiny", TestNode.ADMIN_TOKEN,
        new JsonObject().put("requestsPerSecond", 1).put("burst", 5));
    assertThat(plan.status()).as("%s", plan).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    node.assertEventLoopNeverBlocked();
    secondNode.close();
    node.close();
    stores.close();
  }

  @Test
  @DisplayName("answer 429 with Retry-After once the burst is spent, and say so in RateLimit headers")
  void refuseOverTheBurst() {
    Customer noisy = node.customer("noisy", "1.00", "tiny");
    List<Api.Response> responses = new ArrayList<>();
    for (int i = 0; i < 8; i++) responses.add(api.get("/v1/wallet", noisy.apiKey()));

    assertThat(responses.subList(0, 5)).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    assertThat(responses.get(0).header("RateLimit-Limit")).isEqualTo("5");
    assertThat(responses.get(0).header("RateLimit-Remaining")).isEqualTo("4");
    assertThat(responses.get(4).header("RateLimit-Remaining")).isEqualTo("0");
    Api.Response refused = responses.get(6);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.contentType()).isEqualTo("application/problem+json");
    assertThat(refused.json().getString("type")).endsWith("/rate-limited");
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);
    assertThat(refused.header("RateLimit-Remaining")).isEqualTo("0");
    // the current IETF draft's fields: the bucket's policy, and where it stands
    assertThat(responses.get(0).header("RateLimit-Policy")).matches("\"default\";q=5;w=\\d+");
    assertThat(responses.get(0).header("RateLimit")).matches("\"default\";r=4;t=\\d+");
    assertThat(refused.header("RateLimit")).matches("\"default\";r=0;t=[1-9]\\d*");
  }

  @Test
  @DisplayName("share one budget per account across pods")
  void shareTheBudgetAcrossPods() {
    Customer customer = node.customer("two-pods", "1.00", "tiny");
    for (int i = 0; i < 5; i++) {
      Api target = i % 2 == 0 ? api : secondNode.api();
      assertThat(target.get("/v1/wallet", customer.apiKey()).status()).isEqualTo(200);
    }
    assertThat(secondNode.api().get("/v1/wallet", customer.apiKey()).status()).isEqualTo(429);
  }

  @Test
  @DisplayName("never let one noisy account starve another")
  void keepOtherAccountsServed() {
    Customer noisy = node.customer("flooder", "1.00", "tiny");
    Customer quiet = node.customer("quiet", "1.00", "tiny");
    for (int i = 0; i < 20; i++) api.get("/v1/wallet", noisy.apiKey());
    assertThat(api.get("/v1/wallet", noisy.apiKey()).status()).isEqualTo(429);
    assertThat(api.get("/v1/wallet", quiet.apiKey()).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("refill at the plan's rate")
  void refillOverTime() throws InterruptedException {
    Customer customer = node.customer("patient", "1.00", "tiny");
    for (int i = 0; i < 6; i++) api.get("/v1/wallet", customer.apiKey());
    assertThat(api.get("/v1/wallet", customer.apiKey()).status()).isEqualTo(429);
    Thread.sleep(1_100);
    assertThat(api.get("/v1/wallet", customer.apiKey()).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("refuse an unknown plan and an unknown account with a precise 4xx")
  void refuseUnknownPlansAndAccounts() {
    Customer customer = node.customer("planless", "1.00");
    Api.Response unknownPlan = api.put("/admin/v1/accounts/" + customer.id() + "/plan", TestNode.ADMIN_TOKEN,
        new JsonObject().put("plan", "platinum"));
    assertThat(unknownPlan.status()).isEqualTo(400);
    assertThat(unknownPlan.json().getString("detail")).contains("unknown plan 'platinum'");
    Api.Response unknownAccount = api.put("/admin/v1/accounts/999999/plan", TestNode.ADMIN_TOKEN,
        new JsonObject().put("plan", "bulk"));
    assertThat(unknownAccount.status()).isEqualTo(404);
    Api.Response badPlan = api.put("/admin/v1/plans/x", TestNode.ADMIN_TOKEN, new JsonObject().put("requestsPerSecond", 0).put("burst", 5));
    assertThat(badPlan.status()).isEqualTo(400);
  }

  @Test
  @DisplayName("answer the sms-activate API with HTTP 429, Retry-After and RATE_LIMIT over the limit")
  void limitTheCompatibleApiToo() {
    Customer customer = node.customer("script", "1.00", "tiny");
    String path = "/stubs/handler_api.php?action=getBalance&api_key=" + customer.apiKey();
    for (int i = 0; i < 5; i++) assertThat(api.get(path, null).body()).isEqualTo("ACCESS_BALANCE:1.00");
    Api.Response refused = api.get(path, null);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.body()).isEqualTo("RATE_LIMIT");
    assertThat(refused.header("Retry-After")).isEqualTo("1");
  }
}
