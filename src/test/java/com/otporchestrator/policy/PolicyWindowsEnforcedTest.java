package com.otporchestrator.policy;

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

/**
 * The engine, not only the decision function, keeps a policy's windows to the second: the otpdesk preset republished
 * with its 20-minute window and 2-minute cancel delay scaled to 4 s and 2 s, so the boundaries can be crossed in a test.
 */
@DisplayName("A policy version's cancel delay and window, enforced by the running engine")
class PolicyWindowsEnforcedTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(PolicyWindowsEnforcedTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("CANCEL_DELAY_SECONDS", "0");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    String scaled = PolicyVersionsOnOrdersTest.preset("otpdesk-refund-policy").replace("version: 1", "version: 2")
        .replace("window: PT20M", "window: PT4S").replace("cancelNotBefore: PT2M", "cancelNotBefore: PT2S");
    assertThat(api.send("POST", "/admin/v1/policies", ADMIN, "application/yaml", scaled).status()).isEqualTo(201);
    assertThat(api.put("/admin/v1/policies/in-force", ADMIN, new JsonObject().put("policyId", "otpdesk_refund_policy"))
        .status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static JsonObject buy(Customer c) {
    Api.Response r = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json();
  }

  private static void sleepUntil(Instant t) {
    long ms = Duration.between(Instant.now(), t).toMillis();
    if (ms > 0) Await.pause(Duration.ofMillis(ms));
  }

  @Test
  void aCancelBeforeTheDelayIsRefusedAndJustAfterItRefundsInFull() {
    Customer c = node.customer("otpdesk-canceller", "1.00");
    JsonObject order = buy(c);
    Instant created = Instant.parse(order.getString("createdAt"));
    assertThat(order.getJsonObject("policy").getInteger("version")).isEqualTo(2);
    assertThat(Instant.parse(order.getString("cancellableAt"))).isEqualTo(created.plusSeconds(2));

    sleepUntil(created.plusSeconds(1));
    Api.Response early = api.post("/v1/activations/" + order.getLong("id") + "/cancel", c.apiKey(), (String) null);
    assertThat(early.status()).as("one second before the delay ends").isEqualTo(409);
    assertThat(api.get("/v1/activations/" + order.getLong("id") + "/refund", c.apiKey()).json().getString("rule"))
        .isEqualTo("cancel_not_yet_open");

    sleepUntil(created.plusSeconds(2).plusMillis(50));
    Api.Response cancelled = api.post("/v1/activations/" + order.getLong("id") + "/cancel", c.apiKey(), (String) null);
    assertThat(cancelled.status()).as("just after the delay: %s", cancelled).isEqualTo(200);
    assertThat(api.get("/v1/wallet", c.apiKey()).json().getString("balance")).isEqualTo("1.00");
  }

  @Test
  void noSmsInTheWindowRefundsByItselfAtTheWindowEndCountedFromThePurchase() {
    Customer c = node.customer("otpdesk-waiter", "1.00");
    JsonObject order = buy(c);
    Instant created = Instant.parse(order.getString("createdAt"));
    assertThat(Instant.parse(order.getString("expiresAt"))).isEqualTo(created.plusSeconds(4));
    sleepUntil(created.plusSeconds(3));
    assertThat(api.get("/v1/activations/" + order.getLong("id"), c.apiKey()).json().getString("state"))
        .as("one second before the window ends").isEqualTo("WAITING_CODE");
    Await.until("the window ended and the order expired", () ->
        "EXPIRED".equals(api.get("/v1/activations/" + order.getLong("id"), c.apiKey()).json().getString("state")));
    assertThat(api.get("/v1/wallet", c.apiKey()).json().getString("balance")).isEqualTo("1.00");
    JsonObject position = api.get("/v1/activations/" + order.getLong("id") + "/refund", c.apiKey()).json();
    assertThat(position.getBoolean("refunded")).isTrue();
  }

  @Test
  void aCodeInsideTheWindowMakesTheSaleFinal() {
    Customer c = node.customer("otpdesk-receiver", "1.00");
    long id = buy(c).getLong("id");
    assertThat(api.post("/admin/v1/sandbox/activations/" + id + "/sms", ADMIN, new JsonObject().put("text", "code 4411"))
        .status()).isEqualTo(200);
    JsonObject position = api.get("/v1/activations/" + id + "/refund", c.apiKey()).json();
    assertThat(position.getString("rule")).isEqualTo("final.sms_received");
    assertThat(position.getBoolean("refundableNow")).isFalse();
    assertThat(api.post("/v1/activations/" + id + "/cancel", c.apiKey(), (String) null).status()).isEqualTo(409);
  }
}
