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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Server-sent events of an activation, on one node")
class ActivationEventsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(ActivationEventsTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", "120");
    env.put("CANCEL_DELAY_SECONDS", "1");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
  }

  @AfterEach
  void defaults() {
    push().tune(PushSettings.DEFAULTS);
    Await.until("every stream closed", WAIT, () -> push().limits().open() == 0);
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static OrderPush push() {
    return node.node().modules().push().channel();
  }

  private static long buy(Customer customer) {
    Api.Response response = api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(response.status()).as("%s", response).isEqualTo(201);
    return response.json().getLong("id");
  }

  @Test
  @DisplayName("shows the order, then its code, then FINISHED, and ends")
  void showsTheOrderThenTheCodeThenFinishedAndEnds() {
    Customer customer = node.customer("streamer", "10.00");
    long id = buy(customer);
    try (EventStream stream = EventStream.open(api, "/v1/activations/" + id + "/events", customer.apiKey())) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
      assertThat(stream.header("Cache-Control")).isEqualTo("no-cache");

      Event first = stream.next(WAIT);
      assertThat(first.name()).isEqualTo("activation");
      assertThat(first.json()).isEqualTo(api.get("/v1/activations/" + id, customer.apiKey()).json());
      assertThat(first.state()).isEqualTo("WAITING_CODE");

      Api.Response sms = api.post("/admin/v1/sandbox/activations/" + id + "/sms", TestNode.ADMIN_TOKEN,
          new JsonObject().put("text", "Your code is 481516"));
      assertThat(sms.status()).as("%s", sms).isEqualTo(200);
      Event code = stream.next(WAIT);
      assertThat(code.state()).isEqualTo("CODE_RECEIVED");
      assertThat(code.json().getString("code")).isEqualTo("481516");
      assertThat(code.json().getJsonArray("sms")).hasSize(1);

      assertThat(api.post("/v1/activations/" + id + "/finish", customer.apiKey(), (String) null).status()).isEqualTo(200);
      Event finished = stream.next(WAIT);
      assertThat(finished.state()).isEqualTo("FINISHED");
      assertThat(finished.json()).isEqualTo(api.get("/v1/activations/" + id, customer.apiKey()).json());
      stream.awaitEnd(WAIT);

      List<Long> ids = new ArrayList<>();
      for (Event e : List.of(first, code, finished)) ids.add(Long.parseLong(e.id()));
      assertThat(ids).isSorted().doesNotHaveDuplicates();
    }
    Await.until("the stream released its place", WAIT, () -> push().limits().open() == 0);
  }

  @Test
  @DisplayName("sends an order already closed once, then ends")
  void sendsAClosedOrderOnceThenEnds() {
    Customer customer = node.customer("late", "10.00");
    long id = buy(customer);
    Await.until("cancellable", WAIT, () -> api.post("/v1/activations/" + id + "/cancel", customer.apiKey(), (String) null).status() == 200);
    try (EventStream stream = EventStream.open(api, "/v1/activations/" + id + "/events", customer.apiKey())) {
      assertThat(stream.next(WAIT).state()).isEqualTo("CANCELLED");
      stream.awaitEnd(WAIT);
    }
  }

  @Test
  @DisplayName("answers 404 problem+json for another account's order and for an unknown one")
  void answersNotFoundForOtherAccountsAndUnknownIds() {
    Customer owner = node.customer("owner", "10.00");
    Customer other = node.customer("other", "10.00");
    long id = buy(owner);
    for (String path : List.of("/v1/activations/" + id + "/events", "/v1/activations/999999999/events", "/v1/activations/x/events")) {
      try (EventStream stream = EventStream.open(api, path, other.apiKey())) {
        assertThat(stream.status()).as(path).isEqualTo(404);
        assertThat(stream.header("Content-Type")).startsWith("application/problem+json");
        assertThat(stream.bodyJson().getString("type")).endsWith("/not-found");
      }
    }
    assertThat(api.get("/v1/activations/" + id + "/events", null).status()).isEqualTo(401);
    Await.until("no stream left open", WAIT, () -> push().limits().open() == 0);
  }

  @Test
  @DisplayName("cleans up when the client disconnects")
  void cleansUpWhenTheClientDisconnects() {
    Customer customer = node.customer("leaver", "10.00");
    long id = buy(customer);
    EventStream stream = EventStream.open(api, "/v1/activations/" + id + "/events", customer.apiKey());
    stream.next(WAIT);
    assertThat(push().limits().open()).isEqualTo(1);
    assertThat(push().hub().watchedOrders()).isEqualTo(1);
    stream.close();
    Await.until("the server noticed the disconnect", WAIT, () -> push().limits().open() == 0);
    assertThat(push().hub().watchedOrders()).isZero();
  }

  @Test
  @DisplayName("refuses streams beyond the per-account cap with 429 and admits again after one closes")
  void capsStreamsPerAccount() {
    push().tune(new PushSettings(Duration.ofSeconds(15), Duration.ofSeconds(5), 10_000, 2));
    Customer customer = node.customer("greedy", "10.00");
    Customer neighbour = node.customer("neighbour", "10.00");
    long id = buy(customer);
    long theirs = buy(neighbour);
    String path = "/v1/activations/" + id + "/events";
    EventStream one = EventStream.open(api, path, customer.apiKey());
    EventStream two = EventStream.open(api, path, customer.apiKey());
    try (EventStream refused = EventStream.open(api, path, customer.apiKey());
         EventStream other = EventStream.open(api, "/v1/activations/" + theirs + "/events", neighbour.apiKey())) {
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
      assertThat(refused.bodyJson().getString("type")).endsWith("/too-many-requests");
      assertThat(other.status()).as("another account is not affected").isEqualTo(200);
      assertThat(one.next(WAIT).state()).isEqualTo("WAITING_CODE");
      assertThat(two.next(WAIT).state()).isEqualTo("WAITING_CODE");
    }
    one.close();
    Await.until("one place freed", WAIT, () -> push().limits().open() == 1);
    try (EventStream again = EventStream.open(api, path, customer.apiKey())) {
      assertThat(again.status()).isEqualTo(200);
    }
    two.close();
  }

  @Test
  @DisplayName("sends heartbeat comments while nothing changes")
  void sendsHeartbeats() {
    push().tune(new PushSettings(Duration.ofMillis(200), Duration.ofSeconds(5), 10_000, 100));
    Customer customer = node.customer("quiet", "10.00");
    long id = buy(customer);
    try (EventStream stream = EventStream.open(api, "/v1/activations/" + id + "/events", customer.apiKey())) {
      stream.next(WAIT);
      Await.until("two heartbeats", WAIT, () -> stream.comments().stream().filter("ping"::equals).count() >= 2);
    }
  }
}
