package com.otporchestrator.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import com.otporchestrator.timer.TimerHandler;
import com.otporchestrator.timer.TimerKeys;
import com.otporchestrator.timer.TimerKind;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Round trips are behaviour: what one expiry batch costs the stores is pinned here, counted by the node's own client
 * metrics, so a change cannot quietly add a statement per batch or a command per order. The node runs without the timer
 * engine (whose polling would blur the count); the test fires the expiry handler itself with orders whose window has
 * ended, as the engine does with a claimed batch. The engine's own part of a batch (one claim script, one settle
 * script) is not in this count: docs/benchmarks.md lists it.
 */
@DisplayName("One expiry batch: its PostgreSQL statements and Redis commands, counted")
class RoundTripsPerExpiryBatchTest {
  /**
   * In one transaction, whatever the batch's size: the due orders locked, then the expiry itself, which locks their
   * wallets last (the client's metrics do not count the transaction's BEGIN and COMMIT).
   */
  static final int POSTGRESQL_STATEMENTS = 2;
  /** The engines told once that closes are due now (one PUBLISH on the wake-up channel). */
  static final int WAKE_UPS = 1;
  /**
   * The expired orders' change notice to the event streams of every node: one PUBLISH for the whole batch (its ids
   * travel together), not one per order.
   */
  static final int CHANGE_NOTICES = 1;

  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Customer customer;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(RoundTripsPerExpiryBatchTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ROLES", "api,sandbox");
    env.put("ACTIVATION_WINDOW_SECONDS", "2");
    env.put("CANCEL_DELAY_SECONDS", "0");
    node = TestNode.start(env);
    node.offer("tg", 0, "0.25");
    customer = node.customer("expiring", "100.00", "bulk");
    expire(buy(3)); // prepared statements, plan cache
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  @Test
  @DisplayName("costs 2 PostgreSQL statements; one ZADD per timer shard its closes fall in, one wake-up and one change notice for the whole batch")
  void expiryBatchRoundTrips() {
    for (int size : new int[] {10, 40}) {
      long fewestStatements = Long.MAX_VALUE;
      long fewestBeyondCloses = Long.MAX_VALUE; // Redis commands beyond the closes' ZADDs, whose count depends on the ids
      for (int attempt = 0; attempt < 3; attempt++) { // the lowest: a background task may land inside one measurement
        List<Long> ids = buy(size);
        long[] before = counts();
        expire(ids);
        long[] after = counts();
        assertThat(node.countActivations("state = 'WAITING_CODE'")).as("orders left open").isZero();
        fewestStatements = Math.min(fewestStatements, after[0] - before[0]);
        fewestBeyondCloses = Math.min(fewestBeyondCloses, after[1] - before[1] - closeShards(ids));
      }
      System.out.printf("round trips of one expiry batch of %d orders: %d PostgreSQL statements, %d Redis commands beside"
          + " one ZADD per close shard%n", size, fewestStatements, fewestBeyondCloses);
      assertThat(fewestStatements).as("PostgreSQL statements of a batch of %d", size).isEqualTo(POSTGRESQL_STATEMENTS);
      assertThat(fewestBeyondCloses).as("Redis commands of a batch of %d beside the closes' ZADDs", size)
          .isEqualTo(WAKE_UPS + CHANGE_NOTICES);
    }
  }

  /** The supplier closes of the expired orders are scheduled with one ZADD per shard (pipelined), nothing per order. */
  private static long closeShards(List<Long> ids) {
    TimerKeys keys = node.node().core().timers().keys();
    return ids.stream().map(id -> keys.due(TimerKind.CLOSE.lane(), keys.shardOf(id))).distinct().count();
  }

  private static List<Long> buy(int n) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Api.Response response = node.api().post("/v1/activations", customer.apiKey(),
          new JsonObject().put("service", "tg").put("country", 0));
      assertThat(response.status()).as("%s", response).isEqualTo(201);
      ids.add(response.json().getLong("id"));
    }
    Await.pause(Duration.ofMillis(2_200)); // their windows end
    return ids;
  }

  private static void expire(List<Long> ids) {
    TimerHandler expiry = node.node().modules().timerHandlers().get(TimerKind.EXPIRE);
    Promise<Void> done = Promise.promise();
    node.vertx().runOnContext(v -> expiry.fire(ids).onComplete(done)); // on an event loop, as the engine fires it
    Await.result(done.future());
  }

  /** PostgreSQL statements and Redis commands (not the pub/sub connection) sent so far, once they stop moving. */
  private static long[] counts() {
    long[] last = read();
    for (int i = 0; i < 50; i++) {
      Await.pause(Duration.ofMillis(100));
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
        sum(metrics, "vertx_redis_processing_time_seconds_count{client_namespace=\"redis\"}")};
  }

  private static long sum(String metrics, String prefix) {
    long total = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith(prefix)) total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return total;
  }
}
