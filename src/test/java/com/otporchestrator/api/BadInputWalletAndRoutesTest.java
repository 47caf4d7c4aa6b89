package com.otporchestrator.api;

import static com.otporchestrator.api.ProblemAssert.assertProblem;
import static com.otporchestrator.api.ProblemAssert.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Bad requests to the wallet, the offers, unknown routes and wrong methods get a precise 4xx problem")
class BadInputWalletAndRoutesTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static Customer customer;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(BadInputWalletAndRoutesTest.class);
    node = TestNode.start(stores);
    api = node.api();
    node.offer("tg", 0, "0.50");
    customer = node.customer("reader", "10.00");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  @ParameterizedTest(name = "GET {0} without an API key -> 401")
  @ValueSource(strings = {"/v1/wallet", "/v1/wallet/transactions", "/v1/offers", "/v1/activations", "/v1/activations/1",
      "/v1/no-such-route"})
  void refusesCustomerReadsWithoutKey(String path) {
    assertUnauthorized(api.get(path, null), "missing or malformed API key");
    assertUnauthorized(api.get(path, "sk_unknown_key_0123456789"), "unknown API key");
    assertUnauthorized(api.get(path, ""), "missing or malformed API key");
    assertUnauthorized(RawHttp.send(api, "GET", path, null, "Authorization", "Token " + customer.apiKey()),
        "missing or malformed API key");
  }

  @ParameterizedTest(name = "POST /v1/activations/1/{0} without an API key -> 401")
  @ValueSource(strings = {"cancel", "finish", "retry"})
  void refusesCustomerActionsWithoutKey(String action) {
    assertUnauthorized(api.post("/v1/activations/1/" + action, null, (String) null), "missing or malformed API key");
    assertUnauthorized(api.post("/v1/activations/1/" + action, TestNode.ADMIN_TOKEN, (String) null), "unknown API key");
  }

  @Test
  void readsTheWalletWithAValidKey() {
    assertThat(api.get("/v1/wallet", customer.apiKey()).json())
        .isEqualTo(new JsonObject().put("balance", "10.00").put("held", "0.00").put("currency", "USD"));
  }

  @ParameterizedTest(name = "GET /v1/wallet/transactions?{0} -> 400 \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "limit=0|'limit' must be an integer between 1 and 500",
      "limit=501|'limit' must be an integer between 1 and 500",
      "limit=ten|'limit' must be an integer between 1 and 500",
      "limit=-3|'limit' must be an integer between 1 and 500",
      "limit=2.0|'limit' must be an integer between 1 and 500",
      "cursor=next|'cursor' is not a cursor this API returned",
      "cursor=-1|'cursor' is not a cursor this API returned",
      "cursor=0x10|'cursor' is not a cursor this API returned",
      "limit=10&cursor=abc|'cursor' is not a cursor this API returned"})
  void refusesBadTransactionParameters(String query, String detail) {
    assertProblem(api.get("/v1/wallet/transactions?" + query, customer.apiKey()), 400, detail);
  }

  @Test
  void pagesTransactionsWithTheCursorItReturned() {
    Api.Response page = api.get("/v1/wallet/transactions?limit=1", customer.apiKey());
    assertThat(page.items()).hasSize(1);
    String next = page.json().getString("nextCursor");
    assertThat(api.get("/v1/wallet/transactions?limit=1&cursor=" + next, customer.apiKey()).items()).isEmpty();
  }

  @ParameterizedTest(name = "GET /v1/offers?{0} -> 400 \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "service=TG|'service' is not a service code",
      "service=|'service' is not a service code",
      "service=abcdefghijklmnopqrstu|'service' is not a service code",
      "service=tg%27%3B|'service' is not a service code",
      "country=abc|'country' must be a numeric country id",
      "country=-1|'country' must be a numeric country id",
      "country=1234567|'country' must be a numeric country id",
      "country=|'country' must be a numeric country id",
      "service=tg&country=1.0|'country' must be a numeric country id"})
  void refusesBadOfferFilters(String query, String detail) {
    assertProblem(api.get("/v1/offers?" + query, customer.apiKey()), 400, detail);
  }

  @Test
  void filtersOffersWithGoodParameters() {
    assertThat(api.get("/v1/offers?service=tg&country=0", customer.apiKey()).items()).hasSize(1);
    assertThat(api.get("/v1/offers?service=wa", customer.apiKey()).items()).isEmpty();
    assertThat(api.get("/v1/offers?country=99999", customer.apiKey()).items()).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1} -> 404")
  @CsvSource({
      "GET, /v1/nothing-here",
      "GET, /v1/wallet/nothing",
      "POST, /v1/activations/1/nothing",
      "GET, /v2/wallet",
      "GET, /",
      "GET, /admin/v1/nothing-here"})
  void answersNotFoundForUnknownRoutes(String method, String path) {
    String bearer = path.startsWith("/admin") ? TestNode.ADMIN_TOKEN : customer.apiKey();
    JsonObject problem = assertProblem(RawHttp.send(api, method, path, null, "Authorization", "Bearer " + bearer),
        404, "no route for " + path);
    assertThat(problem.getString("type")).endsWith("/not-found");
  }

  @ParameterizedTest(name = "{0} {1} -> 405")
  @CsvSource({
      "DELETE, /v1/wallet",
      "POST, /v1/wallet",
      "PUT, /v1/wallet/transactions",
      "POST, /v1/offers",
      "PATCH, /v1/activations",
      "DELETE, /v1/activations/1",
      "GET, /v1/activations/1/finish",
      "DELETE, /admin/v1/accounts/1",
      "PATCH, /admin/v1/accounts",
      "GET, /admin/v1/accounts/1/deposits",
      "POST, /admin/v1/providers/x",
      "GET, /admin/v1/services/tg",
      "POST, /admin/v1/offers",
      "POST, /admin/v1/invariants",
      "GET, /providers/sandbox/sms"})
  void answersMethodNotAllowed(String method, String path) {
    String bearer = path.startsWith("/v1") ? customer.apiKey() : TestNode.ADMIN_TOKEN;
    JsonObject problem = assertProblem(RawHttp.send(api, method, path, null, "Authorization", "Bearer " + bearer),
        405, "does not accept that method");
    assertThat(problem.getString("type")).endsWith("/method-not-allowed");
  }

  @Test
  @DisplayName("a wrong method on a write endpoint changes nothing")
  void wrongMethodChangesNothing() {
    CustomerState before = CustomerState.of(api, customer);
    RawHttp.send(api, "PUT", "/v1/activations", "{\"service\":\"tg\",\"country\":0}",
        "Authorization", "Bearer " + customer.apiKey(), "Content-Type", "application/json");
    RawHttp.send(api, "PUT", "/admin/v1/accounts/" + customer.id() + "/deposits", "{\"amount\":\"5\",\"reference\":\"r\"}",
        "Authorization", "Bearer " + TestNode.ADMIN_TOKEN, "Content-Type", "application/json");
    before.assertUnchanged(api, customer);
  }
}
