package com.otporchestrator.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.Presets;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
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

/**
 * smsactivator: "AUP violations resulting in account termination — wallet balance is forfeited";
 * smssb: "Accounts terminated due to Terms of Service violations forfeit any remaining balance." Every credit to a
 * terminated account is forfeited by the statement that credits it (both entries written), so its balance is always 0,
 * with no manual step.
 */
@DisplayName("Termination forfeits everything, automatically")
class TerminationForfeitsEverythingTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(TerminationForfeitsEverythingTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", "600");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    node.offer("wa", 0, "0.40");
    Api.Response offer = api.put("/admin/v1/rent-offers", ADMIN, new JsonObject().put("provider", "sandbox")
        .put("country", 0).put("service", "full").put("hourlyPrice", "0.01").put("stock", 50));
    assertThat(offer.status()).as("%s", offer).isEqualTo(200);
    Presets.putInForce(api, "smsactivator_refund_policy");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static long buy(Customer c, String service) {
    Api.Response r = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", service).put("country", 0));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json().getLong("id");
  }

  private static Row wallet(long accountId) {
    return Await.result(node.node().core().pool().preparedQuery("SELECT balance, held FROM wallets WHERE account_id = $1")
        .execute(Tuple.of(accountId))).iterator().next();
  }

  private static long forfeits(long accountId) {
    return Await.result(node.node().core().pool().preparedQuery(
            "SELECT count(*) FROM ledger_entries WHERE kind = 'forfeit' AND account_id = $1").execute(Tuple.of(accountId)))
        .iterator().next().getLong(0);
  }

  private static void sql(String statement, Object... args) {
    Await.result(node.node().core().pool().preparedQuery(statement).execute(Tuple.from(args)));
  }

  /** The forfeit written for the credit of {@code kind} on {@code orderId}: same account, same amount, naming it. */
  private static void forfeitedWithItsCredit(long accountId, long orderId, String kind) {
    Row pair = Await.result(node.node().core().pool().preparedQuery("""
        SELECT c.balance_delta AS credited, f.balance_delta AS forfeited
          FROM ledger_entries c JOIN ledger_entries f ON f.reference = 'forfeit:entry:' || c.id AND f.kind = 'forfeit'
         WHERE c.order_id = $1 AND c.kind = $2 AND c.account_id = $3 AND f.account_id = $3""")
        .execute(Tuple.of(orderId, kind, accountId))).iterator().next();
    assertThat(pair.getLong("forfeited")).isEqualTo(-pair.getLong("credited"));
    assertThat(wallet(accountId).getLong("balance")).as("the balance of a terminated account").isZero();
  }

  @Test
  @DisplayName("expiry, outage refund, claim refund, service credit, a released held refund and a dead rental's refund:"
      + " each forfeited as it lands")
  void everyLateCreditIsForfeitedByItsOwnStatement() {
    Customer c = node.customer("violator", "10.00");
    long expiring = buy(c, "tg");
    long outaged = buy(c, "wa");
    long claimed = buy(c, "tg");
    assertThat(api.post("/admin/v1/sandbox/activations/" + claimed + "/sms", ADMIN, new JsonObject().put("text", "code 1234"))
        .status()).isEqualTo(200);
    assertThat(api.post("/v1/activations/" + claimed + "/finish", c.apiKey(), (String) null).status()).isEqualTo(200);
    Api.Response claim = api.post("/v1/claims", c.apiKey(), new JsonObject().put("orderId", claimed)
        .put("type", "sms_rejected_by_destination").put("text", "the destination rejected the code"));
    assertThat(claim.status()).as("%s", claim).isEqualTo(201);
    long credited = buy(c, "tg");
    assertThat(api.post("/v1/activations/" + credited + "/cancel", c.apiKey(), (String) null).status()).isEqualTo(200);
    // a refund held for review (abuse consequence hold_refunds), released after the termination
    sql("INSERT INTO abuse_flags (account_id, signal, observed, evidence, action) VALUES ($1, 'cancels', 'test', '{}', 'hold_refunds')",
        c.id());
    long held = buy(c, "tg");
    assertThat(api.post("/v1/activations/" + held + "/cancel", c.apiKey(), (String) null).status()).isEqualTo(200);
    sql("UPDATE abuse_flags SET resolved_at = now(), resolved_by = 'test' WHERE account_id = $1", c.id());
    Api.Response rented = api.post("/v1/rentals", c.apiKey(), new JsonObject().put("country", 0).put("hours", 4));
    assertThat(rented.status()).as("%s", rented).isEqualTo(201);
    long rental = rented.json().getLong("id");

    Api.Response terminated = api.post("/admin/v1/accounts/" + c.id() + "/terminate", ADMIN,
        new JsonObject().put("reason", "AUP violation"));
    assertThat(terminated.status()).as("%s", terminated).isEqualTo(200);
    // 10.00 - 5 orders at 0.50 / 0.40 + the cancelled one back - a rental of 0.04; the held one stays held
    assertThat(terminated.json().getString("forfeited")).isEqualTo("8.06");
    assertThat(wallet(c.id()).getLong("balance")).isZero();
    assertThat(api.get("/v1/wallet", c.apiKey()).status()).as("the key is refused at once").isEqualTo(401);

    // an expiry: the window ends with no code
    sql("UPDATE activations SET expires_at = now() WHERE id = $1", expiring);
    Await.until("expired and voided", () -> "EXPIRED".equals(state(expiring)));
    forfeitedWithItsCredit(c.id(), expiring, "void");

    // an outage refund
    Api.Response outage = api.post("/admin/v1/outages", ADMIN, new JsonObject().put("service", "wa")
        .put("from", Instant.now().minusSeconds(60).toString()).put("reason", "wa down"));
    assertThat(outage.status()).as("%s", outage).isEqualTo(201);
    Await.until("refunded by the outage", Duration.ofSeconds(15), () -> "CANCELLED".equals(state(outaged)));
    forfeitedWithItsCredit(c.id(), outaged, "void");

    // a claim refund approved after the termination
    Api.Response approved = api.post("/admin/v1/claims/" + claim.json().getLong("id") + "/approve", ADMIN,
        new JsonObject().put("remedy", "refund"));
    assertThat(approved.status()).as("%s", approved).isEqualTo(200);
    forfeitedWithItsCredit(c.id(), claimed, "refund");

    // a service credit
    Api.Response credit = api.post("/admin/v1/service-credits", ADMIN, new JsonObject().put("reason", "goodwill")
        .put("orders", new JsonArray().add(new JsonObject().put("orderId", credited).put("amount", "0.20"))));
    assertThat(credit.status()).as("%s", credit).isEqualTo(201);
    forfeitedWithItsCredit(c.id(), credited, "service_credit");

    // the held refund released
    Api.Response released = api.post("/admin/v1/abuse/held-refunds/" + held + "/release", ADMIN,
        new JsonObject().put("note", "not abuse"));
    assertThat(released.status()).as("%s", released).isEqualTo(200);
    forfeitedWithItsCredit(c.id(), held, "void");

    // a rental's automatic refund: its number reported dead (smsactivator: "full refund")
    assertThat(api.post("/admin/v1/sandbox/rentals/" + rental + "/dead", ADMIN, "{}").status()).isEqualTo(200);
    forfeitedWithItsCredit(c.id(), rental, "void");

    assertThat(wallet(c.id()).getLong("held")).isZero();
    assertThat(forfeits(c.id())).as("the termination's forfeit and one per late credit").isEqualTo(7);
    node.assertMoneyInvariants();
  }

  private static String state(long id) {
    return Await.result(node.node().core().pool().preparedQuery("SELECT state FROM activations WHERE id = $1")
        .execute(Tuple.of(id))).iterator().next().getString("state");
  }

  @Test
  @DisplayName("a termination that waits on a credit committed after it began forfeits the credited balance too")
  void terminationWaitingOnACreditForfeitsIt() throws Exception {
    Customer c = node.customer("credited-while-terminated", "1.00");
    SqlConnection credit = Await.result(node.node().core().pool().getConnection());
    try {
      Transaction tx = Await.result(credit.begin());
      Await.result(credit.preparedQuery("""
          WITH entry AS (
            INSERT INTO ledger_entries (account_id, kind, balance_delta, held_delta, reference)
            VALUES ($1, 'deposit', 2000000, 0, 'test:deposit-racing-termination') RETURNING account_id
          )
          UPDATE wallets SET balance = balance + 2000000 WHERE account_id = (SELECT account_id FROM entry)""")
          .execute(Tuple.of(c.id())));
      CompletableFuture<Api.Response> terminating = CompletableFuture.supplyAsync(() -> api.post(
          "/admin/v1/accounts/" + c.id() + "/terminate", ADMIN, new JsonObject().put("reason", "AUP violation")));
      Await.until("the termination waits for the wallet the deposit holds", Duration.ofSeconds(10), () -> Await.result(
          node.node().core().pool().query("""
              SELECT count(*) FROM pg_stat_activity
               WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%forfeit_locks%'""")
              .execute()).iterator().next().getLong(0) == 1);
      Await.result(tx.commit());

      Api.Response terminated = terminating.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(terminated.status()).as("%s", terminated).isEqualTo(200);
      assertThat(terminated.json().getString("forfeited")).as("the balance as locked: 1.00 + the deposit").isEqualTo("3.00");
      assertThat(wallet(c.id()).getLong("balance")).isZero();
    } finally {
      credit.close();
    }
    node.assertMoneyInvariants();
  }

  @Test
  @DisplayName("terminations racing cancels, expiries and an outage refund: every terminated balance ends at 0")
  void terminationRacingRefunds() throws Exception {
    int accounts = 8;
    int ordersEach = 6;
    List<Customer> customers = new ArrayList<>();
    List<List<Long>> orders = new ArrayList<>();
    for (int a = 0; a < accounts; a++) {
      Customer c = node.customer("racer-" + a, "5.00");
      customers.add(c);
      List<Long> mine = new ArrayList<>();
      for (int o = 0; o < ordersEach; o++) mine.add(buy(c, o % 2 == 0 ? "tg" : "wa"));
      orders.add(mine);
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<CompletableFuture<?>> racing = new ArrayList<>();
      for (int a = 0; a < accounts; a++) {
        Customer c = customers.get(a);
        List<Long> mine = orders.get(a);
        racing.add(CompletableFuture.runAsync(() -> api.post("/admin/v1/accounts/" + c.id() + "/terminate", ADMIN,
            new JsonObject().put("reason", "racing")), pool));
        // the customer cancels two orders while being terminated (some are refused: the key stops working)
        for (int o = 0; o < 2; o++) {
          long id = mine.get(o);
          racing.add(CompletableFuture.runAsync(() -> api.post("/v1/activations/" + id + "/cancel", c.apiKey(),
              (String) null), pool));
        }
        // two orders reach the end of their window at the same moment
        racing.add(CompletableFuture.runAsync(() -> sql("UPDATE activations SET expires_at = now() WHERE id = ANY($1)",
            (Object) new Long[] {mine.get(2), mine.get(3)}), pool));
      }
      // and an outage refunds the rest
      racing.add(CompletableFuture.runAsync(() -> api.post("/admin/v1/outages", ADMIN, new JsonObject()
          .put("platformWide", true).put("from", Instant.now().minusSeconds(600).toString())), pool));
      CompletableFuture.allOf(racing.toArray(CompletableFuture[]::new)).join();
    } finally {
      pool.shutdown();
    }
    Await.until("every order of the racers closed", Duration.ofSeconds(30), () -> customers.stream()
        .allMatch(c -> wallet(c.id()).getLong("held") == 0));
    for (Customer c : customers) {
      assertThat(api.get("/admin/v1/accounts/" + c.id(), ADMIN).json().getString("status")).isEqualTo("terminated");
      assertThat(wallet(c.id()).getLong("balance")).as("account %s", c.id()).isZero();
    }
    long credits = Await.result(node.node().core().pool().preparedQuery("""
        SELECT count(*) FROM ledger_entries c
         WHERE c.account_id = ANY($1) AND c.kind = 'void'
           AND c.created_at > (SELECT terminated_at FROM accounts WHERE id = c.account_id)""")
        .execute(Tuple.of((Object) customers.stream().map(Customer::id).toArray(Long[]::new)))).iterator().next().getLong(0);
    assertThat(credits).as("some refunds landed after their account's termination").isPositive();
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
  }
}
