package com.otporchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.otporchestrator.sandbox.SandboxSettings;
import com.otporchestrator.sandbox.SandboxSupplier;
import com.otporchestrator.store.Database;
import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.EventStream;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import com.otporchestrator.ledger.Invariants;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Node.shutdown() in one JVM: readiness goes 503 while the listener still serves, then the listener
 * closes, purchases in flight finish (they take 1.5 s at the supplier), event streams end at once,
 * and the whole stop takes about as long as the slowest request, not the drain timeout.
 */
@DisplayName("Graceful shutdown of one node")
class GracefulShutdownTest {
  private static final long DELAY_MS = 800;
  private static final long DRAIN_MS = 8_000;
  private static final Duration SLOW = Duration.ofMillis(1_500);
  private static final int IN_FLIGHT = 4;

  private static TestStores.Isolated stores;
  private static Vertx suppliers;
  private static TestNode node;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(GracefulShutdownTest.class);
    suppliers = Vertx.vertx();
    Map<String, String> env = TestNode.defaults(stores);
    env.put("SHUTDOWN_DELAY_MS", String.valueOf(DELAY_MS));
    env.put("SHUTDOWN_DRAIN_MS", String.valueOf(DRAIN_MS));
    env.put("UPSTREAM_TIMEOUT_MS", "5000");
    node = TestNode.start(env);
    SandboxSupplier slow = new SandboxSupplier(SandboxSettings.builder().key("slow-key").smsProbability(0)
        .slowReplyRate(1.0).slowReplyDelay(SLOW).pushUrl(node.api().baseUrl() + "/providers/slow/sms")
        .stock(Map.of("russia", Map.of("tg", 50))).build());
    Await.result(suppliers.deployVerticle(slow));
    assertThat(node.api().put("/admin/v1/providers/slow", TestNode.ADMIN_TOKEN, new JsonObject().put("protocol", "smshub")
        .put("baseUrl", slow.agentUrl()).put("apiKey", "slow-key")).status()).isEqualTo(200);
    assertThat(node.api().put("/admin/v1/offers", TestNode.ADMIN_TOKEN, new JsonObject().put("service", "tg").put("country", 0)
        .put("provider", "slow").put("price", "0.50").put("cost", "0.10").put("stock", 50)).status()).isEqualTo(200);
    node.offer("wa", 0, "0.25");
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
      suppliers.close().await(10, TimeUnit.SECONDS);
      stores.close();
    }
  }

  @Test
  @DisplayName("readiness 503 first, then no new connections, in-flight purchases finish, streams end, money intact")
  void drainsInOrder() throws Exception {
    Api api = node.api();
    Customer customer = node.customer("drain", "10.00");
    long streamed = api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "wa").put("country", 0))
        .json().getLong("id");
    EventStream stream = EventStream.open(api, "/v1/activations/" + streamed + "/events", customer.apiKey());
    assertThat(stream.next(Duration.ofSeconds(5)).state()).isEqualTo("WAITING_CODE");
    assertThat(api.get("/health/ready", null).status()).isEqualTo(200);

    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<HttpResponse<String>>> purchases = new ArrayList<>();
    for (int i = 0; i < IN_FLIGHT; i++) {
      purchases.add(client.sendAsync(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v1/activations"))
          .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + customer.apiKey())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("service", "tg").put("country", 0).encode())).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    Await.until("the slow purchases are at the supplier", Duration.ofSeconds(5),
        () -> count("state = 'ALLOCATING'") == IN_FLIGHT);

    long started = System.nanoTime();
    Future<Void> shutdown = node.node().shutdown();
    assertThat(node.node().draining()).isTrue();

    // Within SHUTDOWN_DELAY_MS the listener still answers, and readiness says DRAINING.
    Api.Response ready = api.get("/health/ready", null);
    assertThat(ready.status()).as("%s", ready).isEqualTo(503);
    assertThat(ready.json().getString("status")).isEqualTo("DRAINING");
    assertThat(api.get("/health/live", null).status()).isEqualTo(200);
    assertThat(elapsedMs(started)).as("still inside the delay").isLessThan(DELAY_MS);

    // After the delay: the event stream is ended by the server instead of holding the drain.
    stream.awaitEnd(Duration.ofSeconds(3));
    long streamEndedMs = elapsedMs(started);
    assertThat(streamEndedMs).isGreaterThanOrEqualTo(DELAY_MS - 50).isLessThan(DELAY_MS + 1_500);

    // New connections are refused while the purchases already in flight finish.
    Await.until("the listener is closed", Duration.ofSeconds(3), () -> refused(api));
    for (CompletableFuture<HttpResponse<String>> purchase : purchases) {
      HttpResponse<String> response = purchase.get(15, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as("in-flight purchase: %s", response.body()).isEqualTo(201);
    }
    shutdown.await(15, TimeUnit.SECONDS);
    long stoppedMs = elapsedMs(started);
    assertThat(stoppedMs).as("stopped once the slowest request finished, not after the drain timeout")
        .isLessThan(DELAY_MS + SLOW.toMillis() + 2_500).isLessThan(DELAY_MS + DRAIN_MS);
    System.out.printf("graceful shutdown: readiness 503 at once, stream ended after %d ms, %d in-flight purchases answered 201,"
        + " stopped in %d ms (delay %d ms, drain limit %d ms)%n", streamEndedMs, IN_FLIGHT, stoppedMs, DELAY_MS, DRAIN_MS);

    try (Checker checker = new Checker()) {
      assertThat(checker.count("state = 'WAITING_CODE'")).isEqualTo(IN_FLIGHT + 1);
      JsonObject invariants = checker.invariants();
      assertThat(invariants.getBoolean("ok")).as("%s", invariants.encodePrettily()).isTrue();
    }
  }

  private static boolean refused(Api api) {
    try {
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/health/live"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (Exception e) {
      return e.getCause() instanceof ConnectException;
    }
  }

  private static long elapsedMs(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  private static long count(String where) {
    return node.countActivations(where);
  }


  /** Reads the books after the node closed its own pool. */
  private static final class Checker implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final Pool pool = Database.pool(vertx, stores.databaseUrl(), 1, "checker");

    long count(String where) {
      return Await.result(pool.query("SELECT count(*) AS n FROM activations WHERE " + where).execute())
          .iterator().next().getLong("n");
    }

    JsonObject invariants() {
      return Await.result(new Invariants(pool).check());
    }

    @Override
    public void close() throws Exception {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
