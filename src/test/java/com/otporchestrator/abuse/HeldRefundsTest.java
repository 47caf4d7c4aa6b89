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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Abuse consequence hold_refunds: automatic refunds wait for an admin, who releases or denies each once")
class HeldRefundsTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(HeldRefundsTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("CANCEL_DELAY_SECONDS", "0");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    for (String signal : List.of("refund_ratio", "shared_ip")) {
      JsonObject off = new JsonObject().put("enabled", false).put("threshold", 5).put("windowSeconds", 600).put("action", "flag");
      if (signal.equals("refund_ratio")) off.put("ratio", "0.9");
      assertThat(api.put("/admin/v1/abuse/settings/" + signal, ADMIN, off).status()).isEqualTo(200);
    }
    Api.Response set = api.put("/admin/v1/abuse/settings/cancels", ADMIN, new JsonObject().put("enabled", true)
        .put("threshold", 2).put("windowSeconds", 600).put("action", "hold_refunds"));
    assertThat(set.status()).as("%s", set).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static long buy(Customer c) {
    Api.Response r = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json().getLong("id");
  }

  private static JsonObject wallet(Customer c) {
    return api.get("/v1/wallet", c.apiKey()).json();
  }

  /** A customer who cancelled twice in the window: the flag holding their refunds is open. */
  private static Customer flaggedCustomer(String name) {
    Customer c = node.customer(name, "10.00");
    for (int i = 0; i < 2; i++) {
      long id = buy(c);
      assertThat(api.post("/v1/activations/" + id + "/cancel", c.apiKey(), (String) null).status()).isEqualTo(200);
    }
    Await.until("the cancels flag opened", () -> api.get("/admin/v1/abuse/flags?open=true&accountId=" + c.id(), ADMIN)
        .json().getJsonArray("items").size() == 1);
    assertThat(wallet(c).getString("balance")).as("refunds before the flag are paid").isEqualTo("10.00");
    return c;
  }

  @Test
  void aCancelOfAFlaggedAccountKeepsThePriceHeldUntilAnAdminReleasesItOnce() {
    Customer c = flaggedCustomer("serial-canceller");
    long id = buy(c);
    Api.Response cancelled = api.post("/v1/activations/" + id + "/cancel", c.apiKey(), (String) null);
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().getString("state")).isEqualTo("CANCELLED");
    assertThat(cancelled.json().getBoolean("refundHeld")).isTrue();
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "9.50").put("held", "0.50").put("currency", "USD"));
    JsonObject position = api.get("/v1/activations/" + id + "/refund", c.apiKey()).json();
    assertThat(position.getString("rule")).isEqualTo("held_for_review");
    assertThat(position.getBoolean("refunded")).isFalse();
    node.assertMoneyInvariants();

    JsonArray pending = api.get("/admin/v1/abuse/held-refunds?pending=true&accountId=" + c.id(), ADMIN).json()
        .getJsonArray("items");
    assertThat(pending).hasSize(1);
    assertThat(pending.getJsonObject(0).getLong("orderId")).isEqualTo(id);

    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<CompletableFuture<Integer>> releases = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      releases.add(CompletableFuture.supplyAsync(() -> api.post("/admin/v1/abuse/held-refunds/" + id + "/release", ADMIN,
          new JsonObject().put("note", "reviewed: genuine no-SMS cancels")).status(), pool));
    }
    List<Integer> statuses = releases.stream().map(CompletableFuture::join).toList();
    pool.shutdown();
    assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
    assertThat(statuses).containsOnly(200, 409);
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "10.00").put("held", "0.00").put("currency", "USD"));
    assertThat(api.get("/v1/activations/" + id + "/refund", c.apiKey()).json().getString("rule"))
        .isEqualTo("refunded.cancelled");
    node.assertMoneyInvariants();
  }

  @Test
  void anExpiryOfAFlaggedAccountIsHeldTooAndADenialKeepsThePrice() {
    Customer c = flaggedCustomer("serial-expirer");
    long id = buy(c);
    Await.result(node.node().core().pool().preparedQuery("UPDATE activations SET expires_at = now() WHERE id = $1")
        .execute(Tuple.of(id)));
    Await.until("the order expired", () -> "EXPIRED".equals(api.get("/v1/activations/" + id, c.apiKey()).json()
        .getString("state")));
    assertThat(wallet(c).getString("held")).isEqualTo("0.50");
    Api.Response denied = api.post("/admin/v1/abuse/held-refunds/" + id + "/deny", ADMIN,
        new JsonObject().put("note", "purchase-and-cancel farming"));
    assertThat(denied.status()).as("%s", denied).isEqualTo(200);
    assertThat(denied.json().getString("decision")).isEqualTo("denied");
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "9.50").put("held", "0.00").put("currency", "USD"));
    assertThat(api.post("/admin/v1/abuse/held-refunds/" + id + "/release", ADMIN, new JsonObject().put("note", "x"))
        .status()).isEqualTo(409);
    node.assertMoneyInvariants();
  }

  @Test
  void anAccountWithoutTheFlagIsRefundedAtOnceAndBadRequestsAreRefused() {
    Customer c = node.customer("honest", "1.00");
    long id = buy(c);
    assertThat(api.post("/v1/activations/" + id + "/cancel", c.apiKey(), (String) null).json().getBoolean("refundHeld"))
        .isFalse();
    assertThat(wallet(c).getString("balance")).isEqualTo("1.00");
    assertThat(api.post("/admin/v1/abuse/held-refunds/" + id + "/release", ADMIN, new JsonObject().put("note", "x"))
        .status()).isEqualTo(404);
    assertThat(api.post("/admin/v1/abuse/held-refunds/abc/release", ADMIN, new JsonObject().put("note", "x")).status())
        .isEqualTo(404);
    assertThat(api.post("/admin/v1/abuse/held-refunds/" + id + "/release", ADMIN, new JsonObject()).status()).isEqualTo(400);
    assertThat(api.get("/admin/v1/abuse/held-refunds?pending=maybe", ADMIN).status()).isEqualTo(400);
    assertThat(api.put("/admin/v1/abuse/settings/cancels", ADMIN, new JsonObject().put("enabled", true).put("threshold", 2)
        .put("windowSeconds", 600).put("action", "refund_everything")).status()).isEqualTo(400);
  }
}
