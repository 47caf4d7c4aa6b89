package com.otporchestrator.timer;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The idle poll is only a fallback: with it set to a minute (and the PostgreSQL sweep out of reach), an order bought
 * on an API-only node, with a window of two seconds, can only expire in time if the timers node's engine is woken by the
 * scheduling node's pub/sub notice; one bought on the timers node itself, by the local wake-up.
 */
@DisplayName("Timers scheduled sooner than an engine's next look wake it, on this node and across nodes")
class WakeUpAcrossNodesTest {
  private static TestStores.Isolated stores;
  private static TestNode timersNode;
  private static TestNode apiNode;
  private static Customer customer;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(WakeUpAcrossNodesTest.class);
    timersNode = TestNode.start(env("api,timers,sandbox"));
    apiNode = TestNode.start(env("api"));
    timersNode.offer("tg", 0, "0.50");
    customer = timersNode.customer("wake-up", "50.00");
  }

  private static Map<String, String> env(String roles) {
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ROLES", roles);
    env.put("ACTIVATION_WINDOW_SECONDS", "2");
    env.put("CANCEL_DELAY_SECONDS", "0");
    env.put("TIMER_IDLE_POLL_MS", "60000");      // a minute: only a wake-up fires a timer within the awaits below
    env.put("TIMER_SWEEP_INTERVAL_MS", "600000");
    env.put("TIMER_SWEEP_GRACE_MS", "600000");
    return env;
  }

  @AfterAll
  static void stop() {
    try {
      timersNode.assertMoneyInvariants();
      timersNode.assertEventLoopNeverBlocked();
      apiNode.assertEventLoopNeverBlocked();
    } finally {
      apiNode.close();
      timersNode.close();
      stores.close();
    }
  }

  @Test
  @DisplayName("an order bought on the API-only node expires on the timers node at the end of its window, not after the idle poll")
  void aNoticeFromAnotherNodeWakesTheEngine() {
    TimerStats stats = timersNode.node().core().timers().stats();
    long wakeUpsBefore = stats.wakeUps.sum();
    Await.pause(Duration.ofMillis(1_500)); // the engine has looked at every shard and sleeps for the idle poll

    List<Long> ids = buy(apiNode.api(), 3);
    Await.until("the orders bought on the API node expired", Duration.ofSeconds(30), () -> expired(ids) == ids.size());
    assertThat(stats.wakeUps.sum()).as("lanes woken early").isGreaterThan(wakeUpsBefore);
    assertThat(stats.swept.sum()).as("timers fired by the PostgreSQL sweep").isZero();
    assertThat(timersNode.api().get("/v1/wallet", customer.apiKey()).json().getString("held")).isEqualTo("0.00");
  }

  @Test
  @DisplayName("an order bought on the timers node wakes its own engine")
  void aLocalScheduleWakesTheEngine() {
    Await.pause(Duration.ofMillis(1_500));
    List<Long> ids = buy(timersNode.api(), 3);
    Await.until("the orders bought on the timers node expired", Duration.ofSeconds(30), () -> expired(ids) == ids.size());
  }

  private static List<Long> buy(Api api, int n) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Api.Response bought = api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
      assertThat(bought.status()).as("%s", bought).isEqualTo(201);
      ids.add(bought.json().getLong("id"));
    }
    return ids;
  }

  private static long expired(List<Long> ids) {
    Pool pool = timersNode.node().core().pool();
    return Await.result(pool.preparedQuery("SELECT count(*) FROM activations WHERE id = ANY($1) AND state = 'EXPIRED'")
        .execute(Tuple.of((Object) ids.toArray(Long[]::new)))).iterator().next().getLong(0);
  }
}
