package com.otporchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Tests run in order: each one changes which policy is in force, as an operator would over time. */
@DisplayName("Refund policy versions, published by an admin and recorded on each order")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyVersionsOnOrdersTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static Customer customer;
  private static long boughtUnderV1;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(PolicyVersionsOnOrdersTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", "600");
    env.put("CANCEL_DELAY_SECONDS", "0");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    customer = node.customer("policy-buyer", "100.00");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static JsonObject buy() {
    Api.Response r = api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json();
  }

  private static JsonObject refund(long id) {
    Api.Response r = api.get("/v1/activations/" + id + "/refund", customer.apiKey());
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json();
  }

  private static Api.Response publish(String yaml) {
    return api.send("POST", "/admin/v1/policies", ADMIN, "application/yaml", yaml);
  }

  static String preset(String name) {
    try (InputStream in = PolicyVersionsOnOrdersTest.class.getClassLoader().getResourceAsStream("policies/" + name + ".yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  @Order(1)
  void startsWithEveryPresetPublishedAndTheConfiguredOneInForce() {
    Api.Response all = api.get("/admin/v1/policies", ADMIN);
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.items().stream().map(o -> ((JsonObject) o).getString("policyId")))
        .containsExactlyInAnyOrder("esimpy_return_policy", "instaotp_refund_policy", "otpdesk_refund_policy",
            "smsactivator_refund_policy", "smssb_refund_policy");
    JsonObject inForce = api.get("/admin/v1/policies/in-force", ADMIN).json();
    assertThat(inForce.getString("policyId")).isEqualTo("smssb_refund_policy");
    assertThat(inForce.getInteger("version")).isEqualTo(1);
  }

  @Test
  @Order(2)
  void anOrderRecordsTheVersionInForceAndExplainsItsRefund() {
    JsonObject order = buy();
    boughtUnderV1 = order.getLong("id");
    assertThat(order.getJsonObject("policy")).isEqualTo(new JsonObject().put("id", "smssb_refund_policy").put("version", 1));

    JsonObject position = refund(boughtUnderV1);
    assertThat(position.getBoolean("refundableNow")).isTrue();
    assertThat(position.getString("rule")).isEqualTo("cancel_before_sms");
    assertThat(position.getJsonArray("options").getJsonObject(0).getString("action")).isEqualTo("cancel");
  }

  @Test
  @Order(3)
  void aNewVersionAppliesToNewOrdersOnlyAndOldOrdersKeepTheirs() {
    String v2 = preset("smssb-refund-policy").replace("version: 1", "version: 2")
        .replace("  cancelNotBefore: PT0S", "  cancelNotBefore: PT5M");
    Api.Response published = api.send("POST", "/admin/v1/policies", ADMIN, "application/yaml", v2);
    assertThat(published.status()).as("%s", published).isEqualTo(201);
    assertThat(published.json().getInteger("version")).isEqualTo(2);

    JsonObject newer = buy();
    assertThat(newer.getJsonObject("policy").getInteger("version")).isEqualTo(2);
    Instant created = Instant.parse(newer.getString("createdAt"));
    assertThat(Duration.between(created, Instant.parse(newer.getString("cancellableAt")))).isEqualTo(Duration.ofMinutes(5));
    JsonObject newerPosition = refund(newer.getLong("id"));
    assertThat(newerPosition.getString("rule")).isEqualTo("cancel_not_yet_open");
    assertThat(newerPosition.getBoolean("refundableNow")).isFalse();

    JsonObject older = api.get("/v1/activations/" + boughtUnderV1, customer.apiKey()).json();
    assertThat(older.getJsonObject("policy").getInteger("version")).isEqualTo(1);
    assertThat(refund(boughtUnderV1).getString("rule")).isEqualTo("cancel_before_sms");
    Api.Response cancelled = api.post("/v1/activations/" + boughtUnderV1 + "/cancel", customer.apiKey(), (String) null);
    assertThat(cancelled.status()).as("%s", cancelled).isEqualTo(200);
    JsonObject after = refund(boughtUnderV1);
    assertThat(after.getBoolean("refunded")).isTrue();
    assertThat(after.getString("rule")).isEqualTo("refunded.cancelled");
  }

  @Test
  @Order(4)
  void switchingToAPolicyWithAFixedWindowCountsItFromThePurchase() {
    Api.Response set = api.put("/admin/v1/policies/in-force", ADMIN, new JsonObject().put("policyId", "otpdesk_refund_policy"));
    assertThat(set.status()).as("%s", set).isEqualTo(200);
    JsonObject order = buy();
    assertThat(order.getJsonObject("policy").getString("id")).isEqualTo("otpdesk_refund_policy");
    Instant created = Instant.parse(order.getString("createdAt"));
    assertThat(Duration.between(created, Instant.parse(order.getString("expiresAt")))).isEqualTo(Duration.ofMinutes(20));
    assertThat(Duration.between(created, Instant.parse(order.getString("cancellableAt")))).isEqualTo(Duration.ofMinutes(2));
    JsonObject history = api.get("/admin/v1/policies/in-force", ADMIN).json();
    assertThat(history.getJsonArray("history")).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  @Order(5)
  void underAPolicyWhereCancellingDoesNotRefundTheOrderCannotBeCancelledAndRefundsAtTheEnd() {
    assertThat(api.put("/admin/v1/policies/in-force", ADMIN, new JsonObject().put("policyId", "esimpy_return_policy"))
        .status()).isEqualTo(200);
    JsonObject order = buy();
    assertThat(order.getString("cancellableAt")).isEqualTo(order.getString("expiresAt"));
    Api.Response cancel = api.post("/v1/activations/" + order.getLong("id") + "/cancel", customer.apiKey(), (String) null);
    assertThat(cancel.status()).isEqualTo(409);
    assertThat(cancel.json().getString("detail")).contains("comes back by itself");
    JsonObject position = refund(order.getLong("id"));
    assertThat(position.getString("rule")).isEqualTo("waiting.refund_after_window");
    assertThat(position.getJsonArray("options").stream().map(o -> ((JsonObject) o).getString("action")))
        .doesNotContain("cancel");
    assertThat(api.put("/admin/v1/policies/in-force", ADMIN, new JsonObject().put("policyId", "otpdesk_refund_policy"))
        .status()).isEqualTo(200);
  }

  @Test
  @Order(6)
  void refusesAnInvalidDocumentWithEveryProblemAndStoresNothing() {
    Api.Response bad = publish(preset("smssb-refund-policy").replace("version: 1", "version: 3")
        .replace("cancelNotBefore: PT0S", "cancelNotBefore: soon"));
    assertThat(bad.status()).as("%s", bad).isEqualTo(400);
    assertThat(bad.contentType()).isEqualTo("application/problem+json");
    assertThat(bad.json().getJsonArray("problems").encode()).contains("activation.cancelNotBefore");
    assertThat(api.get("/admin/v1/policies/smssb_refund_policy", ADMIN).json().getJsonArray("versions")).hasSize(2);
  }

  @Test
  @Order(7)
  void refusesToOverwriteOrSkipAVersion() {
    Api.Response again = publish(preset("smssb-refund-policy"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().getInteger("nextVersion")).isEqualTo(3);
    Api.Response skipped = publish(preset("smssb-refund-policy").replace("version: 1", "version: 7"));
    assertThat(skipped.status()).isEqualTo(409);
  }

  @Test
  @Order(8)
  void answersPreciselyForBadRequests() {
    assertThat(api.send("POST", "/admin/v1/policies", ADMIN, "text/plain", "id: x").status()).isEqualTo(415);
    assertThat(publish("").status()).isEqualTo(400);
    assertThat(publish("id: [unclosed").status()).isEqualTo(400);
    assertThat(api.send("POST", "/admin/v1/policies", "wrong-token", "application/yaml", "id: x").status()).isEqualTo(401);
    assertThat(api.get("/admin/v1/policies/no_such_policy", ADMIN).status()).isEqualTo(404);
    assertThat(api.get("/admin/v1/policies/Bad-Id", ADMIN).status()).isEqualTo(400);
    assertThat(api.get("/admin/v1/policies/smssb_refund_policy/versions/0", ADMIN).status()).isEqualTo(400);
    assertThat(api.get("/admin/v1/policies/smssb_refund_policy/versions/99", ADMIN).status()).isEqualTo(404);
    assertThat(api.put("/admin/v1/policies/in-force", ADMIN, new JsonObject().put("policyId", "no_such_policy")).status())
        .isEqualTo(404);
    assertThat(api.put("/admin/v1/policies/in-force", ADMIN, new JsonObject().put("policyId", 12)).status()).isEqualTo(400);
    assertThat(api.put("/admin/v1/policies/in-force", ADMIN, new JsonObject().put("other", "x")).status()).isEqualTo(400);
    assertThat(api.send("POST", "/admin/v1/policies", ADMIN, "application/yaml", preset("smssb-refund-policy"))
        .status()).isEqualTo(409);
  }

  @Test
  @Order(9)
  void answersTheRefundPositionOnlyToTheOrdersOwner() {
    long id = buy().getLong("id");
    Customer other = node.customer("policy-other", "1.00");
    assertThat(api.get("/v1/activations/" + id + "/refund", other.apiKey()).status()).isEqualTo(404);
    assertThat(api.get("/v1/activations/999999999/refund", customer.apiKey()).status()).isEqualTo(404);
    assertThat(api.get("/v1/activations/abc/refund", customer.apiKey()).status()).isEqualTo(404);
    assertThat(api.get("/v1/activations/" + id + "/refund", null).status()).isEqualTo(401);
  }
}
