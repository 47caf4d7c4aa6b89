package com.otporchestrator.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.EventStream;
import com.otporchestrator.testing.EventStream.Event;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Node A serves the API only; node B (same PostgreSQL and Redis) also runs the timers and the
 * sandbox supplier, so every expiry and every SMS happens on B while the customer streams from A.
 */
@DisplayName("Server-sent events across two nodes")
class MultiNodeEventsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static TestStores.Isolated stores;
  private static TestNode a;
  private static TestNode b;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(MultiNodeEventsTest.class);
    b = TestNode.start(env("api,timers,sandbox"));
    a = TestNode.start(env("api"));
    b.offer("tg", 0, "0.50");
  }

  private static Map<String, String> env(String roles) {
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ROLES", roles);
    env.put("ACTIVATION_WINDOW_SECONDS", "3");
    env.put("CANCEL_DELAY_SECONDS", "1");
    return env;
  }

  @AfterEach
  void defaults() {
    a.node().modules().push().channel().tune(PushSettings.DEFAULTS);
    b.node().modules().push().channel().publishing(true);
  }

  @AfterAll
  static void stop() {
    a.assertEventLoopNeverBlocked();
    b.assertEventLoopNeverBlocked();
    b.assertMoneyInvariants();
    a.close();
    b.close();
    stores.close();
  }

  private static long buyOnA(Customer customer) {
    Api.Response response = a.api().post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(response.status()).as("%s", response).isEqualTo(201);
    return response.json().getLong("id");
  }

  @Test
  @DisplayName("a stream on A shows the expiry that node B's timers applied, through the pub/sub notice")
  void showsAnExpiryAppliedOnTheOtherNode() {
    PushStats stats = a.node().modules().push().channel().stats();
    long noticedBefore = stats.eventsAfterNotice.sum();
    // a fallback far beyond the window: the EXPIRED event can only come from B's notice
    a.node().modules().push().channel().tune(new PushSettings(Duration.ofSeconds(15), Duration.ofMinutes(5), 10_000, 100));
    Customer customer = a.customer("far", "10.00");
    long id = buyOnA(customer);
    try (EventStream stream = EventStream.open(a.api(), "/v1/activations/" + id + "/events", customer.apiKey())) {
      assertThat(stream.next(WAIT).state()).isEqualTo("WAITING_CODE");
      Event expired = stream.next(WAIT);
      assertThat(expired.state()).isEqualTo("EXPIRED");
      assertThat(expired.json()).isEqualTo(a.api().get("/v1/activations/" + id, customer.apiKey()).json());
      stream.awaitEnd(WAIT);
    }
    assertThat(stats.eventsAfterNotice.sum()).isGreaterThan(noticedBefore);
    assertThat(stats.noticesReceived.sum()).isPositive();
    assertThat(b.node().modules().push().channel().stats().noticesPublished.sum()).isPositive();
    Await.until("A's stream released", WAIT, () -> a.node().modules().push().channel().limits().open() == 0);
  }

  @Test
  @DisplayName("a stream on A shows a code pushed to B")
  void showsACodeDeliveredOnTheOtherNode() {
    Customer customer = a.customer("coder", "10.00");
    long id = buyOnA(customer);
    try (EventStream stream = EventStream.open(a.api(), "/v1/activations/" + id + "/events", customer.apiKey())) {
      assertThat(stream.next(WAIT).state()).isEqualTo("WAITING_CODE");
      Api.Response sms = b.api().post("/admin/v1/sandbox/activations/" + id + "/sms", TestNode.ADMIN_TOKEN,
          new JsonObject().put("text", "code 2718"));
      assertThat(sms.status()).as("%s", sms).isEqualTo(200);
      Event code = stream.next(WAIT);
      assertThat(code.state()).isEqualTo("CODE_RECEIVED");
      assertThat(code.json().getString("code")).isEqualTo("2718");
      // a received code ends as FINISHED at the window's end, on B
      assertThat(stream.next(WAIT).state()).isEqualTo("FINISHED");
      stream.awaitEnd(WAIT);
    }
  }

  @Test
  @DisplayName("the fallback re-read delivers a change whose notice was lost")
  void theFallbackDeliversAChangeWhoseNoticeWasLost() {
    b.node().modules().push().channel().publishing(false);
    a.node().modules().push().channel().tune(new PushSettings(Duration.ofSeconds(15), Duration.ofMillis(500), 10_000, 100));
    PushStats stats = a.node().modules().push().channel().stats();
    long noticedBefore = stats.eventsAfterNotice.sum();
    long fallbackBefore = stats.eventsAfterFallback.sum();
    Customer customer = a.customer("unlucky", "10.00");
    long id = buyOnA(customer);
    try (EventStream stream = EventStream.open(a.api(), "/v1/activations/" + id + "/events", customer.apiKey())) {
      assertThat(stream.next(WAIT).state()).isEqualTo("WAITING_CODE");
      assertThat(stream.next(WAIT).state()).isEqualTo("EXPIRED");
      stream.awaitEnd(WAIT);
    }
    assertThat(stats.eventsAfterFallback.sum()).isGreaterThan(fallbackBefore);
    assertThat(stats.eventsAfterNotice.sum()).as("no notice was published").isEqualTo(noticedBefore);
  }

  @Test
  @DisplayName("the subscriber reconnects after Redis drops its connection, and notices flow again")
  void theSubscriberReconnectsAfterRedisDropsIt() {
    PushStats stats = a.node().modules().push().channel().stats();
    long subscriptions = stats.subscriptions.sum();
    assertThat(subscriptions).isPositive();
    long killed = killSubscriberOf(a);
    assertThat(killed).as("subscriber connections killed").isEqualTo(1);
    Await.until("A subscribed again", WAIT, () -> stats.subscriptions.sum() > subscriptions);

    a.node().modules().push().channel().tune(new PushSettings(Duration.ofSeconds(15), Duration.ofMinutes(5), 10_000, 100));
    long noticedBefore = stats.eventsAfterNotice.sum();
    Customer customer = a.customer("reconnected", "10.00");
    long id = buyOnA(customer);
    try (EventStream stream = EventStream.open(a.api(), "/v1/activations/" + id + "/events", customer.apiKey())) {
      assertThat(stream.next(WAIT).state()).isEqualTo("WAITING_CODE");
      assertThat(stream.next(WAIT).state()).isEqualTo("EXPIRED");
      stream.awaitEnd(WAIT);
    }
    assertThat(stats.eventsAfterNotice.sum()).isGreaterThan(noticedBefore);
  }

  /** Kills only this node's subscriber connection (other test classes share the Redis server). */
  private static long killSubscriberOf(TestNode node) {
    String name = node.node().modules().push().channel().subscriberName();
    String clients = Await.result(node.node().core().redis().send(Request.cmd(Command.CLIENT).arg("LIST"))).toString();
    long killed = 0;
    for (String line : clients.split("\n")) {
      if (!line.contains(" name=" + name + " ")) continue;
      String clientId = line.substring(line.indexOf("id=") + 3, line.indexOf(' '));
      killed += Await.result(node.node().core().redis().send(Request.cmd(Command.CLIENT).arg("KILL").arg("ID").arg(clientId))).toLong();
    }
    return killed;
  }
}
