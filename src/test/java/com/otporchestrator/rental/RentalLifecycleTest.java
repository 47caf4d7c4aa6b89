package com.otporchestrator.rental;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerKind;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A rental, bought over the JSON API from the sandbox supplier")
class RentalLifecycleTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(RentalLifecycleTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("WEBHOOK_ALLOW_PRIVATE_URLS", "true");
    env.put("WEBHOOK_RETRY_BASE_MS", "50");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    rentOffer("full", "0.10");
    rentOffer("tg", "0.05");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  static void rentOffer(String service, String hourly) {
    Api.Response r = api.put("/admin/v1/rent-offers", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("country", 0).put("service", service).put("hourlyPrice", hourly).put("hourlyCost", "0.01").put("stock", 50));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
  }

  private static JsonObject rent(Customer c, JsonObject body) {
    Api.Response r = api.post("/v1/rentals", c.apiKey(), body);
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json();
  }

  private static JsonObject rent(Customer c, int hours) {
    return rent(c, new JsonObject().put("country", 0).put("hours", hours));
  }

  private static JsonObject wallet(Customer c) {
    return api.get("/v1/wallet", c.apiKey()).json();
  }

  private static JsonObject rental(Customer c, long id) {
    return api.get("/v1/rentals/" + id, c.apiKey()).json();
  }

  private static void sql(String statement, Object... args) {
    Await.result(node.node().core().pool().preparedQuery(statement).execute(Tuple.from(args)));
  }

  private static Row row(String query, Object... args) {
    return Await.result(node.node().core().pool().preparedQuery(query).execute(Tuple.from(args))).iterator().next();
  }

  private static void sandboxSms(long id, String sender, String text) {
    Api.Response r = api.post("/admin/v1/sandbox/rentals/" + id + "/sms", TestNode.ADMIN_TOKEN,
        new JsonObject().put("sender", sender).put("text", text));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
  }

  private static long ledger(long orderId, String kind) {
    return row("SELECT count(*) AS n FROM ledger_entries WHERE order_id = $1 AND kind = $2", orderId, kind).getLong("n");
  }

  @Test
  void holdsHourlyPriceTimesHoursOnAnActiveNumberForAnyService() {
    Customer c = node.customer("renter", "10.00");
    JsonObject r = rent(c, 24);
    assertThat(r.getString("state")).isEqualTo("ACTIVE");
    assertThat(r.getString("service")).isEqualTo("full");
    assertThat(r.getBoolean("anyService")).isTrue();
    assertThat(r.getString("phone")).matches("7\\d{10}");
    assertThat(r.getString("price")).isEqualTo("2.40");
    assertThat(r.getString("hourlyPrice")).isEqualTo("0.10");
    Instant starts = Instant.parse(r.getString("startsAt"));
    assertThat(Duration.between(starts, Instant.parse(r.getString("endsAt")))).isEqualTo(Duration.ofHours(24));
    Instant created = Instant.parse(r.getString("createdAt"));
    assertThat(Duration.between(created, Instant.parse(r.getString("cancellableUntil")))).isEqualTo(Duration.ofMinutes(20));
    assertThat(r.getJsonObject("policy").getString("id")).isEqualTo("smssb_refund_policy");
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "7.60").put("held", "2.40").put("currency", "USD"));
    assertThat(api.get("/v1/rentals", c.apiKey()).json().getJsonArray("items")).hasSize(1);
    assertThat(api.get("/v1/rentals?state=active", c.apiKey()).json().getJsonArray("items")).hasSize(1);
    assertThat(api.get("/v1/rentals?state=cancelled", c.apiKey()).json().getJsonArray("items")).isEmpty();
  }

  @Test
  void anAnyServiceRentalReceivesSmsFromTwoServicesDeduplicated() {
    Customer c = node.customer("two-services", "10.00");
    long id = rent(c, 4).getLong("id");
    sandboxSms(id, "Telegram", "Telegram code 11111");
    sandboxSms(id, "WhatsApp", "Your WhatsApp code 222-333");
    JsonArray sms = rental(c, id).getJsonArray("sms");
    assertThat(sms).hasSize(2);
    assertThat(sms.getJsonObject(0).getString("sender")).isEqualTo("Telegram");
    assertThat(sms.getJsonObject(0).getString("code")).isEqualTo("11111");
    assertThat(sms.getJsonObject(1).getString("sender")).isEqualTo("WhatsApp");
    // the same supplier SMS pushed twice is stored once
    Customer other = node.customer("dedupe", "10.00");
    long second = rent(other, 4).getLong("id");
    String phone = rental(other, second).getString("phone");
    JsonObject push = new JsonObject().put("smsId", 424242).put("phoneFrom", "Vk").put("phone", Long.parseLong(phone))
        .put("text", "VK code 5555").put("action", "PUSH_SMS").put("key", "sandbox-key");
    assertThat(api.post("/providers/sandbox/sms", null, push).status()).isEqualTo(200);
    assertThat(api.post("/providers/sandbox/sms", null, push).status()).isEqualTo(200);
    assertThat(rental(other, second).getJsonArray("sms")).hasSize(1);
  }

  @Test
  void cancelOneSecondBeforeTheWindowEndRefundsThePriceAndEveryExtensionInFull() {
    Customer c = node.customer("canceller", "10.00");
    long id = rent(c, 4).getLong("id");
    Api.Response extended = api.post("/v1/rentals/" + id + "/extend", c.apiKey(), new JsonObject().put("hours", 2));
    assertThat(extended.status()).as("%s", extended).isEqualTo(200);
    sandboxSms(id, "Telegram", "code 12345"); // an SMS does not matter inside the window
    sql("UPDATE rentals SET cancel_until = now() + interval '1 second' WHERE id = $1", id);
    Api.Response cancelled = api.post("/v1/rentals/" + id + "/cancel", c.apiKey(), new JsonObject());
    assertThat(cancelled.status()).as("%s", cancelled).isEqualTo(200);
    assertThat(cancelled.json().getString("state")).isEqualTo("CANCELLED");
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "10.00").put("held", "0.00").put("currency", "USD"));
    long extensionId = cancelled.json().getJsonArray("extensions").getJsonObject(0).getLong("id");
    assertThat(ledger(id, "void")).isEqualTo(1);
    assertThat(ledger(extensionId, "void")).isEqualTo(1);
    // repeating the cancel answers the rental as it is and moves no money
    assertThat(api.post("/v1/rentals/" + id + "/cancel", c.apiKey(), new JsonObject()).json().getString("state"))
        .isEqualTo("CANCELLED");
    assertThat(ledger(id, "void")).isEqualTo(1);
    JsonObject refund = api.get("/v1/rentals/" + id + "/refund", c.apiKey()).json();
    assertThat(refund.getBoolean("refunded")).isTrue();
    assertThat(refund.getString("kind")).isEqualTo("rental");
    Await.until("closed upstream", () -> "CLOSED".equals(row("SELECT upstream_state FROM rentals WHERE id = $1", id)
        .getString("upstream_state")));
  }

  @Test
  void cancelAtTheWindowEndOrAfterIsRefusedWhetherOrNotAnSmsArrived() {
    Customer c = node.customer("late-canceller", "10.00");
    long atEnd = rent(c, 4).getLong("id");
    long after = rent(c, 4).getLong("id");
    sandboxSms(after, "Telegram", "code 777");
    JsonObject before = api.get("/v1/rentals/" + atEnd + "/refund", c.apiKey()).json();
    assertThat(before.getBoolean("refundableNow")).isTrue();
    assertThat(before.getString("rule")).isEqualTo("rental.cancel_window");
    sql("UPDATE rentals SET cancel_until = now() WHERE id = $1", atEnd);
    sql("UPDATE rentals SET cancel_until = now() - interval '1 second' WHERE id = $1", after);
    for (long id : List.of(atEnd, after)) {
      Api.Response refused = api.post("/v1/rentals/" + id + "/cancel", c.apiKey(), new JsonObject());
      assertThat(refused.status()).as("%s", refused).isEqualTo(409);
      assertThat(refused.json().getString("reason")).isEqualTo("cancel-window-closed");
      assertThat(rental(c, id).getString("state")).isEqualTo("ACTIVE");
      JsonObject position = api.get("/v1/rentals/" + id + "/refund", c.apiKey()).json();
      assertThat(position.getBoolean("refundableNow")).isFalse();
      assertThat(position.getString("rule")).isEqualTo("rental.cancel_window_closed");
    }
    assertThat(wallet(c).getString("held")).isEqualTo("0.80");
  }

  @Test
  void finishingEarlyCapturesWithoutRefundAndClosesUpstream() {
    Customer c = node.customer("finisher", "10.00");
    long id = rent(c, 10).getLong("id");
    Api.Response finished = api.post("/v1/rentals/" + id + "/finish", c.apiKey(), new JsonObject());
    assertThat(finished.status()).as("%s", finished).isEqualTo(200);
    assertThat(finished.json().getString("state")).isEqualTo("FINISHED");
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "9.00").put("held", "0.00").put("currency", "USD"));
    assertThat(ledger(id, "capture")).isEqualTo(1);
    Api.Response cancel = api.post("/v1/rentals/" + id + "/cancel", c.apiKey(), new JsonObject());
    assertThat(cancel.status()).isEqualTo(409);
    assertThat(cancel.json().getString("reason")).isEqualTo("already-finished");
    Await.until("closed upstream", () -> "CLOSED".equals(row("SELECT upstream_state FROM rentals WHERE id = $1", id)
        .getString("upstream_state")));
  }

  @Test
  void extendingBeforeTheEndChargesTheExtensionAndAfterTheEndIsRefused() {
    Customer c = node.customer("extender", "10.00");
    JsonObject r = rent(c, 4);
    long id = r.getLong("id");
    Api.Response extended = api.post("/v1/rentals/" + id + "/extend", c.apiKey(), new JsonObject().put("hours", 6));
    assertThat(extended.status()).as("%s", extended).isEqualTo(200);
    JsonObject after = extended.json();
    assertThat(after.getInteger("hours")).isEqualTo(10);
    assertThat(Duration.between(Instant.parse(r.getString("endsAt")), Instant.parse(after.getString("endsAt"))))
        .isEqualTo(Duration.ofHours(6));
    JsonObject extension = after.getJsonArray("extensions").getJsonObject(0);
    assertThat(extension.getString("price")).isEqualTo("0.60");
    assertThat(after.getString("totalPrice")).isEqualTo("1.00");
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "9.00").put("held", "1.00").put("currency", "USD"));
    assertThat(ledger(extension.getLong("id"), "hold")).isEqualTo(1);

    sql("UPDATE rentals SET ends_at = now() - interval '1 second' WHERE id = $1", id);
    Api.Response refused = api.post("/v1/rentals/" + id + "/extend", c.apiKey(), new JsonObject().put("hours", 1));
    assertThat(refused.status()).as("%s", refused).isEqualTo(409);
    assertThat(refused.json().getString("reason")).isEqualTo("rent-ended");
    // the end is due: the PostgreSQL sweep ends it although Redis was never told
    Await.until("ended", Duration.ofSeconds(20), () -> "ENDED".equals(rental(c, id).getString("state")));
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "9.00").put("held", "0.00").put("currency", "USD"));
    assertThat(ledger(id, "capture")).isEqualTo(1);
    assertThat(ledger(extension.getLong("id"), "capture")).isEqualTo(1);
  }

  @Test
  void theEndTimerCapturesRefundsNothingAndClosesTheNumberUpstream() {
    Customer c = node.customer("ender", "10.00");
    long id = rent(c, 5).getLong("id");
    long closedBefore = node.node().modules().sandbox().supplier().counters().finishes(3);
    sql("UPDATE rentals SET ends_at = now() + interval '200 milliseconds' WHERE id = $1", id);
    Await.result(node.node().core().timers().service().schedule(new Timer(TimerKind.RENTAL, id, System.currentTimeMillis() + 200)));
    Await.until("ended", Duration.ofSeconds(10), () -> "ENDED".equals(rental(c, id).getString("state")));
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "9.50").put("held", "0.00").put("currency", "USD"));
    assertThat(ledger(id, "void")).isZero();
    assertThat(ledger(id, "capture")).isEqualTo(1);
    Await.until("closed upstream", () -> "CLOSED".equals(row("SELECT upstream_state FROM rentals WHERE id = $1", id)
        .getString("upstream_state")));
    assertThat(node.node().modules().sandbox().supplier().counters().finishes(3)).isGreaterThan(closedBefore);
    Api.Response extend = api.post("/v1/rentals/" + id + "/extend", c.apiKey(), new JsonObject().put("hours", 1));
    assertThat(extend.json().getString("reason")).isEqualTo("rent-ended");
  }

  @Test
  void cancelRacingTheEndHasExactlyOneOutcomePerRental() throws Exception {
    Customer c = node.customer("racer", "100.00");
    int n = 20;
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) ids.add(rent(c, 4).getLong("id"));
    long due = System.currentTimeMillis() + 1_000;
    sql("UPDATE rentals SET ends_at = now() + interval '1 second' WHERE id = ANY($1)", (Object) ids.toArray(Long[]::new));
    for (long id : ids) Await.result(node.node().core().timers().service().schedule(new Timer(TimerKind.RENTAL, id, due)));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Integer> statuses = new CopyOnWriteArrayList<>();
    for (int i = 0; i < n; i++) {
      long id = ids.get(i);
      long at = due - 150 + i * 15L; // spread around the end, so both outcomes happen
      pool.submit(() -> {
        go.await();
        Thread.sleep(Math.max(0, at - System.currentTimeMillis()));
        statuses.add(api.post("/v1/rentals/" + id + "/cancel", c.apiKey(), new JsonObject()).status());
        return null;
      });
    }
    go.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    Await.until("every rental closed", Duration.ofSeconds(20), () -> row(
        "SELECT count(*) AS n FROM rentals WHERE id = ANY($1) AND state IN ('CANCELLED', 'ENDED')",
        (Object) ids.toArray(Long[]::new)).getLong("n") == n);
    long cancelled = 0;
    for (long id : ids) {
      String state = rental(c, id).getString("state");
      long voids = ledger(id, "void");
      long captures = ledger(id, "capture");
      assertThat(voids + captures).as("rental %d resolutions", id).isEqualTo(1);
      assertThat(state.equals("CANCELLED")).as("rental %d: %s, voids %d", id, state, voids).isEqualTo(voids == 1);
      if (state.equals("CANCELLED")) cancelled++;
    }
    assertThat(statuses).hasSize(n).allMatch(s -> s == 200 || s == 409);
    assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(cancelled);
    System.out.printf("cancel vs end: %d cancelled, %d ended%n", cancelled, n - cancelled);
    node.assertMoneyInvariants();
  }

  @Test
  void anExtensionRacingTheEndEitherMovesTheEndOrIsRefusedNeverBoth() throws Exception {
    Customer c = node.customer("extend-racer", "100.00");
    long warm = rent(c, 4).getLong("id"); // the first extension pays for cold paths; the race must not
    assertThat(api.post("/v1/rentals/" + warm + "/extend", c.apiKey(), new JsonObject().put("hours", 1)).status()).isEqualTo(200);
    int n = 12;
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) ids.add(rent(c, 4).getLong("id"));
    long due = System.currentTimeMillis() + 1_000;
    sql("UPDATE rentals SET ends_at = now() + interval '1 second' WHERE id = ANY($1)", (Object) ids.toArray(Long[]::new));
    for (long id : ids) Await.result(node.node().core().timers().service().schedule(new Timer(TimerKind.RENTAL, id, due)));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Integer> statuses = new CopyOnWriteArrayList<>();
    for (int i = 0; i < n; i++) {
      long id = ids.get(i);
      long at = due - 600 + i * 100L; // from well before to well after the end, so both outcomes happen
      pool.submit(() -> {
        Thread.sleep(Math.max(0, at - System.currentTimeMillis()));
        statuses.add(api.post("/v1/rentals/" + id + "/extend", c.apiKey(), new JsonObject().put("hours", 1)).status());
        return null;
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    Await.until("no rental left due", Duration.ofSeconds(20), () -> row(
        "SELECT count(*) AS n FROM rentals WHERE id = ANY($1) AND state = 'ACTIVE' AND ends_at <= now()",
        (Object) ids.toArray(Long[]::new)).getLong("n") == 0);
    long extended = 0;
    for (long id : ids) {
      JsonObject r = rental(c, id);
      int extensions = r.getJsonArray("extensions").size();
      if (r.getString("state").equals("ACTIVE")) {
        assertThat(extensions).as("rental %d", id).isEqualTo(1);
        extended++;
      } else {
        assertThat(r.getString("state")).isEqualTo("ENDED");
        assertThat(extensions).as("rental %d", id).isZero();
      }
    }
    assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(extended);
    assertThat(statuses).allMatch(s -> s == 200 || s == 409);
    System.out.printf("extend vs end: %d extended, %d ended%n", extended, n - extended);
    node.assertMoneyInvariants();
  }

  @Test
  void aPurchaseIsIdempotentUnderItsKeyAndASuspendedAccountMayNotRent() {
    Customer c = node.customer("idempotent", "10.00");
    String body = new JsonObject().put("country", 0).put("hours", 4).encode();
    Api.Response first = api.post("/v1/rentals", c.apiKey(), body, "Idempotency-Key", "rent-1");
    Api.Response again = api.post("/v1/rentals", c.apiKey(), body, "Idempotency-Key", "rent-1");
    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.json().getLong("id")).isEqualTo(first.json().getLong("id"));
    assertThat(api.get("/v1/rentals", c.apiKey()).json().getJsonArray("items")).hasSize(1);
    Api.Response reused = api.post("/v1/rentals", c.apiKey(), new JsonObject().put("country", 0).put("hours", 5).encode(),
        "Idempotency-Key", "rent-1");
    assertThat(reused.status()).isEqualTo(422);

    Api.Response suspended = api.put("/admin/v1/accounts/" + c.id() + "/status", TestNode.ADMIN_TOKEN,
        new JsonObject().put("status", "suspended"));
    assertThat(suspended.status()).as("%s", suspended).isEqualTo(200);
    // keys are cached a few seconds per node: an invalid purchase answers 400 until the suspension is seen, then 403
    String invalid = new JsonObject().put("country", 0).put("hours", 1).encode();
    Await.until("suspension seen", Duration.ofSeconds(10), () -> api.post("/v1/rentals", c.apiKey(), invalid).status() == 403);
    assertThat(api.post("/v1/rentals", c.apiKey(), body).status()).isEqualTo(403);
    long id = first.json().getLong("id");
    assertThat(api.post("/v1/rentals/" + id + "/extend", c.apiKey(), new JsonObject().put("hours", 1)).status()).isEqualTo(403);
    assertThat(api.post("/v1/rentals/" + id + "/finish", c.apiKey(), new JsonObject()).status()).isEqualTo(200);
  }

  @Test
  void aRentalWebhookHasTheProtocolShapeAndIsSigned() throws Exception {
    List<String[]> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(new String[] {body, exchange.getRequestHeaders().getFirst("webhook-timestamp"),
          exchange.getRequestHeaders().getFirst("webhook-signature"), exchange.getRequestHeaders().getFirst("webhook-id")});
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
    try {
      Customer c = node.customer("hooked", "10.00");
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      long id = rent(c, new JsonObject().put("country", 0).put("hours", 4).put("service", "tg").put("webhookUrl", url)).getLong("id");
      sandboxSms(id, "SPORTMASTER", "Code 2792");
      Await.until("webhook delivered", Duration.ofSeconds(10),
          () -> received.stream().anyMatch(r -> r[0].contains("\"rental.sms\"")));
      String[] sms = received.stream().filter(r -> r[0].contains("\"rental.sms\"")).findFirst().orElseThrow();
      JsonObject body = new JsonObject(sms[0]);
      assertThat(body.getString("rentId")).isEqualTo(String.valueOf(id));
      assertThat(body.getJsonObject("sms").getString("phoneFrom")).isEqualTo("SPORTMASTER");
      assertThat(body.getJsonObject("sms").getString("text")).isEqualTo("Code 2792");
      assertThat(body.getJsonObject("sms").getString("date")).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
      assertThat(body.getString("type")).isEqualTo("rental.sms");
      assertThat(body.fieldNames().iterator().next()).isEqualTo("rentId");
      String secret = api.get("/v1/webhook", c.apiKey()).json().getString("secret");
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(java.util.Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
      String expected = "v1," + java.util.Base64.getEncoder().encodeToString(
          mac.doFinal((sms[3] + "." + sms[1] + "." + sms[0]).getBytes(StandardCharsets.UTF_8)));
      assertThat(sms[2]).isEqualTo(expected);
      assertThat(row("SELECT count(*) AS n FROM webhook_events WHERE order_id = $1 AND type = 'rental.sms'", id).getLong("n"))
          .isEqualTo(1);
    } finally {
      receiver.stop(0);
    }
  }
}
