package com.otporchestrator.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Presets;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
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

@DisplayName("Wallet operations: payouts, termination with forfeit, service credits and the exported history")
class WalletOperationsTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(WalletOperationsTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("CANCEL_DELAY_SECONDS", "0");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    // The workflow tests below need a policy that pays out part of a balance and credits at the operator's discretion:
    // smssb's text allows neither (PolicyPayoutsTest and ServiceCreditScopeTest test the presets as published).
    Presets.publishInForce(api, Presets.text("smssb-refund-policy").replace("version: 1", "version: 2")
        .replace("    allowed: false", "    allowed: true").replace("outagesOnly: true", "outagesOnly: false"));
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static Api.Response requestPayout(Customer c, String amount) {
    return api.post("/v1/wallet/payouts", c.apiKey(), new JsonObject().put("amount", amount).put("destination", "USDT TRC20 TXyz"));
  }

  private static String balance(Customer c) {
    return api.get("/v1/wallet", c.apiKey()).json().getString("balance");
  }

  private static long buy(Customer c) {
    Api.Response r = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json().getLong("id");
  }

  private static long ledgerRows(String kind, long accountId) {
    return Await.result(node.node().core().pool().preparedQuery(
        "SELECT count(*) AS n FROM ledger_entries WHERE kind = $1 AND account_id = $2").execute(Tuple.of(kind, accountId)))
        .iterator().next().getLong("n");
  }

  @Test
  void aPayoutIsRequestedByTheCustomerAndPaidOnceWhenAnAdminApprovesIt() {
    Customer c = node.customer("leaver", "30.00");
    Api.Response requested = requestPayout(c, "25.00");
    assertThat(requested.status()).as("%s", requested).isEqualTo(201);
    assertThat(requested.json().getString("state")).isEqualTo("REQUESTED");
    assertThat(balance(c)).as("nothing leaves before approval").isEqualTo("30.00");
    assertThat(requestPayout(c, "1.00").status()).as("one open request at a time").isEqualTo(409);

    long id = requested.json().getLong("id");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<CompletableFuture<Api.Response>> approvals = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      approvals.add(CompletableFuture.supplyAsync(() -> api.post("/admin/v1/payouts/" + id + "/approve", ADMIN,
          new JsonObject().put("note", "sent"), "X-Admin-Actor", "alice"), pool));
    }
    List<Integer> statuses = approvals.stream().map(f -> f.join().status()).toList();
    pool.shutdown();
    assertThat(statuses).containsOnly(200, 409).filteredOn(s -> s == 200).hasSize(1);
    assertThat(ledgerRows("payout", c.id())).isEqualTo(1);
    assertThat(balance(c)).isEqualTo("5.00");
    JsonObject mine = api.get("/v1/wallet/payouts", c.apiKey()).json().getJsonArray("items").getJsonObject(0);
    assertThat(mine.getString("state")).isEqualTo("APPROVED");
    assertThat(mine.getString("decidedBy")).isEqualTo("token:alice");
  }

  @Test
  void aRejectedPayoutMovesNoMoneyAndFreesTheAccountToAskAgain() {
    Customer c = node.customer("rejected-leaver", "10.00");
    long id = requestPayout(c, "10.00").json().getLong("id");
    Api.Response rejected = api.post("/admin/v1/payouts/" + id + "/reject", ADMIN, new JsonObject().put("reason", "KYC missing"));
    assertThat(rejected.status()).as("%s", rejected).isEqualTo(200);
    assertThat(rejected.json().getString("decisionNote")).isEqualTo("KYC missing");
    assertThat(api.post("/admin/v1/payouts/" + id + "/approve", ADMIN, (String) null).status()).isEqualTo(409);
    assertThat(balance(c)).isEqualTo("10.00");
    assertThat(ledgerRows("payout", c.id())).isZero();
    assertThat(requestPayout(c, "10.00").status()).isEqualTo(201);
  }

  @Test
  void anApprovalTheBalanceNoLongerCoversIsRefusedAndWritesNothing() {
    Customer c = node.customer("spender", "1.00");
    long id = requestPayout(c, "1.00").json().getLong("id");
    buy(c);
    Api.Response approve = api.post("/admin/v1/payouts/" + id + "/approve", ADMIN, (String) null);
    assertThat(approve.status()).as("%s", approve).isEqualTo(402);
    assertThat(ledgerRows("payout", c.id())).isZero();
    assertThat(api.get("/admin/v1/payouts?state=REQUESTED&accountId=" + c.id(), ADMIN).json().getJsonArray("items")).hasSize(1);
  }

  @Test
  void anApprovalIsPaidFromTheBalanceAsLockedWhenACreditLandsWhileItWaitsForTheWallet() {
    Customer c = node.customer("credited-while-waiting", "1.00");
    long id = requestPayout(c, "1.00").json().getLong("id");
    buy(c); // 0.50 left: the approval alone is not covered
    SqlConnection holder = Await.result(node.node().core().pool().getConnection());
    try {
      Await.result(holder.query("BEGIN").execute());
      Await.result(holder.preparedQuery("SELECT 1 FROM wallets WHERE account_id = $1 FOR UPDATE").execute(Tuple.of(c.id())));
      CompletableFuture<Api.Response> approval = CompletableFuture.supplyAsync(
          () -> api.post("/admin/v1/payouts/" + id + "/approve", ADMIN, (String) null));
      Await.until("the approval waiting for the wallet's lock", () -> waitingForALock("payout_requests"));
      Await.result(holder.preparedQuery(WalletSql.DEPOSIT)
          .execute(Tuple.of(c.id(), 500_000L, "test:credit-while-waiting", 1_000_000_000_000L)));
      Await.result(holder.query("COMMIT").execute());
      Api.Response approved = approval.join();
      assertThat(approved.status()).as("the balance as locked covers it: %s", approved).isEqualTo(200);
    } finally {
      holder.close();
    }
    assertThat(balance(c)).isEqualTo("0.00");
    assertThat(ledgerRows("payout", c.id())).isEqualTo(1);
  }

  private static boolean waitingForALock(String statementMentioning) {
    return Await.result(node.node().core().pool().preparedQuery("""
        SELECT count(*) AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%' || $1 || '%'""")
        .execute(Tuple.of(statementMentioning))).iterator().next().getLong("n") > 0;
  }

  @Test
  void aPayoutBelowThePolicyMinimumOrAboveTheBalanceIsRefused() {
    Customer c = node.customer("small-leaver", "50.00");
    assertThat(requestPayout(c, "60.00").status()).isEqualTo(402);
    assertThat(api.put("/admin/v1/policies/in-force", ADMIN, new JsonObject().put("policyId", "smsactivator_refund_policy"))
        .status()).isEqualTo(200);
    try {
      Api.Response small = requestPayout(c, "19.99");
      assertThat(small.status()).isEqualTo(422);
      assertThat(small.json().getString("rule")).isEqualTo("wallet.payouts.minimum");
      assertThat(small.json().getString("detail")).contains("20.00");
      // smsactivator's payout is leaving the platform: the whole balance (PolicyPayoutsTest)
      Api.Response enough = requestPayout(c, "50.00");
      assertThat(enough.status()).as("%s", enough).isEqualTo(201);
      assertThat(enough.json().getJsonObject("policy").getString("id")).isEqualTo("smsactivator_refund_policy");
    } finally {
      api.put("/admin/v1/policies/in-force", ADMIN, new JsonObject().put("policyId", "smssb_refund_policy"));
    }
  }

  @Test
  void terminationForfeitsTheBalanceAndALaterRefundIsForfeitedByItself() {
    Customer c = node.customer("violator", "3.00");
    long open = buy(c);
    Api.Response terminated = api.post("/admin/v1/accounts/" + c.id() + "/terminate", ADMIN,
        new JsonObject().put("reason", "ToS 4.2: resale of codes"));
    assertThat(terminated.status()).as("%s", terminated).isEqualTo(200);
    assertThat(terminated.json().getString("forfeited")).isEqualTo("2.50");
    assertThat(ledgerRows("forfeit", c.id())).isEqualTo(1);
    assertThat(api.post("/admin/v1/accounts/" + c.id() + "/terminate", ADMIN, new JsonObject().put("reason", "again")).status())
        .isEqualTo(409);
    assertThat(api.post("/admin/v1/accounts/" + c.id() + "/deposits", ADMIN,
        new JsonObject().put("amount", "5.00").put("reference", "after-termination")).status()).isEqualTo(404);

    Await.result(node.node().core().pool().preparedQuery(
        "UPDATE activations SET expires_at = now() WHERE id = $1").execute(Tuple.of(open)));
    Await.until("the open order expired and was refunded", () -> ledgerRows("void", c.id()) == 1);
    // the refund is forfeited by the statement that credited it; there is no manual step any more
    assertThat(ledgerRows("forfeit", c.id())).isEqualTo(2);
    assertThat(Await.result(node.node().modules().wallets().repository().wallet(c.id())).balance()).isZero();
    assertThat(api.post("/admin/v1/accounts/" + c.id() + "/forfeit", ADMIN, (String) null).status()).isEqualTo(404);
    node.assertMoneyInvariants();
  }

  @Test
  void aServiceCreditIsTiedToClosedOrdersCappedAtTheirPriceAndGrantedOncePerOrder() {
    Customer c = node.customer("outage-victim", "5.00");
    long closed = buy(c);
    assertThat(api.post("/v1/activations/" + closed + "/cancel", c.apiKey(), (String) null).status()).isEqualTo(200);
    long open = buy(c);
    JsonObject body = new JsonObject().put("reason", "supplier outage 2026-11-20").put("outageRef", "INC-7")
        .put("orders", new JsonArray()
            .add(new JsonObject().put("orderId", closed).put("amount", "0.80"))
            .add(new JsonObject().put("orderId", open).put("amount", "0.10"))
            .add(new JsonObject().put("orderId", 999_999_999L).put("amount", "0.10")));
    Api.Response granted = api.post("/admin/v1/service-credits", ADMIN, body);
    assertThat(granted.status()).as("%s", granted).isEqualTo(201);
    JsonArray orders = granted.json().getJsonArray("orders");
    assertThat(orders.getJsonObject(0).getString("credited")).as("%s", granted).isEqualTo("0.50");
    assertThat(orders.getJsonObject(0).getBoolean("capped")).isTrue();
    assertThat(orders.getJsonObject(1).getString("skipped")).isEqualTo("order_open");
    assertThat(orders.getJsonObject(2).getString("skipped")).isEqualTo("unknown_order");
    assertThat(balance(c)).isEqualTo("5.00");

    Api.Response again = api.post("/admin/v1/service-credits", ADMIN, body);
    assertThat(again.json().getJsonArray("orders").getJsonObject(0).getString("skipped")).isEqualTo("already_credited");
    assertThat(balance(c)).isEqualTo("5.00");
  }

  @Test
  void aClosedRentalCanBeCreditedToo() {
    Api.Response offer = api.put("/admin/v1/rent-offers", ADMIN, new JsonObject().put("provider", "sandbox").put("country", 0)
        .put("service", "full").put("hourlyPrice", "0.10").put("hourlyCost", "0.01").put("stock", 5));
    assertThat(offer.status()).as("%s", offer).isEqualTo(200);
    Customer c = node.customer("renter-credit", "10.00");
    Api.Response rented = api.post("/v1/rentals", c.apiKey(), new JsonObject().put("country", 0).put("hours", 4));
    assertThat(rented.status()).as("%s", rented).isEqualTo(201);
    long id = rented.json().getLong("id");
    assertThat(api.post("/v1/rentals/" + id + "/finish", c.apiKey(), (String) null).status()).isEqualTo(200);
    Api.Response granted = api.post("/admin/v1/service-credits", ADMIN, new JsonObject().put("reason", "rental outage")
        .put("orders", new JsonArray().add(new JsonObject().put("orderId", id).put("amount", "1.00"))));
    assertThat(granted.status()).as("%s", granted).isEqualTo(201);
    assertThat(granted.json().getJsonArray("orders").getJsonObject(0).getString("credited")).isEqualTo("0.40");
    assertThat(balance(c)).isEqualTo("10.00");
  }

  @Test
  void theHistoryFiltersByKindAndExportsAsCsvWithFormulasDefused() {
    Customer c = node.customer("accountant", null);
    assertThat(api.post("/admin/v1/accounts/" + c.id() + "/deposits", ADMIN,
        new JsonObject().put("amount", "2.00").put("reference", "=HYPERLINK(\"x\")")).status()).isEqualTo(201);
    long order = buy(c);
    JsonArray holds = api.get("/v1/wallet/transactions?kind=hold", c.apiKey()).json().getJsonArray("items");
    assertThat(holds).hasSize(1);
    assertThat(holds.getJsonObject(0).getLong("orderId")).isEqualTo(order);
    assertThat(holds.getJsonObject(0).getJsonObject("order").getString("service")).isEqualTo("tg");

    Api.Response csv = api.get("/v1/wallet/transactions.csv?limit=1", c.apiKey());
    assertThat(csv.status()).as("%s", csv).isEqualTo(200);
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.body()).startsWith("id,created_at,kind,order_id,");
    assertThat(csv.body().lines()).hasSize(2);
    assertThat(csv.header("Link")).contains("cursor=").contains("rel=\"next\"");
    String all = api.get("/v1/wallet/transactions.csv", c.apiKey()).body();
    assertThat(all.lines()).hasSize(3);
    assertThat(all).contains(",\"'=HYPERLINK(\"\"x\"\")\"");
  }

  @Test
  void refusesBadInputPreciselyAndChangesNothing() {
    Customer c = node.customer("careless", "5.00");
    assertThat(requestPayout(c, "abc").status()).isEqualTo(400);
    assertThat(api.post("/v1/wallet/payouts", c.apiKey(), new JsonObject().put("amount", 5).put("destination", "x")).status())
        .isEqualTo(400);
    assertThat(api.post("/v1/wallet/payouts", c.apiKey(), new JsonObject().put("amount", "1.00")).status()).isEqualTo(400);
    assertThat(api.post("/v1/wallet/payouts", c.apiKey(), "{not json").status()).isEqualTo(400);
    assertThat(api.get("/v1/wallet/transactions?kind=gift", c.apiKey()).status()).isEqualTo(400);
    assertThat(api.get("/v1/wallet/transactions?from=yesterday", c.apiKey()).status()).isEqualTo(400);
    assertThat(api.get("/v1/wallet/transactions.csv?limit=10001", c.apiKey()).status()).isEqualTo(400);
    assertThat(api.post("/admin/v1/payouts/999999/approve", ADMIN, (String) null).status()).isEqualTo(404);
    assertThat(api.post("/admin/v1/payouts/1/approve", ADMIN, (String) null, "X-Admin-Actor", "bad actor!").status())
        .isEqualTo(400);
    assertThat(api.post("/admin/v1/accounts/999999/terminate", ADMIN, new JsonObject().put("reason", "x")).status())
        .isEqualTo(404);
    assertThat(api.post("/admin/v1/accounts/" + c.id() + "/terminate", ADMIN, new JsonObject()).status()).isEqualTo(400);
    assertThat(api.post("/admin/v1/accounts/" + c.id() + "/forfeit", ADMIN, (String) null).status()).as("no manual forfeit")
        .isEqualTo(404);
    assertThat(api.post("/admin/v1/service-credits", ADMIN, new JsonObject().put("reason", "x").put("orders", new JsonArray()))
        .status()).isEqualTo(400);
    assertThat(api.post("/admin/v1/service-credits", ADMIN, new JsonObject().put("reason", "x").put("orders",
        new JsonArray().add(new JsonObject().put("orderId", "1").put("amount", "1.00")))).status()).isEqualTo(400);
    assertThat(api.post("/admin/v1/service-credits", ADMIN, new JsonObject().put("reason", "x").put("orders",
        new JsonArray().add(new JsonObject().put("orderId", 1).put("amount", "1.00"))
            .add(new JsonObject().put("orderId", 1).put("amount", "1.00")))).status()).isEqualTo(400);
    assertThat(api.get("/admin/v1/payouts?state=DONE", ADMIN).status()).isEqualTo(400);
    assertThat(balance(c)).isEqualTo("5.00");
    assertThat(ledgerRows("payout", c.id()) + ledgerRows("forfeit", c.id())).isZero();
  }
}
