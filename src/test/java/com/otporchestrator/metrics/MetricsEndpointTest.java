package com.otporchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("GET /metrics after a short real flow: purchase, SMS, finish, cancel, expiry")
class MetricsEndpointTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static final Set<String> ids = new HashSet<>();
  private static PrometheusText metrics;
  private static String raw;
  private static String contentType;

  @BeforeAll
  static void runFlow() {
    stores = TestStores.isolate(MetricsEndpointTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", "8");
    env.put("CANCEL_DELAY_SECONDS", "1");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");

    Customer buyer = node.customer("metrics-buyer", "10.00");
    Customer poor = node.customer("metrics-poor", "0.20");
    ids.add(String.valueOf(buyer.id()));
    ids.add(String.valueOf(poor.id()));

    long expired = buy(buyer);
    long finished = buy(buyer);
    long cancelled = buy(buyer);
    // two purchases that fail: above the customer's ceiling (nothing held), and not affordable (a hold statement, nothing held)
    assertThat(api.post("/v1/activations", buyer.apiKey(), new JsonObject().put("service", "tg").put("country", 0)
        .put("maxPrice", "0.10")).status()).isEqualTo(409);
    assertThat(api.post("/v1/activations", poor.apiKey(), new JsonObject().put("service", "tg").put("country", 0))
        .status()).isEqualTo(402);

    String phone = api.get("/v1/activations/" + finished, buyer.apiKey()).json().getString("phone");
    pushSms(phone, 900_001, "Telegram code 61034");
    pushSms(phone, 900_001, "Telegram code 61034"); // the supplier pushes the same SMS again: stored once
    assertThat(api.post("/v1/activations/" + finished + "/finish", buyer.apiKey(), (String) null).status()).isEqualTo(200);
    Await.pause(Duration.ofMillis(1100));
    assertThat(api.post("/v1/activations/" + cancelled + "/cancel", buyer.apiKey(), (String) null).status()).isEqualTo(200);
    Await.until("expired", Duration.ofSeconds(15),
        () -> "EXPIRED".equals(api.get("/v1/activations/" + expired, buyer.apiKey()).json().getString("state")));

    // the three supplier closes are timers too; wait for them, and for every claimed timer to be acknowledged
    Await.until("supplier closes done", Duration.ofSeconds(15), () -> {
      PrometheusText now = scrape();
      return now.value("otp_provider_call_seconds_count", "operation", "close") >= 3
          && now.value("otp_timers_applied_total") == now.value("otp_timers_claimed_total");
    });
    Await.result(node.node().core().metrics().invariants().refresh());
    metrics = scrape();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
      node.close();
    }
    if (stores != null) stores.close();
  }

  private static long buy(Customer customer) {
    Api.Response response = api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(response.status()).as("%s", response).isEqualTo(201);
    long id = response.json().getLong("id");
    ids.add(String.valueOf(id));
    return id;
  }

  /** What an SMSHub-protocol supplier does: PUSH_SMS to our push endpoint. */
  private static void pushSms(String phone, long smsId, String text) {
    JsonObject body = new JsonObject().put("action", "PUSH_SMS").put("key", "sandbox-key").put("smsId", smsId)
        .put("phone", Long.parseLong(phone)).put("phoneFrom", "Telegram").put("text", text);
    Api.Response response = api.send("POST", "/providers/sandbox/sms", null, "application/json", body.encode());
    assertThat(response.status()).as("%s", response).isEqualTo(200);
  }

  private static PrometheusText scrape() {
    Api.Response response = api.get("/metrics", null);
    assertThat(response.status()).isEqualTo(200);
    raw = response.body();
    contentType = response.contentType();
    return new PrometheusText(raw);
  }

  @Test
  void answersPrometheusText() {
    assertThat(contentType).startsWith("text/plain").contains("version=0.0.4");
    assertThat(raw).contains("# TYPE otp_purchases_total counter", "# HELP otp_refunds_total");
  }

  @Test
  void countsPurchasesByOutcome() {
    assertThat(metrics.value("otp_purchases_total", "outcome", "created")).isEqualTo(3);
    assertThat(metrics.value("otp_purchases_total", "outcome", "price_above_max")).isEqualTo(1);
    assertThat(metrics.value("otp_purchases_total", "outcome", "insufficient_funds")).isEqualTo(1);
    assertThat(metrics.value("otp_purchases_total")).isEqualTo(5);
    // four hold statements (three bought, one unaffordable), one order each: no coalescing when purchases are sequential
    assertThat(metrics.value("otp_hold_statements_total")).isEqualTo(4);
    assertThat(metrics.value("otp_holds_total")).isEqualTo(4);
  }

  @Test
  void countsRefundsByReasonAndCaptures() {
    assertThat(metrics.value("otp_refunds_total", "reason", "cancelled")).isEqualTo(1);
    assertThat(metrics.value("otp_refunds_total", "reason", "expired")).isEqualTo(1);
    assertThat(metrics.value("otp_refunds_total")).isEqualTo(2);
    assertThat(metrics.value("otp_captures_total", "trigger", "finished")).isEqualTo(1);
    assertThat(metrics.value("otp_captures_total")).isEqualTo(1);
  }

  @Test
  void countsSmsAndTheDuplicateItSuppressed() {
    assertThat(metrics.value("otp_sms_received_total", "result", "stored")).isEqualTo(1);
    assertThat(metrics.value("otp_sms_received_total", "result", "duplicate")).isEqualTo(1);
    assertThat(metrics.value("otp_duplicates_suppressed_total", "source", "sms")).isEqualTo(1);
  }

  @Test
  void measuresTimersAndTheirLateness() {
    double claimed = metrics.value("otp_timers_claimed_total");
    // at least one expiry and three supplier closes went through the engine
    assertThat(claimed).isGreaterThanOrEqualTo(4);
    assertThat(metrics.value("otp_timers_applied_total")).isEqualTo(claimed);
    assertThat(metrics.value("otp_timer_lateness_seconds_count", "kind", "expire")).isGreaterThanOrEqualTo(1);
    assertThat(metrics.value("otp_timer_lateness_seconds_count", "kind", "close")).isGreaterThanOrEqualTo(3);
    assertThat(metrics.value("otp_timer_lateness_seconds_count")).isEqualTo(claimed);
    // fast test timers (20 ms idle poll): a claim is well under a few seconds late
    assertThat(metrics.value("otp_timer_lateness_seconds_max")).isBetween(0.0, 5.0);
    assertThat(metrics.value("otp_timer_lateness_seconds_bucket", "kind", "expire", "le", "+Inf"))
        .isEqualTo(metrics.value("otp_timer_lateness_seconds_count", "kind", "expire"));
    assertThat(metrics.has("otp_timer_sweep_found_total")).isTrue();
    assertThat(metrics.has("otp_timers_reseeded_total")).isTrue();
    assertThat(metrics.value("otp_timer_batches_failed_total")).isZero();
  }

  @Test
  void timesSupplierCallsPerProviderAndOperation() {
    assertThat(metrics.value("otp_provider_call_seconds_count", "provider", "sandbox", "operation", "allocate", "outcome", "ok"))
        .isEqualTo(3);
    assertThat(metrics.value("otp_provider_call_seconds_count", "provider", "sandbox", "operation", "close", "outcome", "ok"))
        .isEqualTo(3);
    assertThat(metrics.value("otp_provider_call_seconds_sum", "provider", "sandbox", "operation", "allocate")).isPositive();
    assertThat(metrics.value("otp_provider_errors_total", "operation", "allocate")).isZero();
  }

  @Test
  void exposesTheMoneyInvariantsAsZeroGauges() {
    List<PrometheusText.Sample> invariants = metrics.matching("otp_money_invariant_violations");
    assertThat(invariants).extracting(s -> s.labels().get("invariant")).contains("wallet_differs_from_ledger",
        "held_differs_from_open_orders", "orders_resolved_wrongly", "entries_without_order", "money_not_conserved")
        .doesNotContain("open_orders_overdue");
    assertThat(invariants).allSatisfy(s -> assertThat(s.value()).as(s.labels().toString()).isZero());
    assertThat(metrics.value("otp_orders_overdue")).isZero();
    assertThat(metrics.value("otp_money_invariants_checks_total", "result", "ok")).isGreaterThanOrEqualTo(2);
    assertThat(metrics.value("otp_money_invariants_checks_total", "result", "violated")).isZero();
    assertThat(metrics.value("otp_money_invariants_last_check_seconds")).isGreaterThan(1.7e9);
  }

  @Test
  void includesVertxHttpPoolAndClientMetrics() {
    // Vert.x joins the routes a request went through with '>' (the /v1/* auth and rate-limit handlers, then the endpoint)
    assertThat(metrics.value("vertx_http_server_requests_total", "method", "POST", "route", "/v1/>/v1/>/v1/activations", "code", "201"))
        .isEqualTo(3);
    assertThat(metrics.value("vertx_http_server_requests_total", "method", "POST", "route", "/v1/>/v1/>/v1/activations", "code", "402"))
        .isEqualTo(1);
    assertThat(metrics.has("vertx_sql_processing_pending", "client_namespace", "postgres")).isTrue();
    assertThat(metrics.has("vertx_redis_processing_pending", "client_namespace", "redis")).isTrue();
    assertThat(metrics.value("vertx_http_client_requests_total", "client_name", "suppliers")).isPositive();
    assertThat(metrics.matching("vertx_pool_in_use", "pool_type", "http")).extracting(s -> s.labels().get("pool_name"))
        .containsOnly("http-client");
    assertThat(metrics.has("vertx_pool_in_use", "pool_type", "sql")).isTrue();
    assertThat(metrics.has("vertx_pool_in_use", "pool_type", "redis", "pool_name", "redis")).isTrue();
    assertThat(metrics.value("vertx_pool_usage_seconds_count", "pool_type", "redis")).isPositive();
    assertThat(metrics.has("vertx_pool_queue_pending", "pool_type", "sql")).isTrue();
    assertThat(metrics.value("otp_sse_streams_open")).isZero();
  }

  @Test
  void theGrafanaDashboardQueriesOnlyMetricsThatExist() throws Exception {
    String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("deploy/grafana/otp-orchestrator.json"));
    new JsonObject(dashboard); // valid JSON
    java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\b(?:otp|vertx)_[a-z_]+").matcher(dashboard);
    Set<String> queried = new java.util.TreeSet<>();
    while (names.find()) queried.add(names.group());
    // counters registered on their first event, which this flow has none of
    Set<String> lazy = Set.of("otp_webhook_deliveries_total", "otp_provider_errors_total");
    Set<String> exposed = new HashSet<>();
    metrics.samples().forEach(s -> exposed.add(s.name()));
    assertThat(queried).hasSizeGreaterThan(15);
    for (String name : queried) {
      if (!lazy.contains(name)) assertThat(exposed).as("metric queried by the dashboard").contains(name);
    }
  }

  @Test
  void neverLabelsByOrderOrAccountId() {
    for (PrometheusText.Sample sample : metrics.samples()) {
      assertThat(sample.labels()).as(sample.name()).doesNotContainKeys("path", "remote", "order", "account", "order_id", "account_id");
      for (String value : sample.labels().values()) {
        assertThat(ids).as("label value of %s", sample.name()).doesNotContain(value);
        for (String id : ids) assertThat(value).as("label value of %s", sample.name()).doesNotContain("/" + id);
      }
    }
  }
}
