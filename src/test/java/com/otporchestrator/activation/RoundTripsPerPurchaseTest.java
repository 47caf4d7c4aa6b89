package com.otporchestrator.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Round trips are behaviour: what one purchase costs the stores and the supplier is pinned here, counted by the node's
 * own client metrics (every PostgreSQL statement and every Redis command the node sends, every supplier request), so a
 * change cannot quietly add one. The node runs without the timer engine, whose polling would blur the count; a
 * measurement is repeated and the lowest taken, so another background task landing inside it cannot fail the test.
 * docs/benchmarks.md (round trips) lists what the numbers are made of.
 */
@DisplayName("One purchase: its PostgreSQL statements, Redis commands and supplier calls, counted")
class RoundTripsPerPurchaseTest {
  static final int POSTGRESQL_STATEMENTS = 2;
  static final int REDIS_COMMANDS = 5;
  static final int SUPPLIER_CALLS = 1;
  private static final int PURCHASES = 10;

  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Customer customer;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(RoundTripsPerPurchaseTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ROLES", "api,sandbox");
    node = TestNode.start(env);
    node.offer("tg", 0, "0.25");
    customer = node.customer("counted", "100.00", "bulk");
    for (int i = 0; i < 5; i++) buy(); // prepared statements, plan cache, scripts loaded
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  @Test
  @DisplayName("costs 2 PostgreSQL statements, 5 Redis commands and 1 supplier call")
  void purchaseRoundTrips() {
    long[] fewest = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
    for (int attempt = 0; attempt < 3; attempt++) {
      long[] before = counts();
      for (int i = 0; i < PURCHASES; i++) buy();
      long[] after = counts();
      for (int k = 0; k < 3; k++) fewest[k] = Math.min(fewest[k], after[k] - before[k]);
    }
    System.out.printf("round trips of %d purchases: %d PostgreSQL statements, %d Redis commands, %d supplier calls%n",
        PURCHASES, fewest[0], fewest[1], fewest[2]);
    assertThat(fewest[0]).as("PostgreSQL statements of %d purchases", PURCHASES).isEqualTo(POSTGRESQL_STATEMENTS * PURCHASES);
    assertThat(fewest[1]).as("Redis commands of %d purchases", PURCHASES).isEqualTo(REDIS_COMMANDS * PURCHASES);
    assertThat(fewest[2]).as("supplier calls of %d purchases", PURCHASES).isEqualTo(SUPPLIER_CALLS * PURCHASES);
  }

  private static void buy() {
    Api.Response response = node.api().post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(response.status()).as("%s", response).isEqualTo(201);
  }

  /**
   * PostgreSQL statements, Redis commands (not the pub/sub connection) and supplier requests sent so far, once they stop
   * moving: the abuse windows are written after the answer, so the last purchase's commands may still be on their way.
   */
  private static long[] counts() {
    long[] last = read();
    for (int i = 0; i < 50; i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      long[] now = read();
      if (java.util.Arrays.equals(now, last)) return now;
      last = now;
    }
    return last;
  }

  private static long[] read() {
    String metrics = node.api().get("/metrics", null).body();
    return new long[] {
        sum(metrics, "vertx_sql_processing_time_seconds_count{"),
        sum(metrics, "vertx_redis_processing_time_seconds_count{client_namespace=\"redis\"}"),
        sum(metrics, "vertx_http_client_requests_total{client_name=\"suppliers\"")};
  }

  private static long sum(String metrics, String prefix) {
    long total = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith(prefix)) total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return total;
  }
}
