package com.otporchestrator.timer;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Deadlines are stored in microseconds and every handler's guard compares them with the database's now(); the timer
 * index holds milliseconds. A deadline rounded down fires up to a millisecond early, finds nothing due and fires again,
 * so every path that schedules one rounds up.
 */
@DisplayName("A timer is never due before its deadline")
class TimersNeverDueBeforeTheirDeadlineTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static Customer customer;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(TimersNeverDueBeforeTheirDeadlineTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", "600");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.10");
    customer = node.customer("rounding", "10.00");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.close();
    stores.close();
  }

  @Test
  @DisplayName("a purchase schedules the end of its window at or just after the stored deadline")
  void aPurchaseSchedulesItsExpiryAtOrAfterItsDeadline() {
    for (int i = 0; i < 20; i++) {
      long id = buy();
      assertDueAtOrJustAfter(id, expiresMicros(id));
    }
  }

  @Test
  @DisplayName("an expiry fired before its deadline puts its timer back at the deadline, not a rounding before it")
  void anEarlyExpiryReschedulesAtOrAfterItsDeadline() {
    long id = buy();
    Await.result(node.node().core().pool().preparedQuery("""
        UPDATE activations SET expires_at = date_trunc('milliseconds', now()) + interval '300 seconds 400 microseconds'
         WHERE id = $1""").execute(Tuple.of(id)));
    long deadline = expiresMicros(id);
    Await.result(node.node().core().timers().service().schedule(new Timer(TimerKind.EXPIRE, id, System.currentTimeMillis())));

    Await.until("the early expiry found nothing due and re-synced its timer", Duration.ofSeconds(10),
        () -> {
          Response score = indexed(id); // null while the engine holds it
          return score != null && Double.parseDouble(score.toString()) > System.currentTimeMillis() + 60_000;
        });
    assertDueAtOrJustAfter(id, deadline);
  }

  private static void assertDueAtOrJustAfter(long id, long deadlineMicros) {
    long due = dueMillis(id);
    assertThat(due * 1_000).as("order %s: due in the index vs its deadline %s us", id, deadlineMicros)
        .isGreaterThanOrEqualTo(deadlineMicros).isLessThan(deadlineMicros + 1_000);
  }

  private static long buy() {
    Api.Response bought = api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(bought.status()).as("%s", bought).isEqualTo(201);
    return bought.json().getLong("id");
  }

  private static long expiresMicros(long id) {
    return Await.result(node.node().core().pool().preparedQuery(
            "SELECT (extract(epoch FROM expires_at) * 1000000)::bigint FROM activations WHERE id = $1").execute(Tuple.of(id)))
        .iterator().next().getLong(0);
  }

  /** The order's expiry in the due set, or null while an engine holds it. */
  private static Response indexed(long id) {
    TimerKeys keys = node.node().core().timers().service().keys();
    return Await.result(node.node().core().redis().send(Request.cmd(Command.ZSCORE)
        .arg(keys.due(TimerKind.EXPIRE.lane(), keys.shardOf(id))).arg(TimerKind.EXPIRE.member(id))));
  }

  private static long dueMillis(long id) {
    Response score = indexed(id);
    assertThat(score).as("order %s in the timer index", id).isNotNull();
    return (long) Double.parseDouble(score.toString());
  }
}
