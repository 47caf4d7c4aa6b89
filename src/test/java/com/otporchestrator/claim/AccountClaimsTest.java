package com.otporchestrator.claim;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * smssb: "In case of overpayment or technical errors during deposit processing, contact our support
 * team for manual review and resolution." A claim on the account (no order) names a deposit reference, follows the same
 * workflow, evidence, deadlines and history, and is resolved by a ledger adjustment an admin records with its reason.
 * smssb's 48 hours are scaled to 2 s (smssb republished).
 */
@DisplayName("Claims without an order: deposit and billing problems resolved by an adjustment")
class AccountClaimsTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static ClaimFixture f;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(AccountClaimsTest.class);
    node = TestNode.start(TestNode.defaults(stores));
    api = node.api();
    f = new ClaimFixture(node);
    node.offer("tg", 0, "0.50");
    f.publish(ClaimFixture.preset("smssb-refund-policy").replace("version: 1", "version: 2")
        .replace("resolutionWithin: PT48H", "resolutionWithin: PT2S"));
    f.inForce("smssb_refund_policy");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static Api.Response fileOnAccount(Customer c, String type, String reference) {
    return api.post("/v1/claims", c.apiKey(), new JsonObject().put("type", type).put("depositReference", reference)
        .put("text", "I sent 25 USDT but 20 were credited"));
  }

  private static long adjustments(long accountId) {
    return Await.result(node.node().core().pool().preparedQuery(
            "SELECT count(*) FROM ledger_entries WHERE kind = 'adjustment' AND account_id = $1").execute(Tuple.of(accountId)))
        .iterator().next().getLong(0);
  }

  @Test
  @DisplayName("an overpayment: filed on the deposit, reviewed with evidence, its deadline recorded, credited by an adjustment")
  void anOverpaymentIsCreditedByAnAdjustment() {
    Customer c = node.customer("overpayer", "20.00");
    Api.Response filed = fileOnAccount(c, "deposit_problem", "0xdeadbeef-tx");
    assertThat(filed.status()).as("%s", filed).isEqualTo(201);
    long claim = filed.json().getLong("id");
    assertThat(filed.json().getString("orderKind")).isEqualTo("account");
    assertThat(filed.json().getValue("orderId")).isNull();
    assertThat(filed.json().getString("depositReference")).isEqualTo("0xdeadbeef-tx");
    assertThat(fileOnAccount(c, "deposit_problem", "0xdeadbeef-tx").status()).as("one open claim per deposit").isEqualTo(409);

    assertThat(f.admin("request-evidence", claim, new JsonObject().put("note", "send the transaction receipt")).status())
        .isEqualTo(200);
    assertThat(f.upload(c.apiKey(), claim, ClaimFixture.png(2048), "image/png").status()).isEqualTo(201);
    Await.until("the 48 hours (scaled) passed and were recorded", Duration.ofSeconds(15), () ->
        api.get("/v1/claims/" + claim, c.apiKey()).json().getString("resolutionMissedAt") != null);

    Api.Response refund = f.admin("approve", claim, new JsonObject().put("remedy", "refund"));
    assertThat(refund.status()).as("an account claim has no order to refund: %s", refund).isEqualTo(422);
    Api.Response adjusted = f.admin("approve", claim, new JsonObject().put("remedy", "adjustment").put("amount", "5.00")
        .put("note", "overpayment of 5 USDT confirmed on chain"));
    assertThat(adjusted.status()).as("%s", adjusted).isEqualTo(200);
    assertThat(adjusted.json().getJsonObject("decision").getString("remedy")).isEqualTo("adjustment");
    assertThat(adjusted.json().getJsonObject("decision").getString("adjustment")).isEqualTo("5.00");
    assertThat(f.balance(c)).isEqualTo("25.00");
    assertThat(adjustments(c.id())).isEqualTo(1);
    assertThat(f.admin("approve", claim, new JsonObject().put("remedy", "adjustment").put("amount", "5.00")
        .put("note", "again")).status()).as("decisions are final").isEqualTo(409);
    assertThat(adjustments(c.id())).isEqualTo(1);

    JsonArray history = api.get("/v1/claims/" + claim, c.apiKey()).json().getJsonArray("history");
    assertThat(history.stream().map(e -> ((JsonObject) e).getString("to"))).contains("SUBMITTED", "NEEDS_EVIDENCE", "APPROVED");
    JsonArray entries = api.get("/v1/wallet/transactions?kind=adjustment", c.apiKey()).json().getJsonArray("items");
    assertThat(entries).hasSize(1);
    assertThat(entries.getJsonObject(0).getString("reference")).isEqualTo("claim:" + claim);
    node.assertMoneyInvariants();
  }

  @Test
  @DisplayName("a double credit corrected by a negative adjustment, which the balance must cover")
  void aNegativeAdjustmentDebits() {
    Customer c = node.customer("double-credited", "3.00");
    long claim = fileOnAccount(c, "billing_concern", "INV-2026-0042").json().getLong("id");
    Api.Response tooMuch = f.admin("approve", claim, new JsonObject().put("remedy", "adjustment").put("amount", "-3.50")
        .put("note", "deposit credited twice"));
    assertThat(tooMuch.status()).as("%s", tooMuch).isEqualTo(402);
    assertThat(api.get("/v1/claims/" + claim, c.apiKey()).json().getString("state")).isEqualTo("SUBMITTED");
    Api.Response debited = f.admin("approve", claim, new JsonObject().put("remedy", "adjustment").put("amount", "-1.50")
        .put("note", "deposit credited twice"));
    assertThat(debited.status()).as("%s", debited).isEqualTo(200);
    assertThat(f.balance(c)).isEqualTo("1.50");
    node.assertMoneyInvariants();
  }

  @Test
  @DisplayName("bad input: no or both targets, a claim type of the other kind, a bad amount or no reason; nothing written")
  void badInput() {
    Customer c = node.customer("account-typo", "3.00");
    long order = f.captured(c);
    JsonObject base = new JsonObject().put("type", "deposit_problem").put("text", "x");
    for (JsonObject body : new JsonObject[] {base.copy(), base.copy().put("orderId", order).put("depositReference", "r"),
        base.copy().put("depositReference", ""), base.copy().put("depositReference", 7),
        base.copy().put("depositReference", "r".repeat(201))}) {
      Api.Response r = api.post("/v1/claims", c.apiKey(), body);
      assertThat(r.status()).as("%s -> %s", body, r).isEqualTo(400);
    }
    Api.Response accountTypeOnOrder = f.file(c, order, "deposit_problem");
    assertThat(accountTypeOnOrder.status()).isEqualTo(422);
    assertThat(accountTypeOnOrder.json().getString("rule")).isEqualTo("claim.applies_to");
    Api.Response orderTypeOnAccount = fileOnAccount(c, "refund_not_applied", "r-1");
    assertThat(orderTypeOnAccount.status()).isEqualTo(422);
    assertThat(orderTypeOnAccount.json().getString("rule")).isEqualTo("claim.applies_to");
    assertThat(api.get("/v1/claims", c.apiKey()).items()).isEmpty();

    long claim = fileOnAccount(c, "deposit_problem", "r-2").json().getLong("id");
    for (JsonObject body : new JsonObject[] {new JsonObject().put("remedy", "adjustment").put("note", "x"),
        new JsonObject().put("remedy", "adjustment").put("amount", "0").put("note", "x"),
        new JsonObject().put("remedy", "adjustment").put("amount", "--1").put("note", "x"),
        new JsonObject().put("remedy", "adjustment").put("amount", 5).put("note", "x"),
        new JsonObject().put("remedy", "adjustment").put("amount", "1.00"),
        new JsonObject().put("remedy", "refund").put("amount", "1.00")}) {
      Api.Response r = f.admin("approve", claim, body);
      assertThat(r.status()).as("%s -> %s", body, r).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
    }
    long orderClaim = f.filed(c, order, "refund_not_applied").getLong("id");
    Api.Response adjustOrder = f.admin("approve", orderClaim, new JsonObject().put("remedy", "adjustment").put("amount", "1.00")
        .put("note", "x"));
    assertThat(adjustOrder.status()).as("%s", adjustOrder).isEqualTo(422);
    assertThat(adjustments(c.id())).isZero();
    assertThat(f.balance(c)).isEqualTo("2.50");
  }
}
