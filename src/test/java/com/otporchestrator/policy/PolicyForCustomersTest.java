package com.otporchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.NodeScripts;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Customers read the policy that binds them, in words with its sentences, and are told when it changes")
class PolicyForCustomersTest {
  static TestStores.Isolated stores;
  static TestNode node;
  static Api api;
  static TestNode.Customer reader;
  static Vertx receiverVertx;
  static HttpServer receiver;
  static final List<JsonObject> received = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    stores = TestStores.isolate(PolicyForCustomersTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("WEBHOOK_ALLOW_PRIVATE_URLS", "true");
    node = TestNode.start(env);
    api = node.api();
    reader = node.customer("reader", null);
    receiverVertx = Vertx.vertx();
    receiver = receiverVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      received.add(new JsonObject().put("path", req.path()).put("id", req.getHeader("webhook-id"))
          .put("timestamp", req.getHeader("webhook-timestamp")).put("signature", req.getHeader("webhook-signature"))
          .put("body", body.toString()));
      req.response().setStatusCode(200).end("ok");
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
      receiverVertx.close().await(10, TimeUnit.SECONDS);
      stores.close();
    }
  }

  static Map<String, JsonObject> rulesByPath(JsonObject policy) {
    return policy.getJsonArray("rules").stream().map(o -> (JsonObject) o)
        .collect(Collectors.toMap(r -> r.getString("path"), r -> r, (a, b) -> a, java.util.LinkedHashMap::new));
  }

  @Test
  @DisplayName("the policy in force has its id, version, effective and revised dates, and every field as a rule in words")
  void inForceInWords() {
    JsonObject inForce = api.get("/admin/v1/policies/in-force", TestNode.ADMIN_TOKEN).json();
    Api.Response response = api.get("/v1/policy", reader.apiKey());
    assertThat(response.status()).isEqualTo(200);
    JsonObject policy = response.json();
    assertThat(policy.getString("policyId")).isEqualTo(inForce.getString("policyId"));
    assertThat(policy.getInteger("version")).isEqualTo(inForce.getInteger("version"));
    assertThat(policy.getString("inForceSince")).isNotNull();
    assertThat(policy.getString("revised")).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
    assertThat(policy.getJsonArray("rules")).isNotEmpty();
  }

  @Test
  @DisplayName("smssb's rules cover payouts, service credits, account claims and rental refunds, each with its source sentence")
  void smssbWordsAndSentences() {
    Map<String, JsonObject> rules = rulesByPath(api.get("/v1/policies/smssb_refund_policy/versions/1", reader.apiKey()).json());
    assertThat(rules.keySet()).contains("activation.window", "activation.cancelNotBefore",
        "autoRefunds.no_sms_in_window", "autoRefunds.cancel_before_sms", "rental.cancelWindow",
        "rental.refunds.platform_outage", "rental.refunds.number_broken_upstream", "claims.refund_not_applied",
        "claims.deposit_problem", "claims.billing_concern", "exclusions.sms_delivered", "review.resolutionWithin",
        "review.decisionsFinal", "wallet.refundDestination", "wallet.currency", "wallet.topUpsRefundable",
        "wallet.balanceExpires", "wallet.payouts", "wallet.serviceCredits.outagesOnly");
    assertThat(rules.get("wallet.payouts").getString("text")).contains("cannot be paid out");
    assertThat(sentences(rules.get("wallet.payouts"))).anyMatch(s -> s.startsWith("Cryptocurrency deposits are final"));
    assertThat(rules.get("wallet.serviceCredits.outagesOnly").getString("text")).contains("only for orders inside a declared outage");
    assertThat(sentences(rules.get("wallet.serviceCredits.outagesOnly"))).anyMatch(s -> s.contains("service credits at our discretion"));
    assertThat(rules.get("claims.deposit_problem").getString("text")).contains("your account");
    assertThat(sentences(rules.get("claims.deposit_problem"))).anyMatch(s -> s.startsWith("In case of overpayment"));
    assertThat(rules.get("rental.refunds.platform_outage").getString("text")).contains("pro rata");
    assertThat(rules.get("review.decisionsFinal").getString("text")).contains("final");
    assertThat(sentences(rules.get("review.decisionsFinal"))).contains("All dispute decisions made by our support team are final.");
    assertThat(sentences(rules.get("exclusions.sms_delivered"))).first().asString().startsWith("SMS successfully delivered");
  }

  @Test
  @DisplayName("smsactivator's payout minimum and leaving the platform, and esimpy's customer choice of remedy, are in words")
  void payoutsAndRemedyChoice() {
    Map<String, JsonObject> activator = rulesByPath(api.get("/v1/policies/smsactivator_refund_policy/versions/1",
        reader.apiKey()).json());
    assertThat(activator.get("wallet.payouts").getString("text")).contains("at least $20").contains("closes the account");
    JsonObject esimpy = api.get("/v1/policies/esimpy_return_policy/versions/1", reader.apiKey()).json();
    assertThat(esimpy.getJsonArray("rules").stream().map(o -> ((JsonObject) o).getString("text")))
        .anyMatch(t -> t.contains("as you choose"));
  }

  @Test
  @DisplayName("an unknown version is 404, a malformed id or version 400")
  void badInput() {
    assertThat(api.get("/v1/policies/smssb_refund_policy/versions/99", reader.apiKey()).status()).isEqualTo(404);
    assertThat(api.get("/v1/policies/Nope/versions/1", reader.apiKey()).status()).isEqualTo(400);
    assertThat(api.get("/v1/policies/smssb_refund_policy/versions/0", reader.apiKey()).status()).isEqualTo(400);
    assertThat(api.get("/v1/policy/notices?limit=0", reader.apiKey()).status()).isEqualTo(400);
    assertThat(api.get("/v1/policy", "not-a-key").status()).isEqualTo(401);
  }

  @Test
  @DisplayName("putting another policy in force records one notice and sends a signed policy.changed to every account with a URL")
  void changeIsNoticedAndSent() {
    TestNode.Customer hooked = node.customer("hooked", null);
    Api.Response url = api.put("/v1/webhook", hooked.apiKey(), new JsonObject()
        .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/hooked"));
    assertThat(url.status()).isEqualTo(200);
    String secret = url.json().getString("secret");
    String current = api.get("/admin/v1/policies/in-force", TestNode.ADMIN_TOKEN).json().getString("policyId");
    String next = current.equals("otpdesk_refund_policy") ? "instaotp_refund_policy" : "otpdesk_refund_policy";
    int before = api.get("/v1/policy/notices", reader.apiKey()).items().size();

    assertThat(api.put("/admin/v1/policies/in-force", TestNode.ADMIN_TOKEN, new JsonObject().put("policyId", next)).status())
        .isEqualTo(200);
    // the same policy again changes nothing and is not noticed twice
    assertThat(api.put("/admin/v1/policies/in-force", TestNode.ADMIN_TOKEN, new JsonObject().put("policyId", next)).status())
        .isEqualTo(200);

    JsonArray notices = api.get("/v1/policy/notices", reader.apiKey()).items();
    assertThat(notices).hasSize(before + 1);
    JsonObject notice = notices.getJsonObject(0);
    assertThat(notice.getString("policyId")).isEqualTo(next);
    assertThat(notice.getString("text")).contains("applies to orders bought from");
    assertThat(api.get("/v1/policy", reader.apiKey()).json().getString("policyId")).isEqualTo(next);

    Await.until("the policy.changed webhook arrived", Duration.ofSeconds(15),
        () -> received.stream().anyMatch(r -> r.getString("body").contains("\"policy.changed\"")));
    List<JsonObject> changed = received.stream().filter(r -> r.getString("body").contains("\"policy.changed\"")).toList();
    assertThat(changed).hasSize(1);
    JsonObject hit = changed.get(0);
    JsonObject payload = new JsonObject(hit.getString("body"));
    assertThat(payload.getString("policyId")).isEqualTo(next);
    assertThat(payload.getLong("noticeId")).isEqualTo(notice.getLong("id"));
    assertThat(node.count("SELECT count(*) FROM webhook_events WHERE type = 'policy.changed' AND account_id = " + reader.id()))
        .as("no URL, no event").isZero();

    JsonObject delivery = new JsonObject().put("secret", secret).put("body", hit.getString("body")).put("headers",
        new JsonObject().put("webhook-id", hit.getString("id")).put("webhook-timestamp", hit.getString("timestamp"))
            .put("webhook-signature", hit.getString("signature")));
    NodeScripts.Run run = NodeScripts.node("verify-webhook.mjs", Map.of(), delivery.encode(), 60);
    assertThat(run.exitCode()).as("verify-webhook.mjs: %s %s", run.stdout(), run.stderr()).isZero();
    assertThat(new JsonObject(run.stdout().strip()).getBoolean("verified")).as("Standard Webhooks signature").isTrue();
  }

  private static List<String> sentences(JsonObject rule) {
    return rule.getJsonArray("sentences").stream().map(Object::toString).toList();
  }
}
