package com.otporchestrator.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Abuse signals trip at their threshold and not one below. Each test sets the thresholds it needs through the admin
 * API (the others disabled), so the signals do not see each other's traffic. The checks run after the customer's
 * answer, so "not tripped" is asserted after a pause that the tripping cases show is long enough.
 */
@DisplayName("Abuse controls: sliding windows in Redis, flags with evidence, configurable consequences")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AbuseControlsTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  private static final Duration SETTLE = Duration.ofMillis(1_000);
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(AbuseControlsTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("CANCEL_DELAY_SECONDS", "0");
    env.put("TRUSTED_PROXIES", "127.0.0.1/32, ::1");  // the test client plays the load balancer
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static void settings(String signal, boolean enabled, int threshold, String ratio, String action) {
    JsonObject body = new JsonObject().put("enabled", enabled).put("threshold", threshold).put("windowSeconds", 600)
        .put("action", action);
    if (ratio != null) body.put("ratio", ratio);
    Api.Response r = api.put("/admin/v1/abuse/settings/" + signal, ADMIN, body);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
  }

  private static void only(String signal, int threshold, String ratio, String action) {
    settings("cancels", false, 30, null, "flag");
    settings("refund_ratio", false, 20, "0.9", "flag");
    settings("shared_ip", false, 5, null, "flag");
    settings(signal, true, threshold, ratio, action);
  }

  private static long buy(Customer c) {
    Api.Response r = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json().getLong("id");
  }

  private static void cancel(Customer c, long id) {
    Api.Response r = api.post("/v1/activations/" + id + "/cancel", c.apiKey(), (String) null);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
  }

  private static JsonArray flags(Customer c) {
    Api.Response r = api.get("/admin/v1/abuse/flags?accountId=" + c.id(), ADMIN);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.items();
  }

  private static String account(Customer c, String column) {
    return Await.result(node.node().core().pool().preparedQuery("SELECT " + column + " AS v FROM accounts WHERE id = $1")
        .execute(Tuple.of(c.id()))).iterator().next().getString("v");
  }

  @Test
  @Order(1)
  @DisplayName("purchase-then-cancel: 2 cancels of a threshold of 3 trip nothing; the 3rd flags and suspends, with the orders as evidence")
  void repeatedCancels() {
    only("cancels", 3, null, "suspend");
    Customer c = node.customer("canceller", "10.00");
    List<Long> orders = new ArrayList<>();
    for (int i = 0; i < 3; i++) orders.add(buy(c));
    cancel(c, orders.get(0));
    cancel(c, orders.get(1));
    Await.pause(SETTLE);
    assertThat(flags(c)).isEmpty();
    assertThat(account(c, "status")).isEqualTo("active");

    cancel(c, orders.get(2));
    Await.until("the cancels signal trips", () -> !flags(c).isEmpty());
    JsonObject flag = flags(c).getJsonObject(0);
    assertThat(flag.getString("signal")).isEqualTo("cancels");
    assertThat(flag.getString("action")).isEqualTo("suspend");
    assertThat(flag.getJsonObject("evidence").getJsonArray("cancelledOrders").stream().map(o -> ((Number) o).longValue()))
        .containsExactlyInAnyOrderElementsOf(orders);
    assertThat(flag.getString("observed")).startsWith("3 purchases cancelled");
    assertThat(account(c, "status")).isEqualTo("suspended");
    // the key-to-account cache of each API instance lives 5 s: the suspension refuses orders within that
    int status = 0;
    for (int i = 0; i < 8 && status != 403; i++) {
      status = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", "tg").put("country", 0)).status();
      if (status != 403) Await.pause(Duration.ofSeconds(1));
    }
    assertThat(status).isEqualTo(403);

    Api.Response resolved = api.post("/admin/v1/abuse/flags/" + flag.getLong("id") + "/resolve", ADMIN,
        new JsonObject().put("note", "talked to the customer"));
    assertThat(resolved.status()).as("%s", resolved).isEqualTo(200);
    assertThat(api.get("/admin/v1/abuse/flags?open=true&accountId=" + c.id(), ADMIN).items()).isEmpty();
  }

  @Test
  @Order(2)
  @DisplayName("refund ratio 0.5 over at least 4 purchases: 1 of 4 trips nothing, 2 of 4 flags and throttles; 3 of 3 is below the minimum")
  void refundRatio() {
    only("refund_ratio", 4, "0.5", "throttle");
    Customer c = node.customer("ratio", "10.00");
    List<Long> orders = new ArrayList<>();
    for (int i = 0; i < 4; i++) orders.add(buy(c));
    cancel(c, orders.get(0));
    Await.pause(SETTLE);
    assertThat(flags(c)).isEmpty();
    cancel(c, orders.get(1));
    Await.until("the ratio signal trips", () -> !flags(c).isEmpty());
    JsonObject flag = flags(c).getJsonObject(0);
    assertThat(flag.getString("signal")).isEqualTo("refund_ratio");
    assertThat(flag.getJsonObject("evidence").getLong("purchases")).isEqualTo(4);
    assertThat(flag.getJsonObject("evidence").getLong("cancels")).isEqualTo(2);
    assertThat(flag.getJsonObject("evidence").getString("ratio")).isEqualTo("0.500");
    assertThat(account(c, "plan")).isEqualTo("throttled");

    Customer few = node.customer("few", "10.00");
    for (int i = 0; i < 3; i++) cancel(few, buy(few));
    Await.pause(SETTLE);
    assertThat(flags(few)).isEmpty();
    assertThat(account(few, "plan")).isEqualTo("standard");
  }

  @Test
  @Order(3)
  @DisplayName("the ratio is compared exactly: 0.5 trips at 1 of 2 and not at 1 of 3")
  void ratioArithmetic() {
    assertThat(AbuseMonitor.trips(1, 2, new BigDecimal("0.5"))).isTrue();
    assertThat(AbuseMonitor.trips(1, 3, new BigDecimal("0.5"))).isFalse();
    assertThat(AbuseMonitor.trips(9, 10, new BigDecimal("0.9"))).isTrue();
    assertThat(AbuseMonitor.trips(8, 10, new BigDecimal("0.9"))).isFalse();
    assertThat(AbuseMonitor.trips(0, 0, new BigDecimal("0.1"))).isFalse();
  }

  @Test
  @Order(4)
  @DisplayName("shared client address: 2 accounts of a threshold of 3 trip nothing; the 3rd flags all three")
  void sharedAddress() {
    only("shared_ip", 3, null, "flag");
    try {
      Customer a = node.customer("ip-a", "10.00");
      Customer b = node.customer("ip-b", "10.00");
      Customer c = node.customer("ip-c", "10.00");
      buy(a);
      buy(b);
      buy(b);
      Await.pause(SETTLE);
      assertThat(flags(a)).isEmpty();
      assertThat(flags(b)).isEmpty();
      buy(c);
      // one flag per account, written one after another: wait for the three
      Await.until("the shared-address signal trips", () -> !flags(a).isEmpty() && !flags(b).isEmpty() && !flags(c).isEmpty());
      for (Customer x : List.of(a, b, c)) {
        JsonObject flag = flags(x).getJsonObject(0);
        assertThat(flag.getString("signal")).isEqualTo("shared_ip");
        assertThat(flag.getJsonObject("evidence").getString("ip")).isEqualTo("127.0.0.1");
        assertThat(flag.getJsonObject("evidence").getJsonArray("accounts").getList())
            .containsExactlyInAnyOrder(String.valueOf(a.id()), String.valueOf(b.id()), String.valueOf(c.id()));
      }
    } finally {
      settings("shared_ip", false, 5, null, "flag");
    }
  }

  @Test
  @Order(4)
  @DisplayName("shared client address counts purchases of every channel: the JSON API, a batch and the compatible API")
  void sharedAddressAcrossChannels() {
    only("shared_ip", 3, null, "flag");
    try {
      Customer a = node.customer("ip-api", "10.00");
      Customer b = node.customer("ip-batch", "10.00");
      Customer c = node.customer("ip-compat", "10.00");
      String from = "203.0.113.40";
      buyFrom(a, from);
      Api.Response batch = api.post("/v1/activations/batch", b.apiKey(), new JsonObject().put("items", new io.vertx.core.json.JsonArray()
          .add(new JsonObject().put("service", "tg").put("country", 0).put("quantity", 1))), "X-Forwarded-For", from);
      assertThat(batch.status()).as("%s", batch).isIn(200, 201);
      Await.pause(SETTLE);
      assertThat(flags(a)).isEmpty();
      Api.Response compat = api.send("GET", "/stubs/handler_api.php?action=getNumber&service=tg&country=0&api_key=" + c.apiKey(),
          null, null, null, "X-Forwarded-For", from);
      assertThat(compat.body()).as("%s", compat).startsWith("ACCESS_NUMBER:");
      Await.until("the shared-address signal trips", () -> !flags(a).isEmpty() && !flags(b).isEmpty() && !flags(c).isEmpty());
      assertThat(flags(c).getJsonObject(0).getJsonObject("evidence").getString("ip")).isEqualTo(from);
    } finally {
      settings("shared_ip", false, 5, null, "flag");
    }
  }

  @Test
  @Order(4)
  @DisplayName("behind a trusted proxy the forwarded client counts, not the proxy; a hop the proxy did not add is not believed")
  void sharedAddressBehindATrustedProxy() {
    only("shared_ip", 2, null, "flag");
    try {
      Customer a = node.customer("proxied-a", "10.00");
      Customer b = node.customer("proxied-b", "10.00");
      Customer d = node.customer("proxied-d", "10.00");
      buyFrom(a, "203.0.113.7");
      buyFrom(b, "203.0.113.8");  // both through the same proxy (127.0.0.1): different clients
      Await.pause(SETTLE);
      assertThat(flags(a)).as("two clients behind one proxy are not one address").isEmpty();
      assertThat(flags(b)).isEmpty();
      // a client naming 203.0.113.7 itself: the proxy appends the address it saw, and that one counts
      buyFrom(d, "203.0.113.7, 198.51.100.23");
      Await.pause(SETTLE);
      assertThat(flags(d)).as("a forged first hop is not the client").isEmpty();
      buyFrom(d, "not-an-address, 203.0.113.7");
      Await.until("the forwarded client's second account trips the signal", () -> !flags(a).isEmpty() && !flags(d).isEmpty());
      assertThat(flags(a).getJsonObject(0).getJsonObject("evidence").getString("ip")).isEqualTo("203.0.113.7");
      assertThat(flags(b)).isEmpty();
    } finally {
      settings("shared_ip", false, 5, null, "flag");
    }
  }

  private static void buyFrom(Customer c, String forwardedFor) {
    Api.Response r = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", "tg").put("country", 0),
        "X-Forwarded-For", forwardedFor);
    assertThat(r.status()).as("%s", r).isEqualTo(201);
  }

  @Test
  @Order(5)
  @DisplayName("settings and flags endpoints refuse bad input precisely")
  void badInput() {
    assertThat(api.get("/admin/v1/abuse/settings", ADMIN).items()).hasSize(3);
    JsonObject ok = new JsonObject().put("enabled", true).put("threshold", 3).put("windowSeconds", 60).put("action", "flag");
    assertThat(api.put("/admin/v1/abuse/settings/nope", ADMIN, ok).status()).isEqualTo(404);
    assertThat(api.put("/admin/v1/abuse/settings/cancels", ADMIN, ok.copy().put("enabled", "yes")).status()).isEqualTo(400);
    assertThat(api.put("/admin/v1/abuse/settings/cancels", ADMIN, ok.copy().put("threshold", 0)).status()).isEqualTo(400);
    assertThat(api.put("/admin/v1/abuse/settings/cancels", ADMIN, ok.copy().put("action", "ban")).status()).isEqualTo(400);
    assertThat(api.put("/admin/v1/abuse/settings/cancels", ADMIN, ok.copy().put("ratio", "0.5")).status()).isEqualTo(400);
    assertThat(api.put("/admin/v1/abuse/settings/cancels", ADMIN, ok.copy().put("other", 1)).status()).isEqualTo(400);
    assertThat(api.put("/admin/v1/abuse/settings/refund_ratio", ADMIN, ok.copy().put("ratio", "1.5")).status()).isEqualTo(400);
    assertThat(api.put("/admin/v1/abuse/settings/refund_ratio", ADMIN, ok).status()).isEqualTo(400);
    assertThat(api.send("PUT", "/admin/v1/abuse/settings/cancels", ADMIN, "application/json", "{").status()).isEqualTo(400);
    assertThat(api.get("/admin/v1/abuse/flags?open=maybe", ADMIN).status()).isEqualTo(400);
    assertThat(api.get("/admin/v1/abuse/flags?accountId=x", ADMIN).status()).isEqualTo(400);
    assertThat(api.post("/admin/v1/abuse/flags/999999/resolve", ADMIN, new JsonObject().put("note", "x")).status()).isEqualTo(404);
    assertThat(api.post("/admin/v1/abuse/flags/1/resolve", ADMIN, new JsonObject()).status()).isEqualTo(400);
    assertThat(api.get("/admin/v1/abuse/flags", null).status()).isEqualTo(401);
  }
}
