package com.otporchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.RedisKeys;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Webhooks to customers: signed, at least once, retried with backoff, logged, scoped to the account")
class WebhookDeliveryTest {
  private static final AtomicLong SMS_IDS = new AtomicLong(7_000_000);
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static WebhookReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    stores = TestStores.isolate(WebhookDeliveryTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("WEBHOOK_RETRY_BASE_MS", "50");          // 50, 100, 200 ... ms: 8 attempts in about 6 s
    env.put("WEBHOOK_ALLOW_PRIVATE_URLS", "true");   // the receiver listens on 127.0.0.1
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    receiver = new WebhookReceiver();
  }

  @AfterAll
  static void stop() throws Exception {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    receiver.close();
    stores.close();
  }

  // ---- helpers ----

  private static JsonObject setUrl(Customer customer, String url) {
    Api.Response response = api.put("/v1/webhook", customer.apiKey(), new JsonObject().put("url", url));
    assertThat(response.status()).as("%s", response).isEqualTo(200);
    return response.json();
  }

  private static JsonObject buy(Customer customer, String webhookUrl) {
    JsonObject body = new JsonObject().put("service", "tg").put("country", 0);
    if (webhookUrl != null) body.put("webhookUrl", webhookUrl);
    Api.Response response = api.post("/v1/activations", customer.apiKey(), body);
    assertThat(response.status()).as("%s", response).isEqualTo(201);
    return response.json();
  }

  private static void sandboxSms(long orderId, String text) {
    Api.Response response = api.post("/admin/v1/sandbox/activations/" + orderId + "/sms", TestNode.ADMIN_TOKEN,
        new JsonObject().put("text", text));
    assertThat(response.status()).as("%s", response).isEqualTo(200);
  }

  private static Api.Response pushSms(long smsId, String phone, String text) {
    JsonObject body = new JsonObject().put("action", "PUSH_SMS").put("key", node.config().sandbox().key())
        .put("smsId", smsId).put("phone", Long.parseLong(phone)).put("phoneFrom", "Telegram").put("text", text);
    return api.send("POST", "/providers/sandbox/sms", null, "application/json", body.encode());
  }

  private static List<Row> events(long orderId) {
    var rows = Await.result(node.node().core().pool()
        .preparedQuery("SELECT id, state, attempts, url FROM webhook_events WHERE order_id = $1 AND type = 'activation.sms'"
            + " ORDER BY id")
        .execute(Tuple.of(orderId)));
    return java.util.stream.StreamSupport.stream(rows.spliterator(), false).toList();
  }

  private static String eventId(long orderId) {
    List<Row> events = events(orderId);
    assertThat(events).as("webhook events of order %s", orderId).hasSize(1);
    return "evt_" + events.get(0).getLong("id");
  }

  private static String eventState(long orderId) {
    return events(orderId).get(0).getString("state");
  }

  private static void awaitEventState(long orderId, String state, Duration timeout) {
    Await.until("webhook event of " + orderId + " is " + state, timeout,
        () -> !events(orderId).isEmpty() && state.equals(eventState(orderId)));
  }

  private static JsonArray deliveries(Customer customer, String query) {
    Api.Response response = api.get("/v1/webhooks/deliveries" + query, customer.apiKey());
    assertThat(response.status()).as("%s", response).isEqualTo(200);
    return response.items();
  }

  private static List<JsonObject> deliveriesOf(Customer customer, String eventId) {
    return deliveries(customer, "?limit=500").stream().map(JsonObject.class::cast)
        .filter(d -> eventId.equals(d.getString("eventId"))).toList();
  }

