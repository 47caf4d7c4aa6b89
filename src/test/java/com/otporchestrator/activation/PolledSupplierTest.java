package com.otporchestrator.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import com.otporchestrator.upstream.smsactivate.FakeSmsActivateUpstream;
import com.otporchestrator.upstream.smsactivate.FakeSmsActivateUpstream.Dialect;
import com.otporchestrator.upstream.smsactivate.FakeSmsActivateUpstream.State;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Orders routed to sms-activate compatible upstreams, which never push: the poll timer reads their
 * SMS and the close timer tells them how each order ended. The upstreams are fakes over real HTTP:
 * upstream1 speaks the text-only Tiger dialect (STATUS_OK replies), upstream2 the Hero JSON dialect.
 */
@DisplayName("An order bought from a polled sms-activate supplier")
class PolledSupplierTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static Vertx upstreamVertx;
  private static FakeSmsActivateUpstream tiger;
  private static FakeSmsActivateUpstream hero;

  @BeforeAll
  static void start() throws Exception {
    upstreamVertx = Vertx.vertx();
    tiger = new FakeSmsActivateUpstream(upstreamVertx).speak(Dialect.TIGER);
    hero = new FakeSmsActivateUpstream(upstreamVertx).speak(Dialect.HERO);
    tiger.start().await(10, TimeUnit.SECONDS);
    hero.start().await(10, TimeUnit.SECONDS);

    stores = TestStores.isolate(PolledSupplierTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", "8");
    env.put("CANCEL_DELAY_SECONDS", "1");
    env.put("TIMER_SWEEP_INTERVAL_MS", "300");
    env.put("TIMER_SWEEP_GRACE_MS", "1500");
    node = TestNode.start(env);
    api = node.api();
    registerUpstream("upstream1", tiger);
    registerUpstream("upstream2", hero);
    // the fakes sell tg in Russia at 12.50 and dr in Thailand at 0.05; nobody else sells either
    offer("tg", 0, "upstream1", "13.00", "12.50");
    offer("dr", 52, "upstream2", "0.20", "0.05");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
      stores.close();
      upstreamVertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void registerUpstream(String id, FakeSmsActivateUpstream upstream) {
    Api.Response response = api.put("/admin/v1/providers/" + id, TestNode.ADMIN_TOKEN, new JsonObject()
        .put("protocol", "sms-activate").put("baseUrl", upstream.baseUrl()).put("apiKey", FakeSmsActivateUpstream.API_KEY)
        .put("priority", 10));
    assertThat(response.status()).as("provider: %s", response).isEqualTo(200);
  }

  private static void offer(String service, int country, String provider, String price, String cost) {
    Api.Response response = api.put("/admin/v1/offers", TestNode.ADMIN_TOKEN, new JsonObject().put("service", service)
        .put("country", country).put("provider", provider).put("price", price).put("cost", cost).put("stock", 5));
    assertThat(response.status()).as("offer: %s", response).isEqualTo(200);
  }

  private static JsonObject buy(Customer customer, String service, int country) {
    Api.Response response = api.post("/v1/activations", customer.apiKey(),
        new JsonObject().put("service", service).put("country", country));
    assertThat(response.status()).as("purchase: %s", response).isEqualTo(201);
    return response.json();
  }

  private static JsonObject order(Customer customer, long id) {
    return api.get("/v1/activations/" + id, customer.apiKey()).json();
  }

  private static JsonObject wallet(Customer customer) {
    return api.get("/v1/wallet", customer.apiKey()).json();
  }

  /** The order's row as the supplier side sees it. */
  private static Row upstreamRow(long id) {
    return Await.result(node.node().core().pool().preparedQuery(
            "SELECT provider_id, provider_activation_id, upstream_state, upstream_attempts, upstream_note FROM activations WHERE id = $1")
        .execute(Tuple.of(id))).iterator().next();
  }

  private static List<String> setStatuses(FakeSmsActivateUpstream upstream, String activationId) {
    return upstream.requests("setStatus").stream().filter(r -> activationId.equals(r.get("id")))
        .map(r -> r.get("status")).toList();
  }

  private static long statusReads(FakeSmsActivateUpstream upstream, String activationId) {
    return upstream.requests("getStatus").stream()
        .filter(r -> activationId.equals(r.get("id"))).count();
  }

  @Test
  @DisplayName("shows the code the poll timer read (STATUS_OK), and after finish the upstream sees setStatus 6")
  void pollsTheCodeAndFinishesUpstream() {
    Customer customer = node.customer("polled", "100.00");
    JsonObject bought = buy(customer, "tg", 0);
    long id = bought.getLong("id");
    assertThat(bought.getString("state")).isEqualTo("WAITING_CODE");
    assertThat(bought.getString("price")).isEqualTo("13.00");
    String ref = upstreamRow(id).getString("provider_activation_id");
    assertThat(upstreamRow(id).getString("provider_id")).isEqualTo("upstream1");
    assertThat(tiger.state(ref)).isEqualTo(State.WAITING);

    tiger.deliverSms(ref, "54321", "Telegram code: 54321");
    Await.until("the poll timer read the code", Duration.ofSeconds(10),
        () -> "CODE_RECEIVED".equals(order(customer, id).getString("state")));
    JsonObject received = order(customer, id);
    assertThat(received.getString("code")).isEqualTo("54321");
    assertThat(received.getJsonArray("sms")).hasSize(1);
    assertThat(tiger.requests("getStatus")).as("polled with the text action").isNotEmpty();
    assertThat(statusReads(tiger, ref)).as("polls of this order").isPositive();

    Api.Response finished = api.post("/v1/activations/" + id + "/finish", customer.apiKey(), (String) null);
    assertThat(finished.status()).as("%s", finished).isEqualTo(200);
    Await.until("the upstream saw setStatus 6", Duration.ofSeconds(10), () -> tiger.state(ref) == State.FINISHED);
    assertThat(setStatuses(tiger, ref)).containsExactly("6");
    Await.until("closed upstream", Duration.ofSeconds(5), () -> "CLOSED".equals(upstreamRow(id).getString("upstream_state")));
    assertThat(wallet(customer)).isEqualTo(new JsonObject().put("balance", "87.00").put("held", "0.00").put("currency", "USD"));
  }

  @Test
  @DisplayName("expires when left alone, gives the price back, and the upstream gets setStatus 8; polling then stops")
  void expiresAndCancelsUpstream() {
    Customer customer = node.customer("idle-polled", "100.00");
    long id = buy(customer, "tg", 0).getLong("id");
    String ref = upstreamRow(id).getString("provider_activation_id");
    assertThat(wallet(customer).getString("held")).isEqualTo("13.00");

    Await.until("expired", Duration.ofSeconds(15), () -> "EXPIRED".equals(order(customer, id).getString("state")));
    assertThat(wallet(customer)).isEqualTo(new JsonObject().put("balance", "100.00").put("held", "0.00").put("currency", "USD"));
    Await.until("the upstream saw setStatus 8", Duration.ofSeconds(10), () -> tiger.state(ref) == State.CANCELLED);
    assertThat(setStatuses(tiger, ref)).containsExactly("8");
    Await.until("closed upstream", Duration.ofSeconds(5), () -> "CLOSED".equals(upstreamRow(id).getString("upstream_state")));
    assertThat(statusReads(tiger, ref)).as("polled while it was open").isPositive();

    long readsAfterClose = statusReads(tiger, ref);
    Await.pause(Duration.ofMillis(3_500)); // longer than the 3 s poll interval
    assertThat(statusReads(tiger, ref)).as("no polls of a closed order").isEqualTo(readsAfterClose);
  }

  @Test
  @DisplayName("retries the upstream cancel after EARLY_CANCEL_DENIED, later each time, until the upstream closes it")
  void retriesAnEarlyCancelDenialUntilClosed() {
    hero.denyEarlyCancel(2, 1);
    Customer customer = node.customer("early-canceller", "10.00");
    JsonObject bought = buy(customer, "dr", 52);
    long id = bought.getLong("id");
    String ref = upstreamRow(id).getString("provider_activation_id");
    assertThat(upstreamRow(id).getString("provider_id")).isEqualTo("upstream2");

    Await.pause(Duration.ofMillis(1_100));
    Api.Response cancelled = api.post("/v1/activations/" + id + "/cancel", customer.apiKey(), (String) null);
    assertThat(cancelled.status()).as("%s", cancelled).isEqualTo(200);
    assertThat(cancelled.json().getString("state")).isEqualTo("CANCELLED");
    assertThat(wallet(customer).getString("balance")).as("refunded at once, whatever the upstream says").isEqualTo("10.00");

    Await.until("the first denial", Duration.ofSeconds(5), () -> setStatuses(hero, ref).size() == 1);
    long firstTry = System.nanoTime();
    Await.until("the denial recorded", Duration.ofSeconds(5), () -> upstreamRow(id).getInteger("upstream_attempts") == 1);
    Row denied = upstreamRow(id);
    assertThat(denied.getString("upstream_state")).isEqualTo("CLOSING");
    assertThat(denied.getString("upstream_note")).contains("EARLY_CANCEL_DENIED");
    assertThat(hero.state(ref)).isEqualTo(State.WAITING);

    Await.until("the second try", Duration.ofSeconds(15), () -> setStatuses(hero, ref).size() == 2);
    long secondTry = System.nanoTime();
    Await.until("the third try", Duration.ofSeconds(25), () -> setStatuses(hero, ref).size() == 3);
    long thirdTry = System.nanoTime();
    assertThat(TimeUnit.NANOSECONDS.toMillis(secondTry - firstTry)).as("ms before the second try").isGreaterThanOrEqualTo(4_000);
    assertThat(secondTry - firstTry).as("backing off: the third try waited longer").isLessThan(thirdTry - secondTry);

    Await.until("closed upstream after two denials", Duration.ofSeconds(5),
        () -> "CLOSED".equals(upstreamRow(id).getString("upstream_state")));
    assertThat(setStatuses(hero, ref)).containsExactly("8", "8", "8");
    assertThat(hero.state(ref)).isEqualTo(State.CANCELLED);
    assertThat(upstreamRow(id).getInteger("upstream_attempts")).isEqualTo(3);
    assertThat(order(customer, id).getString("state")).isEqualTo("CANCELLED");
    assertThat(wallet(customer)).isEqualTo(new JsonObject().put("balance", "10.00").put("held", "0.00").put("currency", "USD"));
  }

  @Test
  @DisplayName("is polled again by the PostgreSQL sweep when Redis lost its poll timer")
  void recoversALostPollTimerFromPostgres() {
    Customer customer = node.customer("lost-poll", "100.00");
    long id = buy(customer, "tg", 0).getLong("id");
    String ref = upstreamRow(id).getString("provider_activation_id");
    var timers = node.node().core().timers().service();
    Await.result(timers.cancel(com.otporchestrator.timer.TimerKind.POLL, id));
    tiger.deliverSms(ref, "77881", "Telegram code: 77881");
    Await.until("the sweep restored the poll", Duration.ofSeconds(10),
        () -> "77881".equals(order(customer, id).getString("code")));
    assertThat(node.node().core().timers().stats().swept.sum()).isPositive();
  }
}
