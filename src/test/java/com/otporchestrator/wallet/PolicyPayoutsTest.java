package com.otporchestrator.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.Presets;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Payouts follow the policy in force. smssb: "Cryptocurrency deposits are final and cannot be reversed,
 * withdrawn, or converted back" / "available only as Platform credit"; esimpy: "Credit top-ups are non-refundable under
 * any circumstances"; smsactivator: "If you want to leave the platform with a non-zero wallet balance, contact support
 * and we can arrange an outbound payout (subject to a minimum of $20)". A refused request is a 422 naming the rule and
 * writes nothing.
 */
@DisplayName("Payouts as the policy in force allows them")
class PolicyPayoutsTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(PolicyPayoutsTest.class);
    node = TestNode.start(stores);
    api = node.api();
    node.offer("tg", 0, "0.50");
  }

  @AfterEach
  void booksBalance() {
    node.assertMoneyInvariants();
  }

  @AfterAll
  static void stop() {
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static Api.Response requestPayout(Customer c, String amount) {
    JsonObject body = new JsonObject().put("destination", "USDT TRC20 TXyz");
    if (amount != null) body.put("amount", amount);
    return api.post("/v1/wallet/payouts", c.apiKey(), body);
  }

  private static long count(String sql, long accountId) {
    return Await.result(node.node().core().pool().preparedQuery(sql).execute(Tuple.of(accountId))).iterator().next()
        .getLong(0);
  }

  private static long payoutRequests(Customer c) {
    return count("SELECT count(*) FROM payout_requests WHERE account_id = $1", c.id());
  }

  private static void refusedByRule(Customer c, Api.Response refused, String rule) {
    assertThat(refused.status()).as("%s", refused).isEqualTo(422);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.json().getString("rule")).isEqualTo(rule);
    assertThat(payoutRequests(c)).as("nothing written").isZero();
  }

  @Test
  @DisplayName("smssb: deposits are available only as platform credit, so no payout is filed")
  void smssbRefusesEveryPayout() {
    Presets.putInForce(api, "smssb_refund_policy");
    Customer c = node.customer("smssb-leaver", "30.00");
    Api.Response refused = requestPayout(c, "30.00");
    refusedByRule(c, refused, "wallet.payouts.allowed");
    assertThat(refused.json().getString("policyId")).isEqualTo("smssb_refund_policy");
    assertThat(api.get("/v1/wallet", c.apiKey()).json().getString("balance")).isEqualTo("30.00");
  }

  @Test
  @DisplayName("esimpy: credit top-ups are non-refundable under any circumstances")
  void esimpyRefusesEveryPayout() {
    Presets.putInForce(api, "esimpy_return_policy");
    Customer c = node.customer("esimpy-leaver", "30.00");
    refusedByRule(c, requestPayout(c, "5.00"), "wallet.payouts.allowed");
  }

  @Test
  @DisplayName("smsactivator: leaving pays out the whole balance, at least 20 USD, and closes the account")
  void smsactivatorPaysOutTheWholeBalanceAndClosesTheAccount() {
    Presets.putInForce(api, "smsactivator_refund_policy");
    Customer poor = node.customer("smsactivator-small", "19.99");
    refusedByRule(poor, requestPayout(poor, null), "wallet.payouts.minimum");
    refusedByRule(poor, requestPayout(poor, "19.99"), "wallet.payouts.minimum");

    Customer c = node.customer("smsactivator-leaver", "30.00");
    refusedByRule(c, requestPayout(c, "25.00"), "wallet.payouts.closesAccount");
    long open = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", "tg").put("country", 0)).json()
        .getLong("id");
    Api.Response whileOpen = requestPayout(c, null);
    refusedByRule(c, whileOpen, "wallet.payouts.closesAccount");
    assertThat(whileOpen.json().getString("held")).isEqualTo("0.50");
    assertThat(api.post("/v1/activations/" + open + "/cancel", c.apiKey(), (String) null).status()).isEqualTo(200);

    Api.Response requested = requestPayout(c, null);
    assertThat(requested.status()).as("%s", requested).isEqualTo(201);
    assertThat(requested.json().getString("amount")).isEqualTo("30.00");
    assertThat(requested.json().getBoolean("closesAccount")).isTrue();
    Api.Response approved = api.post("/admin/v1/payouts/" + requested.json().getLong("id") + "/approve", ADMIN,
        new JsonObject().put("note", "sent to TXyz"));
    assertThat(approved.status()).as("%s", approved).isEqualTo(200);

    assertThat(count("SELECT count(*) FROM ledger_entries WHERE kind = 'payout' AND account_id = $1", c.id())).isEqualTo(1);
    assertThat(count("SELECT balance FROM wallets WHERE account_id = $1", c.id())).isZero();
    JsonObject account = api.get("/admin/v1/accounts/" + c.id(), ADMIN).json();
    assertThat(account.getString("status")).isEqualTo("closed");
    Api.Response gone = api.get("/v1/wallet", c.apiKey());
    assertThat(gone.status()).as("the key of a closed account no longer works, at once: %s", gone).isEqualTo(401);
  }

  @Test
  @DisplayName("smsactivator: an approval after the balance changed is refused and writes nothing")
  void aClosingPayoutNeedsTheBalanceItWasAskedFor() {
    Presets.putInForce(api, "smsactivator_refund_policy");
    Customer c = node.customer("smsactivator-spender", "25.00");
    long id = requestPayout(c, null).json().getLong("id");
    assertThat(api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", "tg").put("country", 0)).status())
        .isEqualTo(201);
    Api.Response approve = api.post("/admin/v1/payouts/" + id + "/approve", ADMIN, (String) null);
    assertThat(approve.status()).as("%s", approve).isEqualTo(409);
    assertThat(count("SELECT count(*) FROM ledger_entries WHERE kind = 'payout' AND account_id = $1", c.id())).isZero();
    assertThat(api.get("/admin/v1/accounts/" + c.id(), ADMIN).json().getString("status")).isEqualTo("active");
    assertThat(api.post("/admin/v1/payouts/" + id + "/reject", ADMIN, new JsonObject().put("reason", "balance changed"))
        .status()).isEqualTo(200);
  }

  @Test
  @DisplayName("bad input is refused before the policy is asked, and changes nothing")
  void badInput() {
    Presets.putInForce(api, "smsactivator_refund_policy");
    Customer c = node.customer("smsactivator-typo", "30.00");
    for (JsonObject body : new JsonObject[] {new JsonObject().put("amount", "-5.00").put("destination", "x"),
        new JsonObject().put("amount", "30.0000001").put("destination", "x"), new JsonObject().put("destination", 5),
        new JsonObject().put("amount", "30.00"), new JsonObject().put("amount", "30.00").put("destination", "x").put("to", "y")}) {
      Api.Response r = api.post("/v1/wallet/payouts", c.apiKey(), body);
      assertThat(r.status()).as("%s -> %s", body, r).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
    }
    assertThat(payoutRequests(c)).isZero();
  }
}