  /** What a customer does to check a delivery (Standard Webhooks): base64 HMAC-SHA256 of "id.timestamp.body", the key decoded. */
  private static String expectedSignature(String secret, String webhookId, String timestamp, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(java.util.Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    return "v1," + java.util.Base64.getEncoder().encodeToString(
        mac.doFinal((webhookId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
  }

  // ---- tests ----

  @Test
  void retriesA500AndATimeoutThenDeliversOnceWithAVerifiableSignature() throws Exception {
    Customer customer = node.customer("flaky-receiver", "5.00");
    JsonObject hook = setUrl(customer, receiver.url("/flaky/a"));
    String secret = hook.getString("secret");
    assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
    JsonObject order = buy(customer, null);
    long id = order.getLong("id");

    sandboxSms(id, "Telegram code 48213. Do not share it.");
    String eventId = eventId(id);
    awaitEventState(id, "DELIVERED", Duration.ofSeconds(20));
    Await.pause(Duration.ofMillis(600)); // nothing more may arrive once delivered

    List<WebhookReceiver.Hit> hits = receiver.hitsFor(eventId);
    assertThat(hits).extracting(WebhookReceiver.Hit::status).containsExactly(500, 0, 200);
    assertThat(hits).extracting(WebhookReceiver.Hit::body).containsOnly(hits.get(0).body());
    for (WebhookReceiver.Hit hit : hits) {
      assertThat(hit.signature()).isEqualTo(expectedSignature(secret, hit.webhookId(), hit.timestamp(), hit.body()));
      assertThat(Long.parseLong(hit.timestamp())).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
    }

    JsonObject payload = new JsonObject(hits.get(0).body());
    assertThat(payload.getLong("activationId")).isEqualTo(id);
    assertThat(payload.getString("service")).isEqualTo("tg");
    assertThat(payload.getInteger("country")).isEqualTo(0);
    assertThat(payload.getString("text")).isEqualTo("Telegram code 48213. Do not share it.");
    assertThat(payload.getString("code")).isEqualTo("48213");
    assertThat(payload.getString("receivedAt")).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    assertThat(Instant.parse(payload.getString("receivedAtIso"))).isCloseTo(Instant.now(),
        org.assertj.core.api.Assertions.within(60, java.time.temporal.ChronoUnit.SECONDS));
    assertThat(payload.getString("eventId")).isEqualTo(eventId);
    assertThat(payload.getString("type")).isEqualTo("activation.sms");
    assertThat(payload.getString("phone")).isEqualTo(order.getString("phone"));
    assertThat(payload.getString("state")).isEqualTo("CODE_RECEIVED");

    List<JsonObject> log = deliveriesOf(customer, eventId);
    assertThat(log).extracting(d -> d.getInteger("attempt")).containsExactly(3, 2, 1);
    assertThat(log).extracting(d -> d.getInteger("statusCode")).containsExactly(200, null, 500);
    assertThat(log.get(0).getString("error")).isNull();
    assertThat(log.get(1).getString("error")).contains("timeout");
    assertThat(log.get(1).getInteger("durationMs")).isBetween(2_900, 4_000);
    assertThat(log.get(2).getString("error")).isEqualTo("HTTP 500");
    assertThat(log).allSatisfy(d -> {
      assertThat(d.getLong("orderId")).isEqualTo(id);
      assertThat(d.getString("url")).isEqualTo(receiver.url("/flaky/a"));
      assertThat(d.getString("eventState")).isEqualTo("DELIVERED");
      assertThat(Instant.parse(d.getString("attemptedAt"))).isBefore(Instant.now());
    });
    assertThat(events(id).get(0).getInteger("attempts")).isEqualTo(3);
  }

  @Test
  void givesUpAfterEightAttemptsWithGrowingDelays() {
    Customer customer = node.customer("dead-receiver", "5.00");
    setUrl(customer, receiver.url("/fail/b"));
    long id = buy(customer, null).getLong("id");
    sandboxSms(id, "code 5555");
    String eventId = eventId(id);
    awaitEventState(id, "FAILED", Duration.ofSeconds(30));

    assertThat(receiver.hitsFor(eventId)).hasSize(8);
    List<JsonObject> log = deliveriesOf(customer, eventId);
    assertThat(log).extracting(d -> d.getInteger("attempt")).containsExactly(8, 7, 6, 5, 4, 3, 2, 1);
    assertThat(log).extracting(d -> d.getInteger("statusCode")).containsOnly(500);
    List<Instant> times = log.stream().map(d -> Instant.parse(d.getString("attemptedAt"))).toList().reversed();
    // backoff 50 ms doubling: the gap before attempt 8 (3.2 s) dwarfs the one before attempt 2 (50 ms)
    assertThat(Duration.between(times.get(6), times.get(7))).isGreaterThan(Duration.ofMillis(3_000));
    assertThat(Duration.between(times.get(0), times.get(1))).isLessThan(Duration.ofMillis(1_500));
  }

  @Test
  void theOrdersUrlWinsOverTheAccountsUrl() {
    Customer customer = node.customer("two-urls", "5.00");
    setUrl(customer, receiver.url("/ok/account"));
    long withOwn = buy(customer, receiver.url("/ok/order")).getLong("id");
    long plain = buy(customer, null).getLong("id");
    sandboxSms(withOwn, "code 1111");
    sandboxSms(plain, "code 2222");
    String ownEvent = eventId(withOwn);
    String plainEvent = eventId(plain);
    awaitEventState(withOwn, "DELIVERED", Duration.ofSeconds(10));
    awaitEventState(plain, "DELIVERED", Duration.ofSeconds(10));

    assertThat(receiver.hitsFor(ownEvent)).extracting(WebhookReceiver.Hit::path).containsExactly("/ok/order");
    assertThat(receiver.hitsFor(plainEvent)).extracting(WebhookReceiver.Hit::path).containsExactly("/ok/account");
  }

  @Test
  void anOrderUrlWithoutAnyAccountSetupIsSignedWithASecretTheAccountCanRead() throws Exception {
    Customer customer = node.customer("order-url-only", "5.00");
    assertThat(api.get("/v1/webhook", customer.apiKey()).status()).isEqualTo(404);
    long id = buy(customer, receiver.url("/ok/only-order")).getLong("id");
    sandboxSms(id, "code 3030");
    String eventId = eventId(id);
    awaitEventState(id, "DELIVERED", Duration.ofSeconds(10));

    JsonObject hook = api.get("/v1/webhook", customer.apiKey()).json();
    assertThat(hook.getString("url")).isNull();
    WebhookReceiver.Hit hit = receiver.hitsFor(eventId).get(0);
    assertThat(hit.signature()).isEqualTo(expectedSignature(hook.getString("secret"), hit.webhookId(), hit.timestamp(), hit.body()));
  }

  @Test
  void aRepeatedPushSmsMakesNoSecondEvent() {
    Customer customer = node.customer("dup", "5.00");
    setUrl(customer, receiver.url("/ok/dup"));
    JsonObject order = buy(customer, null);
    long id = order.getLong("id");
    long smsId = SMS_IDS.incrementAndGet();
    assertThat(pushSms(smsId, order.getString("phone"), "Telegram code 777000").status()).isEqualTo(200);
    assertThat(pushSms(smsId, order.getString("phone"), "Telegram code 777000").status()).isEqualTo(200);
    String eventId = eventId(id); // exactly one event
    awaitEventState(id, "DELIVERED", Duration.ofSeconds(10));
    assertThat(pushSms(smsId, order.getString("phone"), "Telegram code 777000").status()).isEqualTo(200);
    Await.pause(Duration.ofMillis(500));

    assertThat(events(id)).hasSize(1);
    assertThat(receiver.hitsFor(eventId)).hasSize(1);
    assertThat(receiver.hits()).filteredOn(h -> h.body().contains("\"activationId\" : " + id)
        && h.body().contains("\"activation.sms\"")).hasSize(1);
  }

  @Test
  void noUrlMeansNoEvent() {
    Customer customer = node.customer("no-hooks", "5.00");
    long id = buy(customer, null).getLong("id");
    sandboxSms(id, "code 4444");
    assertThat(api.get("/v1/activations/" + id, customer.apiKey()).json().getString("state")).isEqualTo("CODE_RECEIVED");
    assertThat(events(id)).isEmpty();
    assertThat(deliveries(customer, "")).isEmpty();
  }

  @Test
  void anotherAccountCannotReadYourDeliveriesOrYourSecret() {
    Customer owner = node.customer("owner", "5.00");
    Customer other = node.customer("snoop", "5.00");
    setUrl(owner, receiver.url("/ok/owner"));
    long id = buy(owner, null).getLong("id");
    sandboxSms(id, "code 9090");
    awaitEventState(id, "DELIVERED", Duration.ofSeconds(10));
    JsonArray mine = deliveries(owner, "");
    // the code and the order's state change are two events: how many were delivered by now is timing, not the point
    assertThat(mine).isNotEmpty().allSatisfy(d -> assertThat(((JsonObject) d).getString("url")).endsWith("/ok/owner"));
    long ownersDeliveryId = mine.getJsonObject(0).getLong("id");

    assertThat(deliveries(other, "")).isEmpty();
    assertThat(deliveries(other, "?cursor=" + (ownersDeliveryId + 1) + "&limit=500")).isEmpty();
    assertThat(api.get("/v1/webhook", other.apiKey()).status()).isEqualTo(404);
    assertThat(api.get("/v1/webhooks/deliveries", null).status()).isEqualTo(401);
  }

  @Test
  void pagesTheDeliveryLogNewestFirst() {
    Customer customer = node.customer("pager", "5.00");
    setUrl(customer, receiver.url("/ok/pager"));
    for (int i = 0; i < 3; i++) {
      long id = buy(customer, null).getLong("id");
      sandboxSms(id, "code 10" + i + "0");
      awaitEventState(id, "DELIVERED", Duration.ofSeconds(10));
    }
    // each order also sent its activation.waiting_code event: six deliveries in all, once every event is delivered
    Await.until("every event delivered", Duration.ofSeconds(10), () -> Await.result(node.node().core().pool()
        .preparedQuery("SELECT count(*) FILTER (WHERE state = 'DELIVERED') AS done, count(*) AS n FROM webhook_events"
            + " WHERE account_id = $1").execute(Tuple.of(customer.id()))).iterator().next().toJson()
        .equals(new JsonObject().put("done", 6L).put("n", 6L)));
    JsonObject first = api.get("/v1/webhooks/deliveries?limit=4", customer.apiKey()).json();
    assertThat(first.getJsonArray("items")).hasSize(4);
    String cursor = first.getString("nextCursor");
    JsonArray second = deliveries(customer, "?limit=4&cursor=" + cursor);
    assertThat(second).hasSize(2);
    List<Long> ids = new java.util.ArrayList<>();
    first.getJsonArray("items").forEach(d -> ids.add(((JsonObject) d).getLong("id")));
    second.forEach(d -> ids.add(((JsonObject) d).getLong("id")));
    assertThat(ids).isSortedAccordingTo(java.util.Comparator.reverseOrder()).doesNotHaveDuplicates();
  }

  @Test
  void rotatesTheSecretAndDeletesTheUrlButKeepsTheSecret() {
    Customer customer = node.customer("rotator", "5.00");
    String first = setUrl(customer, receiver.url("/ok/rot")).getString("secret");
    assertThat(setUrl(customer, receiver.url("/ok/rot2")).getString("secret")).as("a new URL keeps the secret").isEqualTo(first);
    Api.Response rotated = api.post("/v1/webhook/secret", customer.apiKey(), (String) null);
    assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
    String second = rotated.json().getString("secret");
    assertThat(second).startsWith("whsec_").isNotEqualTo(first);
    assertThat(rotated.json().getString("url")).isEqualTo(receiver.url("/ok/rot2"));
    assertThat(api.get("/v1/webhook", customer.apiKey()).json().getString("secret")).isEqualTo(second);

    assertThat(api.send("DELETE", "/v1/webhook", customer.apiKey(), null, null).status()).isEqualTo(204);
    assertThat(api.send("DELETE", "/v1/webhook", customer.apiKey(), null, null).status()).isEqualTo(204);
    JsonObject after = api.get("/v1/webhook", customer.apiKey()).json();
    assertThat(after.getString("url")).isNull();
    assertThat(after.getString("secret")).isEqualTo(second);

    long id = buy(customer, null).getLong("id");
    sandboxSms(id, "code 6060");
    assertThat(events(id)).as("no URL any more: no event").isEmpty();
  }

  @Test
  void badInputIsA4xxProblemAndChangesNothing() {
    Customer customer = node.customer("careless", "5.00");
    JsonObject before = setUrl(customer, receiver.url("/ok/careless"));
    String key = customer.apiKey();
    List<String> badBodies = List.of(
        "{\"url\":\"ftp://example.com/hook\"}",
        "{\"url\":\"not a url\"}",
        "{\"url\":\"http://\"}",
        "{\"url\":\"mailto:someone@example.com\"}",
        "{\"url\":\"https://user:pw@example.com/hook\"}",
        "{\"url\":\"https://example.com/hook#frag\"}",
        "{\"url\":\"https://example.com/" + "a".repeat(2100) + "\"}",
        "{\"url\":42}",
        "{\"url\":\"\"}",
        "{}",
        "{\"url\":\"https://example.com/hook\",\"secret\":\"mine\"}",
        "[\"https://example.com/hook\"]",
        "{\"url\":");
    for (String body : badBodies) {
      Api.Response response = api.send("PUT", "/v1/webhook", key, "application/json", body);
      assertThat(response.status()).as("PUT %s -> %s", body, response).isEqualTo(400);
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.json().getString("type")).endsWith("/invalid-request");
    }
    assertThat(api.send("PUT", "/v1/webhook", key, "text/plain", "{\"url\":\"https://example.com/x\"}").status()).isEqualTo(415);
    assertThat(api.send("PUT", "/v1/webhook", null, "application/json", "{\"url\":\"https://example.com/x\"}").status()).isEqualTo(401);
    Api.Response badRotate = api.post("/v1/webhook/secret", key, "{\"secret\":\"chosen\"}");
    assertThat(badRotate.status()).as("%s", badRotate).isEqualTo(400);
    JsonObject after = api.get("/v1/webhook", key).json();
    assertThat(after.getString("url")).isEqualTo(before.getString("url"));
    assertThat(after.getString("secret")).isEqualTo(before.getString("secret"));

    for (String url : List.of("ftp://example.com/x", "javascript:alert(1)", "https://example.com/a b", "//example.com/x")) {
      Api.Response response = api.post("/v1/activations", key,
          new JsonObject().put("service", "tg").put("country", 0).put("webhookUrl", url));
      assertThat(response.status()).as("webhookUrl %s -> %s", url, response).isEqualTo(400);
      assertThat(response.json().getString("detail")).contains("webhookUrl");
    }
    Api.Response notString = api.post("/v1/activations", key,
        new JsonObject().put("service", "tg").put("country", 0).put("webhookUrl", 5));
    assertThat(notString.status()).isEqualTo(400);
    assertThat(api.get("/v1/activations", key).items()).isEmpty();
    assertThat(api.get("/v1/wallet", key).json().getString("balance")).isEqualTo("5.00");

    for (String query : List.of("?limit=0", "?limit=abc", "?limit=501", "?cursor=-1", "?cursor=x")) {
      Api.Response response = api.get("/v1/webhooks/deliveries" + query, key);
      assertThat(response.status()).as("%s -> %s", query, response).isEqualTo(400);
    }
  }

  @Test
  void anEventWhoseTimerRedisNeverGotIsSentByTheSweep() {
    Customer customer = node.customer("lost-timer", "5.00");
    long id = buy(customer, null).getLong("id");
    // As if the pod died between the SMS commit and scheduling: an overdue event, no timer in Redis.
    Row inserted = Await.result(node.node().core().pool().preparedQuery("""
        INSERT INTO webhook_events (account_id, order_id, type, url, payload, next_attempt_at)
        VALUES ($1, $2, 'activation.sms', $3, '{"activationId":' || $2 || '}', now() - interval '10 seconds')
        RETURNING id""").execute(Tuple.of(customer.id(), id, receiver.url("/ok/swept")))).iterator().next();
    String eventId = "evt_" + inserted.getLong("id");
    awaitEventState(id, "DELIVERED", Duration.ofSeconds(15));
    assertThat(receiver.hitsFor(eventId)).extracting(WebhookReceiver.Hit::path).containsExactly("/ok/swept");
  }

  @Test
  void aRedisThatLostItsIndexGetsPendingWebhookTimersBackFromPostgres() {
    Customer customer = node.customer("reseeded", "5.00");
    long id = buy(customer, null).getLong("id");
    Row inserted = Await.result(node.node().core().pool().preparedQuery("""
        INSERT INTO webhook_events (account_id, order_id, type, url, payload, next_attempt_at)
        VALUES ($1, $2, 'activation.sms', $3, '{}', now() + interval '1 hour')
        RETURNING id, ceil(extract(epoch FROM next_attempt_at) * 1000)::bigint AS due_ms""")
        .execute(Tuple.of(customer.id(), id, receiver.url("/ok/later")))).iterator().next();
    long eventId = inserted.getLong("id");
    var keys = node.node().core().timers().service().keys();
    String dueKey = keys.due(keys.shardOf(eventId));

    RedisKeys.deleteAll(node.node().core().redis(), stores.redisPrefix());
    Await.until("the webhook timer is back in Redis", Duration.ofSeconds(10), () -> {
      Response score = Await.result(node.node().core().redis()
          .send(Request.cmd(Command.ZSCORE).arg(dueKey).arg("w:" + eventId)));
      return score != null && (long) Double.parseDouble(score.toString()) == inserted.getLong("due_ms");
    });
    assertThat(eventState(id)).isEqualTo("PENDING");
  }
}
