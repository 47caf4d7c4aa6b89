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

@DisplayName("Bad input to /v1/activations gets a precise 4xx problem and changes nothing")
class BadInputActivationsTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static Customer buyer;
  private static Customer stranger;
  private static long buyersOrder;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(BadInputActivationsTest.class);
    node = TestNode.start(stores);
    api = node.api();
    node.offer("tg", 0, "0.50");
    buyer = node.customer("buyer", "10.00", "bulk");
    stranger = node.customer("stranger", "10.00");
    Api.Response bought = api.post("/v1/activations", buyer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(bought.status()).as("%s", bought).isEqualTo(201);
    buyersOrder = bought.json().getLong("id");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static Api.Response purchase(String body) {
    return api.send("POST", "/v1/activations", buyer.apiKey(), "application/json", body);
  }

  @ParameterizedTest(name = "{0} -> 400 \"{1}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{|the request body is not valid JSON",
      "{\"service\":\"tg\",\"country\":0|the request body is not valid JSON",
      "{'service':'tg','country':0}|the request body is not valid JSON",
      "{\"service\":\"tg\",\"country\":0}}|the request body is not valid JSON",
      "[{\"service\":\"tg\",\"country\":0}]|the request body must be a JSON object",
      "\"tg\"|the request body must be a JSON object",
      "42|the request body must be a JSON object",
      "null|the request body must be a JSON object",
      "`   `|the request body is empty",
      "{}|'service' is required",
      "{\"country\":0}|'service' is required",
      "{\"service\":null,\"country\":0}|'service' is required",
      "{\"service\":\"tg\"}|'country' is required",
      "{\"service\":\"\",\"country\":0}|'service' must not be empty",
      "{\"service\":\"   \",\"country\":0}|'service' must not be empty",
      "{\"service\":42,\"country\":0}|'service' must be a string",
      "{\"service\":[\"tg\"],\"country\":0}|'service' must be a string",
      "{\"service\":\"abcdefghijklmnopqrstu\",\"country\":0}|'service' is longer than 20 characters",
      "{\"service\":\"tg\",\"country\":\"abc\"}|'country' must be an integer",
      "{\"service\":\"tg\",\"country\":\"\"}|'country' must be an integer",
      "{\"service\":\"tg\",\"country\":1.5}|'country' must be an integer",
      "{\"service\":\"tg\",\"country\":true}|'country' must be an integer",
      "{\"service\":\"tg\",\"country\":{}}|'country' must be an integer",
      "{\"service\":\"tg\",\"country\":99999999999999999999999}|'country' must be an integer",
      "{\"service\":\"tg\",\"country\":-1}|'country' must be between 0 and 100000",
      "{\"service\":\"tg\",\"country\":100001}|'country' must be between 0 and 100000",
      "{\"service\":\"tg\",\"country\":0,\"maxPrice\":0.5}|'maxPrice' must be a decimal string such as \"0.50\"",
      "{\"service\":\"tg\",\"country\":0,\"maxPrice\":1}|'maxPrice' must be a decimal string such as \"0.50\"",
      "{\"service\":\"tg\",\"country\":0,\"maxPrice\":\"0\"}|'maxPrice' must be positive",
      "{\"service\":\"tg\",\"country\":0,\"maxPrice\":\"0.00\"}|'maxPrice' must be positive",
      "{\"service\":\"tg\",\"country\":0,\"maxPrice\":\"-1\"}|'maxPrice' is not a valid USD amount",
      "{\"service\":\"tg\",\"country\":0,\"maxPrice\":\"cheap\"}|'maxPrice' is not a valid USD amount",
      "{\"service\":\"tg\",\"country\":0,\"maxPrice\":\"\"}|'maxPrice' is not a valid USD amount",
      "{\"service\":\"tg\",\"country\":0,\"maxPrice\":\"1e3\"}|'maxPrice' is not a valid USD amount",
      "{\"service\":\"tg\",\"country\":0,\"maxPrice\":\"1e100000000\"}|'maxPrice' is not a valid USD amount",
      "{\"service\":\"tg\",\"country\":0,\"maxPrice\":\"0.0000001\"}|more than 6 decimals",
      "{\"service\":\"tg\",\"country\":0,\"operator\":\"\"}|'operator' must not be empty",
      "{\"service\":\"tg\",\"country\":0,\"operator\":7}|'operator' must be a string",
      "{\"service\":\"tg\",\"country\":0,\"excludedPrefixes\":\"7918\"}|'excludedPrefixes' must be an array",
      "{\"service\":\"tg\",\"country\":0,\"excludedPrefixes\":[7918]}|'excludedPrefixes' must contain digit strings",
      "{\"service\":\"tg\",\"country\":0,\"excludedPrefixes\":[\"\"]}|'excludedPrefixes' must contain digit strings",
      "{\"service\":\"tg\",\"country\":0,\"excludedPrefixes\":[\"+7\"]}|'excludedPrefixes' must contain digit strings",
      "{\"service\":\"tg\",\"country\":0,\"colour\":\"red\"}|unknown field 'colour'",
      "{\"service\":\"tg\",\"country\":0,\"Service\":\"tg\"}|unknown field 'Service'",
      "{\"service\":\"tg\",\"country\":0,\"price\":\"0.01\"}|unknown field 'price'"})
  void refusesABadBody(String body, String detail) {
    CustomerState before = CustomerState.of(api, buyer);
    JsonObject problem = assertProblem(purchase(body), 400, detail);
    assertThat(problem.getString("type")).endsWith("/invalid-request");
    assertThat(problem.getString("instance")).isEqualTo("/v1/activations");
    before.assertUnchanged(api, buyer);
  }

  @Test
  @DisplayName("refuses more than 50 excluded prefixes")
  void refusesTooManyExcludedPrefixes() {
    io.vertx.core.json.JsonArray prefixes = new io.vertx.core.json.JsonArray();
    for (int i = 0; i < 51; i++) prefixes.add("79" + i);
    CustomerState before = CustomerState.of(api, buyer);
    assertProblem(purchase(new JsonObject().put("service", "tg").put("country", 0).put("excludedPrefixes", prefixes).encode()),
        400, "at most 50");
    before.assertUnchanged(api, buyer);
  }

  @Test
  @DisplayName("refuses a service or operator with a NUL character, which PostgreSQL cannot store, as 400 not 500")
  void refusesNulCharacters() {
    CustomerState before = CustomerState.of(api, buyer);
    assertProblem(purchase(new JsonObject().put("service", "tg\u0000").put("country", 0).encode()), 400,
        "'service' must not contain NUL characters");
    assertProblem(purchase(new JsonObject().put("service", "tg").put("country", 0).put("operator", "mts\u0000").encode()),
        400, "'operator'");
    before.assertUnchanged(api, buyer);
  }

  @Test
  @DisplayName("refuses JSON nested deeper than the parser allows as invalid JSON")
  void refusesDeeplyNestedJson() {
    String body = "{\"service\":\"tg\",\"country\":0,\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    CustomerState before = CustomerState.of(api, buyer);
    assertProblem(purchase(body), 400, "");
    before.assertUnchanged(api, buyer);
  }

  @Test
  @DisplayName("refuses an unknown service or country with a 409 naming them, without holding money")
  void refusesUnknownServiceOrCountry() {
    CustomerState before = CustomerState.of(api, buyer);
    Api.Response unknownService = purchase("{\"service\":\"nosuch\",\"country\":0}");
    assertThat(unknownService.status()).as("%s", unknownService).isBetween(400, 499);
    assertThat(unknownService.contentType()).startsWith("application/problem+json");
    assertThat(unknownService.json().getString("detail")).contains("nosuch");
    Api.Response unknownCountry = purchase("{\"service\":\"tg\",\"country\":99999}");
    assertThat(unknownCountry.status()).as("%s", unknownCountry).isBetween(400, 499);
    assertThat(unknownCountry.json().getString("detail")).contains("99999");
    before.assertUnchanged(api, buyer);
  }

  @ParameterizedTest(name = "Content-Type {0} -> 415")
  @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/xml", "application/jsonp",
      "application/json-patch+json", "multipart/form-data; boundary=x"})
  void refusesAnotherMediaType(String contentType) {
    CustomerState before = CustomerState.of(api, buyer);
    Api.Response response = api.send("POST", "/v1/activations", buyer.apiKey(), contentType,
        "{\"service\":\"tg\",\"country\":0}");
    JsonObject problem = assertProblem(response, 415, "application/json");
    assertThat(problem.getString("type")).endsWith("/unsupported-media-type");
    before.assertUnchanged(api, buyer);
  }

  @Test
  void refusesABodyWithoutContentType() {
    CustomerState before = CustomerState.of(api, buyer);
    assertProblem(api.send("POST", "/v1/activations", buyer.apiKey(), null, "{\"service\":\"tg\",\"country\":0}"),
        415, "application/json");
    assertProblem(api.send("POST", "/v1/activations", buyer.apiKey(), null, null), 415, "application/json");
    before.assertUnchanged(api, buyer);
  }

  @Test
  @DisplayName("accepts application/json with a charset parameter (the check is on the media type)")
  void acceptsJsonWithCharset() {
    Customer customer = node.customer("charset", "1.00");
    Api.Response response = api.send("POST", "/v1/activations", customer.apiKey(), "Application/JSON; charset=utf-8",
        "{\"service\":\"tg\",\"country\":0}");
    assertThat(response.status()).as("%s", response).isEqualTo(201);
  }

  @Test
  @DisplayName("refuses a body over 64 KiB with 413")
  void refusesAnOversizedBody() {
    String body = "{\"service\":\"tg\",\"country\":0,\"operator\":\"" + "x".repeat(64 * 1024) + "\"}";
    CustomerState before = CustomerState.of(api, buyer);
    JsonObject problem = assertProblem(purchase(body), 413, "over the limit");
    assertThat(problem.getString("type")).endsWith("/payload-too-large");
    before.assertUnchanged(api, buyer);
  }

  @Test
  @DisplayName("refuses a purchase without an API key, with an unknown one, or another scheme: 401 + WWW-Authenticate")
  void refusesAPurchaseWithoutValidKey() {
    CustomerState before = CustomerState.of(api, buyer);
    String body = "{\"service\":\"tg\",\"country\":0}";
    assertUnauthorized(api.send("POST", "/v1/activations", null, "application/json", body), "missing or malformed API key");
    assertUnauthorized(api.send("POST", "/v1/activations", "not-a-key", "application/json", body), "unknown API key");
    assertUnauthorized(api.send("POST", "/v1/activations", TestNode.ADMIN_TOKEN, "application/json", body),
        "unknown API key");
    assertUnauthorized(api.send("POST", "/v1/activations", "k".repeat(201), "application/json", body),
        "missing or malformed API key");
    assertUnauthorized(RawHttp.send(api, "POST", "/v1/activations", body, "Content-Type", "application/json",
        "Authorization", "Basic " + buyer.apiKey()), "missing or malformed API key");
    assertUnauthorized(RawHttp.send(api, "POST", "/v1/activations", body, "Content-Type", "application/json",
        "Authorization", "Bearer"), "missing or malformed API key");
    before.assertUnchanged(api, buyer);
  }

  @ParameterizedTest(name = "GET /v1/activations/{0} -> 404")
  @ValueSource(strings = {"abc", "-1", "0", "1.5", "99999999", "1234567890123456789", "12abc", "%20"})
  void answersNotFoundForABadOrUnknownId(String id) {
    assertProblem(api.get("/v1/activations/" + id, buyer.apiKey()), 404, "does not exist");
  }

  @ParameterizedTest(name = "POST /v1/activations/'{'id'}'/{0} on unknown, malformed and others' ids -> 404")
  @ValueSource(strings = {"cancel", "finish", "retry"})
  void refusesActionsOnIdsThatAreNotTheCallers(String action) {
    CustomerState buyerBefore = CustomerState.of(api, buyer);
    CustomerState strangerBefore = CustomerState.of(api, stranger);
    for (String id : new String[] {"abc", "-1", "99999999", "1234567890123456789"}) {
      assertProblem(api.post("/v1/activations/" + id + "/" + action, buyer.apiKey(), (String) null), 404, "does not exist");
    }
    JsonObject problem = assertProblem(api.post("/v1/activations/" + buyersOrder + "/" + action, stranger.apiKey(),
        (String) null), 404, String.valueOf(buyersOrder));
    assertThat(problem.getString("type")).endsWith("/not-found");
    assertUnauthorized(api.post("/v1/activations/" + buyersOrder + "/" + action, null, (String) null),
        "missing or malformed API key");
    buyerBefore.assertUnchanged(api, buyer);
    strangerBefore.assertUnchanged(api, stranger);
  }

  @Test
  @DisplayName("does not show another tenant's order, nor list it")
  void hidesOtherTenantsOrders() {
    assertProblem(api.get("/v1/activations/" + buyersOrder, stranger.apiKey()), 404, String.valueOf(buyersOrder));
    assertThat(api.get("/v1/activations", stranger.apiKey()).items()).isEmpty();
    assertThat(api.get("/v1/activations/" + buyersOrder, buyer.apiKey()).status()).isEqualTo(200);
  }

  @ParameterizedTest(name = "GET /v1/activations?{0} -> 400 \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "state=bogus|unknown state 'bogus'",
      "state=FINISHED%3BDROP|unknown state 'FINISHED;DROP'",
      "limit=0|'limit' must be an integer between 1 and 500",
      "limit=501|'limit' must be an integer between 1 and 500",
      "limit=-1|'limit' must be an integer between 1 and 500",
      "limit=abc|'limit' must be an integer between 1 and 500",
      "limit=1.5|'limit' must be an integer between 1 and 500",
      "limit=|'limit' must be an integer between 1 and 500",
      "limit=99999999999|'limit' must be an integer between 1 and 500",
      "cursor=abc|'cursor' is not a cursor this API returned",
      "cursor=-5|'cursor' is not a cursor this API returned",
      "cursor=1e5|'cursor' is not a cursor this API returned",
      "cursor=99999999999999999999|'cursor' is not a cursor this API returned"})
  void refusesBadListParameters(String query, String detail) {
    assertProblem(api.get("/v1/activations?" + query, buyer.apiKey()), 400, detail);
  }

  @Test
  @DisplayName("accepts a state in any case and pages with the cursor it returned")
  void acceptsGoodListParameters() {
    assertThat(api.get("/v1/activations?state=waiting_code", buyer.apiKey()).items()).hasSize(1);
    assertThat(api.get("/v1/activations?state=FINISHED", buyer.apiKey()).items()).isEmpty();
    Api.Response page = api.get("/v1/activations?limit=1", buyer.apiKey());
    String next = page.json().getString("nextCursor");
    assertThat(next).isEqualTo(String.valueOf(buyersOrder));
    assertThat(api.get("/v1/activations?limit=1&cursor=" + next, buyer.apiKey()).items()).isEmpty();
  }

  @Test
  @DisplayName("lists and reads nothing without a valid API key")
  void refusesReadsWithoutKey() {
    assertUnauthorized(api.get("/v1/activations", null), "missing or malformed API key");
    assertUnauthorized(api.get("/v1/activations/" + buyersOrder, "wrong-key"), "unknown API key");
  }

  @Test
  @DisplayName("answers 405 for a method the activation routes do not accept")
  void refusesWrongMethods() {
    assertProblem(RawHttp.send(api, "DELETE", "/v1/activations/" + buyersOrder, null,
        "Authorization", "Bearer " + buyer.apiKey()), 405, "does not accept that method");
    assertProblem(RawHttp.send(api, "PUT", "/v1/activations", "{}", "Authorization", "Bearer " + buyer.apiKey(),
        "Content-Type", "application/json"), 405, "does not accept that method");
    assertProblem(api.get("/v1/activations/" + buyersOrder + "/cancel", buyer.apiKey()), 405, "does not accept that method");
    assertThat(api.get("/v1/activations/" + buyersOrder, buyer.apiKey()).json().getString("state")).isEqualTo("WAITING_CODE");
  }
}
