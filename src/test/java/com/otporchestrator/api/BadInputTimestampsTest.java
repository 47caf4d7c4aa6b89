package com.otporchestrator.api;

import static com.otporchestrator.api.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Every timestamp input keeps to 2000-01-01..2200-01-01: a date outside is a 400 that changes nothing, never a 500")
class BadInputTimestampsTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  /** Parseable instants outside the range: far future, the first instant out, the last instant before, far past. */
  private static final List<String> OUT_OF_RANGE = List.of("+1000000000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
      "2200-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z");
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static Customer customer;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(BadInputTimestampsTest.class);
    node = TestNode.start(stores);
    api = node.api();
    node.offer("tg", 0, "0.50");
    customer = node.customer("dated", "10.00");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static List<String> rows() {
    List<String> rows = new ArrayList<>();
    for (String sql : List.of("SELECT id, status, suspended_until FROM accounts ORDER BY id",
        "SELECT count(*) FROM outages", "SELECT count(*) FROM refund_policies",
        "SELECT account_id, balance, held FROM wallets ORDER BY account_id")) {
      for (Row row : Await.result(node.node().core().pool().query(sql).execute())) rows.add(sql + " -> " + row.deepToString());
    }
    return rows;
  }

  @Test
  void aSuspensionUntilADateOutOfRangeIsRefused() {
    List<String> before = rows();
    for (String until : OUT_OF_RANGE) {
      assertProblem(api.put("/admin/v1/accounts/" + customer.id() + "/status", ADMIN,
          new JsonObject().put("status", "suspended").put("until", until)), 400,
          "'until' must be between 2000-01-01T00:00:00Z and 2200-01-01T00:00:00Z");
    }
    assertThat(rows()).isEqualTo(before);
    Api.Response lastDay = api.put("/admin/v1/accounts/" + customer.id() + "/status", ADMIN,
        new JsonObject().put("status", "suspended").put("until", "2199-12-31T23:59:59Z"));
    assertThat(lastDay.status()).as("%s", lastDay).isEqualTo(200);
    assertThat(api.put("/admin/v1/accounts/" + customer.id() + "/status", ADMIN, new JsonObject().put("status", "active"))
        .status()).isEqualTo(200);
  }

  @Test
  void historyFiltersOutOfRangeAreRefused() {
    for (String path : new String[] {"/v1/wallet/transactions", "/v1/wallet/transactions.csv"}) {
      for (String name : new String[] {"from", "to"}) {
        for (String instant : OUT_OF_RANGE) {
          Api.Response response = RawHttp.send(api, "GET",
              path + "?" + name + "=" + URLEncoder.encode(instant, StandardCharsets.UTF_8), null,
              "Authorization", "Bearer " + customer.apiKey());
          assertProblem(response, 400, "'" + name + "' must be between 2000-01-01T00:00:00Z and 2200-01-01T00:00:00Z");
        }
      }
    }
  }

  @Test
  void anOutageOutOfRangeIsRefused() {
    List<String> before = rows();
    for (String instant : OUT_OF_RANGE) {
      assertProblem(api.post("/admin/v1/outages", ADMIN, new JsonObject().put("provider", "sandbox").put("from", instant)),
          400, "'from' must be between");
      assertProblem(api.post("/admin/v1/outages", ADMIN, new JsonObject().put("provider", "sandbox")
          .put("from", "2020-01-01T00:00:00Z").put("to", instant)), 400, "'to' must be between");
    }
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  void theCompatibleHistoryAnswersWrongDateOutOfRange() {
    for (String param : new String[] {"start", "end"}) {
      for (String seconds : new String[] {"99999999999", "7258118400", "946684799"}) {
        Api.Response response = api.get("/stubs/handler_api.php?api_key=" + customer.apiKey() + "&action=getHistory&"
            + param + "=" + seconds, null);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.body()).as("%s=%s", param, seconds).isEqualTo("WRONG_DATE");
      }
    }
  }

  @Test
  void aPolicyEffectiveOutOfRangeIsRefused() {
    List<String> before = rows();
    for (String date : new String[] {"+999999999-12-31", "2200-01-01", "1999-12-31", "0001-01-01"}) {
      Api.Response response = api.send("POST", "/admin/v1/policies", ADMIN, "application/yaml", POLICY + "effective: \""
          + date + "\"\n");
      assertThat(response.status()).as("%s", response).isBetween(400, 499);
      assertThat(response.body()).contains("effective: expected a date from 2000-01-01 to 2199-12-31");
    }
    assertThat(rows()).isEqualTo(before);
  }

  private static final String POLICY = """
      id: dated_policy
      version: 1
      source: dated.txt
      activation:
        window: PT20M
        cancelNotBefore: PT2M
      autoRefunds: [no_sms_in_window]
      claims:
        - id: c1
          description: d
          appliesTo: [activation]
          when: any
          filingWindow: P5D
      exclusions: []
      review:
        decisionsFinal: false
      wallet:
        refundDestination: wallet
        currency: USD
        topUpsRefundable: false
        balanceExpires: false
      """;
}
