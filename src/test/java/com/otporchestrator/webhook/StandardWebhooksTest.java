package com.otporchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.NodeScripts;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Webhooks per the Standard Webhooks specification, proven with the specification's own reference verifier (npm
 * standardwebhooks, pinned in src/test/node/package-lock.json, run by src/test/node/verify-webhook.mjs), and one event
 * for every state an order moves to.
 */
@DisplayName("Webhooks verify with the Standard Webhooks reference library, and every order state change sends one")
class StandardWebhooksTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static WebhookReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    stores = TestStores.isolate(StandardWebhooksTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("WEBHOOK_ALLOW_PRIVATE_URLS", "true");
    env.put("CANCEL_DELAY_SECONDS", "1");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    assertThat(api.put("/admin/v1/rent-offers", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("country", 0).put("service", "full").put("hourlyPrice", "0.10").put("stock", 5)).status()).isEqualTo(200);
    receiver = new WebhookReceiver();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
      receiver.close();
      stores.close();
    }
  }

  private static String setUrl(Customer c, String path) {
    Api.Response r = api.put("/v1/webhook", c.apiKey(), new JsonObject().put("url", receiver.url(path)));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().getString("secret");
  }

  private static long buy(Customer c) {
    Api.Response r = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json().getLong("id");
  }

  private static void sms(long id, String text) {
    assertThat(api.post("/admin/v1/sandbox/activations/" + id + "/sms", TestNode.ADMIN_TOKEN,
        new JsonObject().put("text", text)).status()).isEqualTo(200);
  }

  /** The event types the receiver got for an order at {@code path}, in the order they were written. */
  private static List<String> typesFor(String path, String idField, long id) {
    return receiver.hits().stream().filter(h -> h.path().equals(path) && h.status() == 200)
        .map(h -> new JsonObject(h.body()))
        .filter(b -> String.valueOf(id).equals(String.valueOf(b.getValue(idField))))
        .sorted(java.util.Comparator.comparingLong(b -> Long.parseLong(b.getString("eventId").substring(4))))
        .map(b -> b.getString("type")).toList();
  }

  /** The reference verifier's verdict on one delivery, checked with {@code secret}. */
  private static JsonObject verify(WebhookReceiver.Hit hit, String secret, String body) {
    JsonObject delivery = new JsonObject().put("secret", secret).put("body", body).put("headers", new JsonObject()
        .put("webhook-id", hit.webhookId()).put("webhook-timestamp", hit.timestamp()).put("webhook-signature", hit.signature()));
    NodeScripts.Run run = NodeScripts.node("verify-webhook.mjs", Map.of(), delivery.encode(), 60);
    assertThat(run.exitCode()).as("verify-webhook.mjs: %s %s", run.stdout(), run.stderr()).isZero();
    return new JsonObject(run.stdout().strip());
  }

  @Test
  void theReferenceVerifierAcceptsOurSignaturesAlsoWhileASecretRotatesAndRejectsForgeries() {
    Customer c = node.customer("verified", "5.00");
    String secret = setUrl(c, "/ok/verified");
    long id = buy(c);
    sms(id, "Telegram code 48213");
    Await.until("the SMS event arrived", Duration.ofSeconds(15),
        () -> typesFor("/ok/verified", "activationId", id).contains("activation.sms"));
    WebhookReceiver.Hit hit = receiver.hits().stream().filter(h -> h.body().contains("\"activation.sms\"")
        && h.body().contains(String.valueOf(id))).findFirst().orElseThrow();
    assertThat(hit.webhookId()).startsWith("evt_");
    assertThat(hit.signature()).matches("v1,[A-Za-z0-9+/]{43}=");

    JsonObject verdict = verify(hit, secret, hit.body());
    assertThat(verdict.getBoolean("verified")).as("%s", verdict).isTrue();
    assertThat(verdict.getJsonObject("payload").getString("code")).isEqualTo("48213");
    // a changed body, or another secret, does not verify
    assertThat(verify(hit, secret, hit.body().replace("48213", "48214")).getBoolean("verified")).isFalse();
    assertThat(verify(hit, WebhookSigner.newSecret(), hit.body()).getBoolean("verified")).isFalse();

    // rotation: the next event carries two signatures, and either secret verifies it
    Api.Response rotated = api.post("/v1/webhook/secret", c.apiKey(), (String) null);
    assertThat(rotated.status()).isEqualTo(200);
    String newSecret = rotated.json().getString("secret");
    assertThat(newSecret).isNotEqualTo(secret);
    long second = buy(c);
    Await.until("the next event arrived", Duration.ofSeconds(15),
        () -> typesFor("/ok/verified", "activationId", second).contains("activation.waiting_code"));
    WebhookReceiver.Hit after = receiver.hits().stream().filter(h -> h.body().contains("\"activation.waiting_code\"")
        && h.body().contains(String.valueOf(second))).findFirst().orElseThrow();
    assertThat(after.signature().split(" ")).hasSize(2);
    assertThat(verify(after, newSecret, after.body()).getBoolean("verified")).isTrue();
    assertThat(verify(after, secret, after.body()).getBoolean("verified")).isTrue();
  }

  @Test
  void everyStateAnActivationOrARentalMovesToSendsItsEvent() {
    Customer c = node.customer("states", "5.00");
    setUrl(c, "/ok/states");
    long finished = buy(c);
    sms(finished, "code 11111");
    assertThat(api.post("/v1/activations/" + finished + "/retry", c.apiKey(), (String) null).status()).isEqualTo(200);
    sms(finished, "code 22222");
    assertThat(api.post("/v1/activations/" + finished + "/finish", c.apiKey(), (String) null).status()).isEqualTo(200);
    long cancelled = buy(c);
    Await.pause(Duration.ofMillis(1100));
    assertThat(api.post("/v1/activations/" + cancelled + "/cancel", c.apiKey(), (String) null).status()).isEqualTo(200);
    Api.Response rent = api.post("/v1/rentals", c.apiKey(), new JsonObject().put("service", "full").put("country", 0).put("hours", 4));
    assertThat(rent.status()).as("%s", rent).isEqualTo(201);
    long rental = rent.json().getLong("id");
    assertThat(api.post("/v1/rentals/" + rental + "/cancel", c.apiKey(), (String) null).status()).isEqualTo(200);

    List<String> finishedEvents = List.of("activation.waiting_code", "activation.sms", "activation.waiting_retry",
        "activation.sms", "activation.finished");
    Await.until("every event delivered", Duration.ofSeconds(20),
        () -> typesFor("/ok/states", "activationId", finished).size() == 5
            && typesFor("/ok/states", "activationId", cancelled).size() == 2
            && typesFor("/ok/states", "rentId", rental).size() == 2);
    assertThat(typesFor("/ok/states", "activationId", finished)).containsExactlyElementsOf(finishedEvents);
    assertThat(typesFor("/ok/states", "activationId", cancelled))
        .containsExactly("activation.waiting_code", "activation.cancelled");
    assertThat(typesFor("/ok/states", "rentId", rental)).containsExactly("rental.active", "rental.cancelled");
    JsonObject cancelEvent = receiver.hits().stream().map(h -> new JsonObject(h.body()))
        .filter(b -> "activation.cancelled".equals(b.getString("type")) && b.getLong("activationId") == cancelled)
        .findFirst().orElseThrow();
    assertThat(cancelEvent.getString("state")).isEqualTo("CANCELLED");
    assertThat(cancelEvent.getString("previousState")).isEqualTo("WAITING_CODE");
    assertThat(cancelEvent.getString("price")).isEqualTo("0.50");
    assertThat(cancelEvent.getString("closeReason")).isEqualTo("cancelled by the customer");
    assertThat(WebhookEvents.TYPES).containsKeys("activation.waiting_code", "activation.sms", "activation.waiting_retry",
        "activation.finished", "activation.cancelled", "rental.active", "rental.cancelled");
  }
}
