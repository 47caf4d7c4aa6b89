package com.otporchestrator.api;

import static com.otporchestrator.api.ProblemAssert.assertProblem;
import static com.otporchestrator.api.ProblemAssert.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.outage.OutageRepository;
import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Bad input to the outage and supplier-health admin API gets a precise 4xx problem and changes nothing")
class BadInputOutagesTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  private static final String FROM = "\"from\":\"2026-01-01T00:00:00Z\"";
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(BadInputOutagesTest.class);
    node = TestNode.start(stores);
    api = node.api();
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static List<String> tables() {
    List<String> rows = new ArrayList<>();
    for (String sql : List.of("SELECT id, state, provider_id, service, country, confirmed_at, finished_at FROM outages ORDER BY id",
        "SELECT id, protocol, base_url, enabled, priority, channels_limit FROM providers ORDER BY id",
        "SELECT count(*) FROM activations", "SELECT count(*) FROM ledger_entries")) {
      for (Row row : Await.result(node.node().core().pool().query(sql).execute())) rows.add(sql + " -> " + row.deepToString());
    }
    return rows;
  }

  private static Api.Response send(String method, String path, String body) {
    return api.send(method, path, ADMIN, body == null ? null : "application/json", body);
  }

  private static void assertRefusedAndNothingChanged(String method, String path, String body, int status, String detail) {
    List<String> before = tables();
    assertProblem(send(method, path, body), status, detail);
    assertThat(tables()).isEqualTo(before);
  }

  private static JsonObject declare(String service) {
    Api.Response response = send("POST", "/admin/v1/outages", "{\"service\":\"" + service + "\"," + FROM + "}");
    assertThat(response.status()).as("%s", response).isEqualTo(201);
    return response.json();
  }

  @ParameterizedTest(name = "{0} {1} without the admin token -> 401")
  @CsvSource({"POST, /admin/v1/outages", "GET, /admin/v1/outages", "GET, /admin/v1/outages/1",
      "POST, /admin/v1/outages/1/confirm", "POST, /admin/v1/outages/1/dismiss", "GET, /admin/v1/providers/health"})
  void refusesRequestsWithoutTheAdminToken(String method, String path) {
    List<String> before = tables();
    String body = "GET".equals(method) ? null : "{\"platformWide\":true," + FROM + "}";
    for (String bearer : new String[] {null, "", "wrong-token", ADMIN + "x"}) {
      assertUnauthorized(api.send(method, path, bearer, body == null ? null : "application/json", body),
          "a valid admin token is required");
    }
    assertThat(tables()).isEqualTo(before);
  }

  @ParameterizedTest(name = "POST /admin/v1/outages {0} -> 400 \"{1}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{|the request body is not valid JSON",
      "[]|the request body must be a JSON object",
      "``|the request body is empty",
      "{}|give a scope (provider, service, country) or \"platformWide\": true",
      "{\"platformWide\":false," + FROM + "}|give a scope",
      "{\"provider\":\"sandbox\"}|'from' is required",
      "{\"provider\":\"sandbox\",\"from\":\"yesterday\"}|'from' must be an ISO-8601 instant",
      "{\"provider\":\"sandbox\",\"from\":1767225600}|'from' must be a string",
      "{\"provider\":\"sandbox\"," + FROM + ",\"to\":\"2025-12-31T00:00:00Z\"}|'to' must be after 'from'",
      "{\"provider\":\"sandbox\"," + FROM + ",\"to\":\"2026-01-01T00:00:00Z\"}|'to' must be after 'from'",
      "{\"provider\":\"sandbox\",\"from\":\"2150-01-01T00:00:00Z\"}|'from' is more than 7 days in the future",
      "{\"provider\":\"sandbox\"," + FROM + ",\"to\":\"2150-01-01T00:00:00Z\"}|'to' is more than 7 days in the future",
      "{\"platformWide\":true,\"service\":\"tg\"," + FROM + "}|'platformWide' excludes provider, service and country",
      "{\"platformWide\":\"yes\"," + FROM + "}|'platformWide' must be a boolean",
      "{\"provider\":\"no-such-supplier\"," + FROM + "}|unknown provider, service or country in the scope",
      "{\"service\":\"zz\"," + FROM + "}|unknown provider, service or country in the scope",
      "{\"country\":99999," + FROM + "}|unknown provider, service or country in the scope",
      "{\"country\":-1," + FROM + "}|'country' must be between 0 and 100000",
      "{\"country\":1.5," + FROM + "}|'country' must be an integer",
      "{\"service\":42," + FROM + "}|'service' must be a string",
      "{\"provider\":\"\"," + FROM + "}|'provider' must not be empty",
      "{\"provider\":\"sandbox\"," + FROM + ",\"refund\":true}|unknown field 'refund'"})
  void refusesABadDeclaration(String body, String detail) {
    assertRefusedAndNothingChanged("POST", "/admin/v1/outages", body, 400, detail);
  }

  @Test
  @DisplayName("refuses a reason over 500 characters and a body that is not JSON")
  void refusesLongReasonAndOtherMediaTypes() {
    assertRefusedAndNothingChanged("POST", "/admin/v1/outages", new JsonObject().put("provider", "sandbox")
        .put("from", "2026-01-01T00:00:00Z").put("reason", "r".repeat(501)).encode(), 400, "'reason' is longer than 500 characters");
    List<String> before = tables();
    assertProblem(api.send("POST", "/admin/v1/outages", ADMIN, "text/plain", "{\"platformWide\":true," + FROM + "}"),
        415, "application/json");
    assertThat(tables()).isEqualTo(before);
  }

  @Test
  @DisplayName("refuses an outage that starts in the future: it refunds what was already affected")
  void refusesAFutureStart() {
    String inAnHour = java.time.Instant.now().plusSeconds(3600).toString();
    assertRefusedAndNothingChanged("POST", "/admin/v1/outages", "{\"provider\":\"sandbox\",\"from\":\"" + inAnHour + "\"}",
        400, "'from' must not be in the future");
  }

  @ParameterizedTest(name = "GET /admin/v1/outages{0} -> 400 \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "?state=OPEN|'state' must be one of", "?state=refunding|'state' must be one of",
      "?limit=0|'limit' must be an integer between 1 and 200", "?limit=201|'limit' must be an integer between 1 and 200",
      "?cursor=abc|'cursor' is not a cursor this API returned"})
  void refusesABadListing(String query, String detail) {
    assertProblem(send("GET", "/admin/v1/outages" + query, null), 400, detail);
  }

  @ParameterizedTest(name = "{0} {1} -> 404")
  @CsvSource({"GET, /admin/v1/outages/999999", "GET, /admin/v1/outages/abc", "GET, /admin/v1/outages/-1",
      "POST, /admin/v1/outages/999999/confirm", "POST, /admin/v1/outages/999999/dismiss",
      "POST, /admin/v1/outages/x/confirm"})
  void answersNotFoundForUnknownOutages(String method, String path) {
    List<String> before = tables();
    assertProblem(send(method, path, null), 404, "outage");
    assertThat(tables()).isEqualTo(before);
  }

  @Test
  @DisplayName("confirms or dismisses only a suspected outage; repeating a decision answers the outage, the other is a 409")
  void decisionsOnlyOnSuspectedOutages() {
    JsonObject declared = declare("ot");
    long id = declared.getLong("id");
    Await.until("the declared outage done", Duration.ofSeconds(10),
        () -> "DONE".equals(send("GET", "/admin/v1/outages/" + id, null).json().getString("state")));
    assertThat(send("POST", "/admin/v1/outages/" + id + "/confirm", null).status()).as("already confirmed").isEqualTo(200);
    assertRefusedAndNothingChanged("POST", "/admin/v1/outages/" + id + "/dismiss", null, 409,
        "outage " + id + " is DONE; only a SUSPECTED outage can be dismissed");

    OutageRepository outages = node.node().modules().outages().repository();
    long suspected = Await.result(outages.suspect("sandbox", "test")).orElseThrow();
    assertThat(Await.result(outages.suspect("sandbox", "again"))).as("one suspicion per supplier").isEmpty();
    Api.Response dismissed = send("POST", "/admin/v1/outages/" + suspected + "/dismiss", null);
    assertThat(dismissed.status()).isEqualTo(200);
    assertThat(dismissed.json().getString("state")).isEqualTo("DISMISSED");
    assertThat(send("POST", "/admin/v1/outages/" + suspected + "/dismiss", null).status()).as("repeated").isEqualTo(200);
    assertRefusedAndNothingChanged("POST", "/admin/v1/outages/" + suspected + "/confirm", null, 409,
        "outage " + suspected + " is DISMISSED; only a SUSPECTED outage can be confirmed");

    long another = Await.result(outages.suspect("sandbox", "test")).orElseThrow();
    Api.Response confirmed = send("POST", "/admin/v1/outages/" + another + "/confirm", null);
    assertThat(confirmed.status()).isEqualTo(200);
    assertThat(confirmed.json().getString("state")).isIn("REFUNDING", "DONE");
    assertThat(confirmed.json().getString("confirmedAt")).isNotNull();
  }

  @ParameterizedTest(name = "PUT /admin/v1/providers/p1 channelsLimit {0} -> 400")
  @CsvSource(delimiter = '|', value = {"0|'channelsLimit' must be between 1 and 1000000",
      "-5|'channelsLimit' must be between 1 and 1000000", "\"many\"|'channelsLimit' must be an integer",
      "1.5|'channelsLimit' must be an integer"})
  void refusesABadChannelsLimit(String value, String detail) {
    assertRefusedAndNothingChanged("PUT", "/admin/v1/providers/p1",
        "{\"protocol\":\"smshub\",\"baseUrl\":\"http://x\",\"apiKey\":\"k\",\"channelsLimit\":" + value + "}", 400, detail);
  }

  @Test
  @DisplayName("answers every supplier's health, and a fivesim supplier is accepted")
  void healthAndFivesim() {
    Api.Response put = send("PUT", "/admin/v1/providers/five", "{\"protocol\":\"fivesim\",\"baseUrl\":\"http://127.0.0.1:9/v1\","
        + "\"apiKey\":\"k\",\"channelsLimit\":3,\"enabled\":false}");
    assertThat(put.status()).as("%s", put).isEqualTo(200);
    assertThat(put.json().getInteger("channelsLimit")).isEqualTo(3);
    Api.Response health = send("GET", "/admin/v1/providers/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().getJsonArray("items").stream().map(p -> ((JsonObject) p).getString("provider")).toList())
        .as("every configured supplier, called or not").contains("sandbox", "five");
    JsonObject five = health.json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("provider").equals("five")).findFirst().orElseThrow();
    assertThat(five.getString("breaker")).isEqualTo("CLOSED");
    assertThat(five.getInteger("windowCalls")).isZero();
  }
}
