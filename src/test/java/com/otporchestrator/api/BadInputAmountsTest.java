package com.otporchestrator.api;

import static com.otporchestrator.api.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MAX_AMOUNT_USD=1000 and MAX_WALLET_BALANCE_USD=5000 here, so the bounds are easy to reach. */
@DisplayName("Every amount input is bounded: beyond MAX_AMOUNT_USD or a wallet's MAX_WALLET_BALANCE_USD is a 422 that changes nothing")
class BadInputAmountsTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  /** Above 1000, above the 64-bit range of micro-USD, and far above it. */
  private static final List<String> TOO_LARGE = List.of("1000.000001", "1001", "9223372036854.775808",
      "99999999999999999999999999", "100000000000000000000.5");
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static Customer customer;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(BadInputAmountsTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("MAX_AMOUNT_USD", "1000");
    env.put("MAX_WALLET_BALANCE_USD", "5000");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    customer = node.customer("bounded", "10.00");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  /** Every row an amount could have changed. */
  private static List<String> moneyAndPrices() {
    List<String> rows = new ArrayList<>();
    for (String sql : List.of(
        "SELECT account_id, balance, held FROM wallets ORDER BY account_id",
        "SELECT id, account_id, kind, balance_delta, held_delta, reference FROM ledger_entries ORDER BY id",
        "SELECT service, country, provider_id, price, cost FROM offers ORDER BY service, country, provider_id",
        "SELECT count(*) FROM payout_requests",
        "SELECT count(*) FROM activations")) {
      for (Row row : Await.result(node.node().core().pool().query(sql).execute())) rows.add(sql + " -> " + row.deepToString());
    }
    return rows;
  }

  private static void assertOutOfRange(Api.Response response, String field) {
    JsonObject problem = assertProblem(response, 422, "'" + field + "'");
    assertThat(problem.getString("type")).endsWith("/amount-out-of-range");
    assertThat(problem.getString("field")).isEqualTo(field);
  }

  private static Api.Response deposit(long accountId, String amount, String reference) {
    return api.post("/admin/v1/accounts/" + accountId + "/deposits", ADMIN,
        new JsonObject().put("amount", amount).put("reference", reference));
  }

  @ParameterizedTest(name = "a deposit of {0} USD -> 422")
  @ValueSource(strings = {"1000.000001", "1001", "9223372036854.775808", "99999999999999999999999999",
      "100000000000000000000.5"})
  void aDepositAboveTheMaximumAmountIsRefused(String amount) {
    List<String> before = moneyAndPrices();
    assertOutOfRange(deposit(customer.id(), amount, "too-large-" + amount), "amount");
    assertThat(moneyAndPrices()).isEqualTo(before);
  }

  @Test
  void aDepositThatWouldOverfillTheWalletIsRefusedAndItsReplaysStillAnswered() {
    Customer full = node.customer("fills-up", "0.50");
    for (int i = 0; i < 4; i++) assertThat(deposit(full.id(), "1000", "fill-" + i).status()).isEqualTo(201);
    // 4000.50 held: 999.50 more fits exactly, then not a micro-dollar
    assertThat(deposit(full.id(), "999.50", "fill-last").status()).isEqualTo(201);
    List<String> before = moneyAndPrices();
    Api.Response over = deposit(full.id(), "0.000001", "one-micro-too-many");
    JsonObject problem = assertProblem(over, 422, "above the most a wallet may hold (5000.00 USD)");
    assertThat(problem.getString("type")).endsWith("/amount-out-of-range");
    assertThat(moneyAndPrices()).isEqualTo(before);
    // a replay of a deposit already credited is still a replay, not a refusal
    Api.Response replay = deposit(full.id(), "1000", "fill-0");
    assertThat(replay.status()).as("%s", replay).isEqualTo(200);
    assertThat(replay.json().getBoolean("replayed")).isTrue();
    // money held by an order counts: buy one, and the wallet is still full
    assertThat(api.post("/v1/activations", full.apiKey(), new JsonObject().put("service", "tg").put("country", 0)).status())
        .isEqualTo(201);
    assertProblem(deposit(full.id(), "0.01", "still-full"), 422, "above the most a wallet may hold");
    assertThat(api.get("/v1/wallet", full.apiKey()).json().getString("balance")).isEqualTo("4999.50");
  }

  @Test
  void anAdjustmentAboveTheMaximumIsRefusedEitherWay() {
    List<String> before = moneyAndPrices();
    for (String amount : new String[] {"1000.01", "-1000.01", "-99999999999999999999999"}) {
      assertOutOfRange(api.post("/admin/v1/claims/1/approve", ADMIN, new JsonObject().put("remedy", "adjustment")
          .put("amount", amount).put("note", "goodwill")), "amount");
    }
    assertThat(moneyAndPrices()).isEqualTo(before);
  }

  @Test
  void aServiceCreditLineAboveTheMaximumIsRefused() {
    List<String> before = moneyAndPrices();
    for (String amount : TOO_LARGE) {
      assertOutOfRange(api.post("/admin/v1/service-credits", ADMIN, new JsonObject().put("reason", "outage")
          .put("orders", new JsonArray().add(new JsonObject().put("orderId", 1).put("amount", amount)))), "amount");
    }
    assertThat(moneyAndPrices()).isEqualTo(before);
  }

  @Test
  void aPayoutAboveTheMaximumIsRefused() {
    List<String> before = moneyAndPrices();
    for (String amount : TOO_LARGE) {
      assertOutOfRange(api.post("/v1/wallet/payouts", customer.apiKey(), new JsonObject().put("amount", amount)
          .put("destination", "iban:DE00")), "amount");
    }
    assertThat(moneyAndPrices()).isEqualTo(before);
  }

  @Test
  void anOfferPriceOrCostAboveTheMaximumIsRefused() {
    List<String> before = moneyAndPrices();
    for (String amount : TOO_LARGE) {
      assertOutOfRange(api.put("/admin/v1/offers", ADMIN, new JsonObject().put("service", "tg").put("country", 0)
          .put("provider", "sandbox").put("price", amount)), "price");
      assertOutOfRange(api.put("/admin/v1/offers", ADMIN, new JsonObject().put("service", "tg").put("country", 0)
          .put("provider", "sandbox").put("price", "0.50").put("cost", amount)), "cost");
      assertOutOfRange(api.put("/admin/v1/rent-offers", ADMIN, new JsonObject().put("provider", "sandbox")
          .put("country", 0).put("service", "full").put("hourlyPrice", amount).put("stock", 5)), "hourlyPrice");
    }
    assertThat(moneyAndPrices()).isEqualTo(before);
  }

  @Test
  void aMaxPriceBeyondWhatMicroDollarsCanCountIsRefused() {
    List<String> before = moneyAndPrices();
    assertOutOfRange(api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0)
        .put("maxPrice", "99999999999999999999999999")), "maxPrice");
    assertThat(moneyAndPrices()).isEqualTo(before);
  }

  @Test
  void theLargestAllowedAmountIsAccepted() {
    Customer edge = node.customer("edge", null);
    Api.Response accepted = deposit(edge.id(), "1000", "exactly-the-maximum");
    assertThat(accepted.status()).as("%s", accepted).isEqualTo(201);
    assertThat(accepted.json().getJsonObject("wallet").getString("balance")).isEqualTo("1000.00");
  }
}
