package com.otporchestrator.api;

import static com.otporchestrator.api.ProblemAssert.assertProblem;
import static com.otporchestrator.api.ProblemAssert.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Bad input to the admin API gets a precise 4xx problem and changes nothing")
class BadInputAdminTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static Customer customer;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(BadInputAdminTest.class);
    node = TestNode.start(stores);
    api = node.api();
    node.offer("tg", 0, "0.50");
    customer = node.customer("holder", "10.00");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  /** Every row the admin API can write, as text, to show a rejected write left them all alone. */
  private static List<String> adminTables() {
    List<String> rows = new ArrayList<>();
    for (String sql : List.of(
        "SELECT id, name, status FROM accounts ORDER BY id",
        "SELECT account_id, balance, held FROM wallets ORDER BY account_id",
        "SELECT id, account_id, kind, balance_delta, held_delta, reference FROM ledger_entries ORDER BY id",
        "SELECT id, protocol, base_url, enabled, priority FROM providers ORDER BY id",
        "SELECT code, name FROM services ORDER BY code",
        // not stock: the stock refresher rewrites it from the supplier in the background
        "SELECT service, country, provider_id, price, cost FROM offers ORDER BY service, country, provider_id",
        "SELECT count(*) FROM api_keys",
        "SELECT count(*) FROM activations")) {
      for (Row row : Await.result(node.node().core().pool().query(sql).execute())) rows.add(sql + " -> " + row.deepToString());
    }
    return rows;
  }

  private static Api.Response send(String method, String path, String body) {
    return api.send(method, path, ADMIN, "application/json", body);
  }

  private static void assertRefusedAndNothingChanged(String method, String path, String body, int status, String detail) {
    List<String> before = adminTables();
    assertProblem(send(method, path, body), status, detail);
    assertThat(adminTables()).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0} {1} without the admin token -> 401")
  @CsvSource({
      "POST, /admin/v1/accounts",
      "GET, /admin/v1/accounts/1",
      "POST, /admin/v1/accounts/1/deposits",
      "PUT, /admin/v1/providers/sandbox",
      "PUT, /admin/v1/services/tg",
      "PUT, /admin/v1/offers",
      "GET, /admin/v1/invariants",
      "GET, /admin/v1/no-such-route"})
  void refusesRequestsWithoutTheAdminToken(String method, String path) {
    List<String> before = adminTables();
    String body = "GET".equals(method) ? null : "{\"name\":\"x\"}";
    for (String bearer : new String[] {null, "", "wrong-token", ADMIN + "x", ADMIN.substring(1), customer.apiKey()}) {
      assertUnauthorized(api.send(method, path, bearer, body == null ? null : "application/json", body),
          "a valid admin token is required");
    }
    assertUnauthorized(RawHttp.send(api, method, path, body, "Authorization", "Basic " + ADMIN,
        "Content-Type", "application/json"), "a valid admin token is required");
    assertThat(adminTables()).isEqualTo(before);
  }

  @ParameterizedTest(name = "POST /admin/v1/accounts {0} -> 400 \"{1}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{|the request body is not valid JSON",
      "[{\"name\":\"a\"}]|the request body must be a JSON object",
      "``|the request body is empty",
      "{}|'name' is required",
      "{\"name\":\"\"}|'name' must not be empty",
      "{\"name\":\"  \"}|'name' must not be empty",
      "{\"name\":42}|'name' must be a string",
      "{\"name\":\"a\",\"balance\":\"100\"}|unknown field 'balance'",
      "{\"name\":\"a\",\"status\":\"active\"}|unknown field 'status'"})
  void refusesABadAccount(String body, String detail) {
    assertRefusedAndNothingChanged("POST", "/admin/v1/accounts", body, 400, detail);
  }

  @Test
  void refusesAnAccountNameThatIsTooLongOrHasANul() {
    assertRefusedAndNothingChanged("POST", "/admin/v1/accounts", new JsonObject().put("name", "n".repeat(201)).encode(),
        400, "'name' is longer than 200 characters");
    assertRefusedAndNothingChanged("POST", "/admin/v1/accounts", new JsonObject().put("name", "a\u0000b").encode(),
        400, "'name'");
  }

  @Test
  void refusesAnAccountInAnotherMediaTypeOrOverTheSizeLimit() {
    List<String> before = adminTables();
    assertProblem(api.send("POST", "/admin/v1/accounts", ADMIN, "text/plain", "{\"name\":\"a\"}"), 415, "application/json");
    assertProblem(api.send("POST", "/admin/v1/accounts", ADMIN, null, "{\"name\":\"a\"}"), 415, "application/json");
    assertProblem(send("POST", "/admin/v1/accounts", new JsonObject().put("name", "n".repeat(70_000)).encode()),
        413, "over the limit");
    assertThat(adminTables()).isEqualTo(before);
  }

  @ParameterizedTest(name = "GET /admin/v1/accounts/{0} -> 404")
  @ValueSource(strings = {"99999999", "0", "abc", "-1", "1.0", "1234567890123456789"})
  void answersNotFoundForABadOrUnknownAccount(String id) {
    JsonObject problem = assertProblem(api.get("/admin/v1/accounts/" + id, ADMIN), 404, "account");
    assertThat(problem.getString("detail")).contains(id).contains("does not exist");
  }

  @Test
  void readsAnExistingAccount() {
    JsonObject account = api.get("/admin/v1/accounts/" + customer.id(), ADMIN).json();
    assertThat(account.getJsonObject("wallet").getString("balance")).isEqualTo("10.00");
  }

  @ParameterizedTest(name = "deposit {0} -> 400 \"{1}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{|the request body is not valid JSON",
      "[]|the request body must be a JSON object",
      "{\"reference\":\"r1\"}|'amount' is required",
      "{\"amount\":null,\"reference\":\"r1\"}|'amount' is required",
      "{\"amount\":5,\"reference\":\"r1\"}|'amount' must be a decimal string such as \"0.50\"",
      "{\"amount\":5.25,\"reference\":\"r1\"}|'amount' must be a decimal string such as \"0.50\"",
      "{\"amount\":\"0\",\"reference\":\"r1\"}|'amount' must be positive",
      "{\"amount\":\"-5\",\"reference\":\"r1\"}|'amount' is not a valid USD amount",
      "{\"amount\":\"+5\",\"reference\":\"r1\"}|'amount' is not a valid USD amount",
      "{\"amount\":\"five\",\"reference\":\"r1\"}|'amount' is not a valid USD amount",
      "{\"amount\":\"5e2\",\"reference\":\"r1\"}|'amount' is not a valid USD amount",
      "{\"amount\":\"1e100000000\",\"reference\":\"r1\"}|'amount' is not a valid USD amount",
      "{\"amount\":\"5,00\",\"reference\":\"r1\"}|'amount' is not a valid USD amount",
      "{\"amount\":\"1.0000001\",\"reference\":\"r1\"}|more than 6 decimals",
      "{\"amount\":\"5\"}|'reference' is required",
      "{\"amount\":\"5\",\"reference\":\"\"}|'reference' must not be empty",
      "{\"amount\":\"5\",\"reference\":7}|'reference' must be a string",
      "{\"amount\":\"5\",\"reference\":\"r1\",\"currency\":\"USD\"}|unknown field 'currency'"})
  void refusesABadDeposit(String body, String detail) {
    assertRefusedAndNothingChanged("POST", "/admin/v1/accounts/" + customer.id() + "/deposits", body, 400, detail);
  }

  @Test
  void refusesADepositReferenceThatIsTooLongOrHasANul() {
    String path = "/admin/v1/accounts/" + customer.id() + "/deposits";
    assertRefusedAndNothingChanged("POST", path, new JsonObject().put("amount", "5").put("reference", "r".repeat(201)).encode(),
        400, "'reference' is longer than 200 characters");
    assertRefusedAndNothingChanged("POST", path, new JsonObject().put("amount", "5").put("reference", "r\u00001").encode(),
        400, "'reference'");
  }

  @Test
  void refusesADepositInAnotherMediaType() {
    List<String> before = adminTables();
    assertProblem(api.send("POST", "/admin/v1/accounts/" + customer.id() + "/deposits", ADMIN,
        "application/x-www-form-urlencoded", "amount=5&reference=r1"), 415, "application/json");
    assertThat(adminTables()).isEqualTo(before);
  }

  @ParameterizedTest(name = "deposit to account {0} -> 404")
  @ValueSource(strings = {"99999999", "abc", "-1", "0"})
  void refusesADepositToAnUnknownAccount(String id) {
    assertRefusedAndNothingChanged("POST", "/admin/v1/accounts/" + id + "/deposits",
        "{\"amount\":\"5\",\"reference\":\"to-nobody-" + id + "\"}", 404, "does not exist");
  }

  @Test
  @DisplayName("credits a deposit once: the same reference replays 200 replayed=true, any other use of it is 409")
  void creditsADepositOnce() {
    Customer payee = node.customer("payee", null);
    Customer other = node.customer("other", null);
    String path = "/admin/v1/accounts/" + payee.id() + "/deposits";
    String body = "{\"amount\":\"7.25\",\"reference\":\"bank-transfer-42\"}";

    Api.Response first = send("POST", path, body);
    assertThat(first.status()).as("%s", first).isEqualTo(201);
    assertThat(first.json().getBoolean("replayed")).isFalse();
    assertThat(first.json().getString("amount")).isEqualTo("7.25");
    long entryId = first.json().getLong("entryId");

    for (int i = 0; i < 3; i++) {
      Api.Response replay = send("POST", path, body);
      assertThat(replay.status()).as("%s", replay).isEqualTo(200);
      assertThat(replay.json().getBoolean("replayed")).isTrue();
      assertThat(replay.json().getLong("entryId")).isEqualTo(entryId);
      assertThat(replay.json().getJsonObject("wallet").getString("balance")).isEqualTo("7.25");
    }
    assertThat(api.get("/v1/wallet", payee.apiKey()).json().getString("balance")).isEqualTo("7.25");
    assertThat(api.get("/v1/wallet/transactions", payee.apiKey()).items()).hasSize(1);

    JsonObject otherAmount = assertProblem(send("POST", path, "{\"amount\":\"7.26\",\"reference\":\"bank-transfer-42\"}"),
        409, "reference 'bank-transfer-42' was already used for a different deposit");
    assertThat(otherAmount.getString("type")).endsWith("/conflict");
    assertThat(otherAmount.getString("reference")).isEqualTo("bank-transfer-42");
    assertRefusedAndNothingChanged("POST", "/admin/v1/accounts/" + other.id() + "/deposits", body,
        409, "reference 'bank-transfer-42' was already used for a different deposit");
    assertRefusedAndNothingChanged("POST", "/admin/v1/accounts/99999999/deposits", body, 404, "does not exist");

    assertThat(api.get("/v1/wallet", payee.apiKey()).json().getString("balance")).isEqualTo("7.25");
    assertThat(api.get("/v1/wallet", other.apiKey()).json().getString("balance")).isEqualTo("0.00");
    assertThat(api.get("/v1/wallet/transactions", other.apiKey()).items()).isEmpty();
  }

  @ParameterizedTest(name = "PUT /admin/v1/providers/{0} {1} -> 400 \"{2}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "Bad!|{\"protocol\":\"smshub\",\"baseUrl\":\"http://x\",\"apiKey\":\"k\"}|provider id must match",
      "UPPER|{\"protocol\":\"smshub\",\"baseUrl\":\"http://x\",\"apiKey\":\"k\"}|provider id must match",
      "-lead|{\"protocol\":\"smshub\",\"baseUrl\":\"http://x\",\"apiKey\":\"k\"}|provider id must match",
      "abcdefghijabcdefghijabcdefghijabcdefghijx|{\"protocol\":\"smshub\",\"baseUrl\":\"http://x\",\"apiKey\":\"k\"}|provider id must match",
      "p1|{|the request body is not valid JSON",
      "p1|[]|the request body must be a JSON object",
      "p1|{\"baseUrl\":\"http://x\",\"apiKey\":\"k\"}|'protocol' is required",
      "p1|{\"protocol\":\"ftp\",\"baseUrl\":\"http://x\",\"apiKey\":\"k\"}|'protocol' must be smshub, sms-activate or fivesim",
      "p1|{\"protocol\":\"SMSHUB\",\"baseUrl\":\"http://x\",\"apiKey\":\"k\"}|'protocol' must be smshub, sms-activate or fivesim",
      "p1|{\"protocol\":\"smshub\",\"apiKey\":\"k\"}|'baseUrl' is required",
      "p1|{\"protocol\":\"smshub\",\"baseUrl\":\"ftp://x\",\"apiKey\":\"k\"}|'baseUrl' must be an http(s) URL",
      "p1|{\"protocol\":\"smshub\",\"baseUrl\":\"x.example\",\"apiKey\":\"k\"}|'baseUrl' must be an http(s) URL",
      "p1|{\"protocol\":\"smshub\",\"baseUrl\":\"http://x\"}|'apiKey' is required",
      "p1|{\"protocol\":\"smshub\",\"baseUrl\":\"http://x\",\"apiKey\":\"\"}|'apiKey' must not be empty",
      "p1|{\"protocol\":\"smshub\",\"baseUrl\":\"http://x\",\"apiKey\":\"k\",\"pushKey\":\"\"}|'pushKey' must not be empty",
      "p1|{\"protocol\":\"smshub\",\"baseUrl\":\"http://x\",\"apiKey\":\"k\",\"enabled\":\"yes\"}|'enabled' must be a boolean",
      "p1|{\"protocol\":\"smshub\",\"baseUrl\":\"http://x\",\"apiKey\":\"k\",\"enabled\":1}|'enabled' must be a boolean",
      "p1|{\"protocol\":\"smshub\",\"baseUrl\":\"http://x\",\"apiKey\":\"k\",\"priority\":-1}|'priority' must be between 0 and 10000",
      "p1|{\"protocol\":\"smshub\",\"baseUrl\":\"http://x\",\"apiKey\":\"k\",\"priority\":10001}|'priority' must be between 0 and 10000",
      "p1|{\"protocol\":\"smshub\",\"baseUrl\":\"http://x\",\"apiKey\":\"k\",\"priority\":\"high\"}|'priority' must be an integer",
      "p1|{\"protocol\":\"smshub\",\"baseUrl\":\"http://x\",\"apiKey\":\"k\",\"id\":\"p2\"}|unknown field 'id'"})
  void refusesABadProvider(String id, String body, String detail) {
    assertRefusedAndNothingChanged("PUT", "/admin/v1/providers/" + id, body, 400, detail);
  }

  @Test
  void refusesAProviderInAnotherMediaType() {
    List<String> before = adminTables();
    assertProblem(api.send("PUT", "/admin/v1/providers/p1", ADMIN, "text/json",
        "{\"protocol\":\"smshub\",\"baseUrl\":\"http://x\",\"apiKey\":\"k\"}"), 415, "application/json");
    assertThat(adminTables()).isEqualTo(before);
  }

  @ParameterizedTest(name = "PUT /admin/v1/services/{0} {1} -> 400 \"{2}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "TG|{\"name\":\"Telegram\"}|service code must match",
      "t-g|{\"name\":\"Telegram\"}|service code must match",
      "abcdefghijklmnopqrstu|{\"name\":\"Telegram\"}|service code must match",
      "tg|{}|'name' is required",
      "tg|{\"name\":\"\"}|'name' must not be empty",
      "tg|{\"name\":false}|'name' must be a string",
      "tg|{\"name\":\"Telegram\",\"price\":\"1\"}|unknown field 'price'",
      "tg|[\"Telegram\"]|the request body must be a JSON object",
      "tg|Telegram|the request body is not valid JSON"})
  void refusesABadService(String code, String body, String detail) {
    assertRefusedAndNothingChanged("PUT", "/admin/v1/services/" + code, body, 400, detail);
  }

  @Test
  void refusesAServiceNameThatIsTooLongOrHasANul() {
    assertRefusedAndNothingChanged("PUT", "/admin/v1/services/tg", new JsonObject().put("name", "n".repeat(101)).encode(),
        400, "'name' is longer than 100 characters");
    assertRefusedAndNothingChanged("PUT", "/admin/v1/services/tg", new JsonObject().put("name", "Tele\u0000gram").encode(),
        400, "'name'");
  }

  @ParameterizedTest(name = "PUT /admin/v1/offers {0} -> 400 \"{1}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{|the request body is not valid JSON",
      "[]|the request body must be a JSON object",
      "{\"country\":0,\"provider\":\"sandbox\",\"price\":\"1\"}|'service' is required",
      "{\"service\":\"tg\",\"provider\":\"sandbox\",\"price\":\"1\"}|'country' is required",
      "{\"service\":\"tg\",\"country\":0,\"price\":\"1\"}|'provider' is required",
      "{\"service\":\"tg\",\"country\":0,\"provider\":\"sandbox\"}|'price' is required",
      "{\"service\":\"tg\",\"country\":\"zero\",\"provider\":\"sandbox\",\"price\":\"1\"}|'country' must be an integer",
      "{\"service\":\"tg\",\"country\":-1,\"provider\":\"sandbox\",\"price\":\"1\"}|'country' must be between 0 and 100000",
      "{\"service\":\"tg\",\"country\":0,\"provider\":\"sandbox\",\"price\":1}|'price' must be a decimal string",
      "{\"service\":\"tg\",\"country\":0,\"provider\":\"sandbox\",\"price\":\"0\"}|'price' must be positive",
      "{\"service\":\"tg\",\"country\":0,\"provider\":\"sandbox\",\"price\":\"-1\"}|'price' is not a valid USD amount",
      "{\"service\":\"tg\",\"country\":0,\"provider\":\"sandbox\",\"price\":\"1\",\"cost\":0.1}|'cost' must be a decimal string",
      "{\"service\":\"tg\",\"country\":0,\"provider\":\"sandbox\",\"price\":\"1\",\"cost\":\"-0.1\"}|'cost' is not a valid USD amount",
      "{\"service\":\"tg\",\"country\":0,\"provider\":\"sandbox\",\"price\":\"1\",\"stock\":-1}|'stock' must be between 0 and 10000000",
      "{\"service\":\"tg\",\"country\":0,\"provider\":\"sandbox\",\"price\":\"1\",\"stock\":\"many\"}|'stock' must be an integer",
      "{\"service\":\"tg\",\"country\":0,\"provider\":\"sandbox\",\"price\":\"1\",\"margin\":\"1\"}|unknown field 'margin'",
      "{\"service\":\"nosuch\",\"country\":0,\"provider\":\"sandbox\",\"price\":\"1\"}|unknown service, country or provider",
      "{\"service\":\"tg\",\"country\":99999,\"provider\":\"sandbox\",\"price\":\"1\"}|unknown service, country or provider",
      "{\"service\":\"tg\",\"country\":0,\"provider\":\"nosuch\",\"price\":\"1\"}|unknown service, country or provider"})
  void refusesABadOffer(String body, String detail) {
    assertRefusedAndNothingChanged("PUT", "/admin/v1/offers", body, 400, detail);
  }

  @Test
  void refusesAnOfferWithANulInTheService() {
    assertRefusedAndNothingChanged("PUT", "/admin/v1/offers", new JsonObject().put("service", "t\u0000g").put("country", 0)
        .put("provider", "sandbox").put("price", "1").encode(), 400, "'service'");
  }

  @Test
  void refusesAnOfferOverTheSizeLimit() {
    List<String> before = adminTables();
    assertProblem(send("PUT", "/admin/v1/offers", "{\"service\":\"" + "t".repeat(66_000) + "\"}"), 413, "over the limit");
    assertThat(adminTables()).isEqualTo(before);
  }

  @Test
  @DisplayName("answers the invariants only to the admin, and they hold after all the rejected writes")
  void answersInvariants() {
    assertUnauthorized(api.get("/admin/v1/invariants", null), "a valid admin token is required");
    Api.Response response = api.get("/admin/v1/invariants", ADMIN);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().getBoolean("ok")).as("%s", response).isTrue();
  }
}
