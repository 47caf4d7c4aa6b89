package com.otporchestrator.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A node at its bound of purchases in flight answers 503 with Retry-After at once and writes nothing")
class PurchaseAdmissionTest {
  private static TestStores.Isolated stores;
  private static TestNode node;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(PurchaseAdmissionTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("PURCHASES_IN_FLIGHT", "2");
    node = TestNode.start(env);
    node.offer("tg", 0, "0.25");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  @Test
  @DisplayName("two purchases held in flight; a third, a batch and the compatible API's purchases are refused untouched; room again once they finish")
  void refusesBeyondTheBoundAndAdmitsAgainAfter() throws Exception {
    Customer first = node.customer("first", "1.00", "bulk");
    Customer second = node.customer("second", "1.00", "bulk");
    Customer third = node.customer("third", "1.00", "bulk");
    wallet(third); // its key and plan are cached now: the held purchases keep this loop's connections busy
    SqlConnection lock = Await.result(node.node().core().pool().getConnection());
    Api.Response[] held = new Api.Response[2];
    Thread[] buyers = new Thread[2];
    try {
      // the test holds the first two wallets, so their purchases stay in flight
      Await.result(lock.query("BEGIN").execute());
      Await.result(lock.preparedQuery("SELECT 1 FROM wallets WHERE account_id = ANY($1) FOR UPDATE")
          .execute(Tuple.of((Object) new Long[] {first.id(), second.id()})));
      Customer[] owners = {first, second};
      for (int i = 0; i < 2; i++) {
        int k = i;
        buyers[i] = Thread.ofVirtual().start(() -> held[k] = buy(owners[k]));
      }
      Await.until("two purchases in flight", Duration.ofSeconds(10),
          () -> node.node().modules().activations().admission().inFlight() == 2);

      Api.Response refused = buy(third);
      assertThat(refused.status()).as("%s", refused).isEqualTo(503);
      // nothing has been answered for as long as the two are held: the node asks for its longest wait
      assertThat(refused.header("Retry-After")).isEqualTo("10");
      assertThat(refused.json().getInteger("retryAfter")).isEqualTo(10);
      assertThat(refused.contentType()).isEqualTo("application/problem+json");
      assertThat(refused.json().getString("type")).endsWith("/overloaded");
      Api.Response batch = node.api().post("/v1/activations/batch", third.apiKey(), new JsonObject().put("items",
          new JsonArray().add(new JsonObject().put("service", "tg").put("country", 0).put("quantity", 2))));
      assertThat(batch.status()).as("%s", batch).isEqualTo(503);
      for (String action : new String[] {"getNumber", "getNumberV2", "getRentNumber"}) {
        Api.Response compat = compatPurchase(third, action);
        assertThat(compat.status()).as("%s: %s", action, compat).isEqualTo(503);
        assertThat(compat.header("Retry-After")).as(action).isEqualTo("10");
        assertThat(compat.body()).as(action).isEqualTo("ERROR_SQL");
      }
      assertThat(node.node().modules().activations().admission().rejected()).isEqualTo(5);

      Await.result(lock.query("COMMIT").execute());
      for (Thread buyer : buyers) buyer.join();
    } finally {
      lock.close();
    }
    assertThat(held[0].status()).as("%s", held[0]).isEqualTo(201);
    assertThat(held[1].status()).as("%s", held[1]).isEqualTo(201);
    assertThat(node.countActivations("account_id = " + third.id())).as("orders of the refused account").isZero();
    assertThat(wallet(third)).isEqualTo(new JsonObject().put("balance", "1.00").put("held", "0.00").put("currency", "USD"));
    Await.until("nothing in flight", Duration.ofSeconds(10), () -> node.node().modules().activations().admission().inFlight() == 0);
    assertThat(buy(third).status()).as("admitted again").isEqualTo(201);
    Api.Response compat = compatPurchase(third, "getNumber");
    assertThat(compat.status()).as("%s", compat).isEqualTo(200);
    assertThat(compat.body()).as("admitted again over the compatible API").startsWith("ACCESS_NUMBER:");
  }

  @Test
  @DisplayName("a refused client is asked to wait as long as the node takes to answer what it holds, at its recent pace")
  void retryAfterIsTheTimeToAnswerWhatIsHeld() {
    long[] clock = {5_000_000_000L};
    PurchaseAdmission admission = new PurchaseAdmission(120, () -> clock[0]);
    assertThat(admission.tryAdmit(100)).isTrue();
    admission.release(40); // 40 answered in second 5
    clock[0] += 1_000_000_000L; // the start of second 6
    assertThat(admission.tryAdmit(50)).isTrue(); // 110 held
    assertThat(admission.tryAdmit(20)).as("past the bound of 120").isFalse();
    assertThat(admission.retryAfterSeconds()).as("110 held at 40 a second").isEqualTo(3);
    admission.release(60);
    clock[0] += 500_000_000L; // half of second 6 gone: 100 answered in 1.5 s
    assertThat(admission.retryAfterSeconds()).as("50 held at 66.7 a second").isEqualTo(1);
    clock[0] += 2_000_000_000L; // nothing answered for two seconds while 50 are held
    assertThat(admission.retryAfterSeconds()).as("a stalled node").isEqualTo(10);
    admission.release(1);
    assertThat(admission.retryAfterSeconds()).as("49 held, 1 answered in 1.5 s").isEqualTo(10);
    clock[0] += 1_000_000_000L;
    admission.release(48);
    assertThat(admission.retryAfterSeconds()).as("1 held at 32 a second").isEqualTo(1);
  }

  /** A purchase over the sms-activate compatible API, as its scripts send it. */
  private static Api.Response compatPurchase(Customer customer, String action) {
    return node.api().get("/stubs/handler_api.php?api_key=" + customer.apiKey() + "&action=" + action
        + "&service=tg&country=0" + (action.equals("getRentNumber") ? "&rent_time=4" : ""), null);
  }

  private static Api.Response buy(Customer customer) {
    return node.api().post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
  }

  private static JsonObject wallet(Customer customer) {
    return node.api().get("/v1/wallet", customer.apiKey()).json();
  }
}
