package com.otporchestrator.compat;

import static com.otporchestrator.compat.CompatHttp.getText;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The same activation flows through the JSON API and the sms-activate API, by two customers with
 * the same deposit: same price held and captured or refunded, same states and codes, same ledger.
 */
@DisplayName("The JSON API and the sms-activate API give the same results")
class CompatParityTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(CompatParityTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("CANCEL_DELAY_SECONDS", "1");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    node.offer("wa", 0, "1.25");
  }

  @AfterAll
  static void stop() {
    try {
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
      stores.close();
    }
  }

  /** One customer driving one API. */
  private interface Driver {
    long buy(String service);

    void retry(long id);

    void finish(long id);

    void cancel(long id);
  }

  private static Driver json(Customer c) {
    return new Driver() {
      public long buy(String service) {
        Api.Response r = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", service).put("country", 0));
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        return r.json().getLong("id");
      }

      public void retry(long id) {
        assertThat(api.post("/v1/activations/" + id + "/retry", c.apiKey(), (String) null).status()).isEqualTo(200);
      }

      public void finish(long id) {
        assertThat(api.post("/v1/activations/" + id + "/finish", c.apiKey(), (String) null).status()).isEqualTo(200);
      }

      public void cancel(long id) {
        assertThat(api.post("/v1/activations/" + id + "/cancel", c.apiKey(), (String) null).status()).isEqualTo(200);
      }
    };
  }

  private static Driver compat(Customer c) {
    return new Driver() {
      public long buy(String service) {
        String reply = getText(api, "api_key", c.apiKey(), "action", "getNumber", "service", service, "country", "0");
        assertThat(reply).startsWith("ACCESS_NUMBER:");
        return Long.parseLong(reply.split(":")[1]);
      }

      public void retry(long id) {
        assertThat(set(id, "3")).isEqualTo("ACCESS_RETRY_GET");
      }

      public void finish(long id) {
        assertThat(set(id, "6")).isEqualTo("ACCESS_ACTIVATION");
      }

      public void cancel(long id) {
        assertThat(set(id, "8")).isEqualTo("ACCESS_CANCEL");
      }

      private String set(long id, String status) {
        return getText(api, "api_key", c.apiKey(), "action", "setStatus", "id", String.valueOf(id), "status", status);
      }
    };
  }

  private static void pushSms(long id, String text) {
    assertThat(api.post("/admin/v1/sandbox/activations/" + id + "/sms", TestNode.ADMIN_TOKEN,
        new JsonObject().put("text", text)).status()).isEqualTo(200);
  }

  /** What the customer sees of an order, without what necessarily differs (ids, numbers, times). */
  private static JsonObject comparable(Customer c, long id) {
    JsonObject order = api.get("/v1/activations/" + id, c.apiKey()).json();
    assertThat(order.getString("phone")).matches("7\\d{10}");
    JsonArray sms = new JsonArray();
    order.getJsonArray("sms").forEach(s -> sms.add(((JsonObject) s).copy().put("receivedAt", "*").put("sender", "*")));
    return new JsonObject().put("state", order.getString("state")).put("service", order.getString("service"))
        .put("country", order.getInteger("country")).put("price", order.getString("price"))
        .put("currency", order.getString("currency")).put("code", order.getString("code")).put("sms", sms)
        .put("closeReason", order.getString("closeReason"));
  }

  /** The ledger as kinds and amounts, newest first. */
  private static List<String> ledger(Customer c) {
    List<String> entries = new ArrayList<>();
    api.get("/v1/wallet/transactions", c.apiKey()).items().forEach(e -> {
      JsonObject entry = (JsonObject) e;
      entries.add(entry.getString("kind") + " " + entry.getString("amount") + " held " + entry.getString("heldChange"));
    });
    return entries;
  }

  private static JsonObject wallet(Customer c) {
    return api.get("/v1/wallet", c.apiKey()).json();
  }

  private static void assertSameResults(Customer a, long idA, Customer b, long idB) {
    assertThat(comparable(b, idB)).isEqualTo(comparable(a, idA));
    assertThat(wallet(b)).isEqualTo(wallet(a));
    assertThat(ledger(b)).isEqualTo(ledger(a));
  }

  @Test
  void aCodeRetriedThenFinishedCostsTheSameThroughBothApis() {
    Customer viaJson = node.customer("json-finish", "10.00");
    Customer viaCompat = node.customer("compat-finish", "10.00");
    List<Long> ids = new ArrayList<>();
    for (var pair : List.of(Map.entry(viaJson, json(viaJson)), Map.entry(viaCompat, compat(viaCompat)))) {
      Driver driver = pair.getValue();
      long id = driver.buy("tg");
      pushSms(id, "Telegram code 61034");
      driver.retry(id);
      pushSms(id, "Telegram code 77120");
      driver.finish(id);
      ids.add(id);
    }
    assertSameResults(viaJson, ids.get(0), viaCompat, ids.get(1));
    assertThat(comparable(viaCompat, ids.get(1)).getString("state")).isEqualTo("FINISHED");
    assertThat(comparable(viaCompat, ids.get(1)).getString("code")).isEqualTo("77120");
    assertThat(wallet(viaCompat).getString("balance")).isEqualTo("9.50");
    assertThat(ledger(viaCompat)).containsExactly("capture 0.00 held -0.50", "hold -0.50 held 0.50", "deposit 10.00 held 0.00");
    // and each API reads the other's order the same way
    assertThat(getText(api, "api_key", viaJson.apiKey(), "action", "getStatus", "id", String.valueOf(ids.get(0))))
        .isEqualTo(getText(api, "api_key", viaCompat.apiKey(), "action", "getStatus", "id", String.valueOf(ids.get(1))))
        .isEqualTo("STATUS_OK:77120");
  }

  @Test
  void aCancelRefundsTheSameThroughBothApis() {
    Customer viaJson = node.customer("json-cancel", "10.00");
    Customer viaCompat = node.customer("compat-cancel", "10.00");
    long a = json(viaJson).buy("wa");
    long b = compat(viaCompat).buy("wa");
    assertThat(wallet(viaCompat)).isEqualTo(wallet(viaJson))
        .isEqualTo(new JsonObject().put("balance", "8.75").put("held", "1.25").put("currency", "USD"));
    Await.pause(Duration.ofMillis(1100));
    json(viaJson).cancel(a);
    compat(viaCompat).cancel(b);
    assertSameResults(viaJson, a, viaCompat, b);
    assertThat(comparable(viaCompat, b).getString("state")).isEqualTo("CANCELLED");
    assertThat(ledger(viaCompat)).containsExactly("void 1.25 held -1.25", "hold -1.25 held 1.25", "deposit 10.00 held 0.00");
  }

  @Test
  void anOrderBoughtThroughOneApiIsClosedThroughTheOther() {
    Customer c = node.customer("mixed", "10.00");
    long boughtByJson = json(c).buy("tg");
    long boughtByCompat = compat(c).buy("tg");
    pushSms(boughtByJson, "code 1111");
    pushSms(boughtByCompat, "code 2222");
    compat(c).finish(boughtByJson);
    json(c).finish(boughtByCompat);
    assertThat(comparable(c, boughtByJson).getString("state")).isEqualTo("FINISHED");
    assertThat(comparable(c, boughtByCompat).getString("state")).isEqualTo("FINISHED");
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "9.00").put("held", "0.00").put("currency", "USD"));
  }
}
