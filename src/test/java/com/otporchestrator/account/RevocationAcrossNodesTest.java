package com.otporchestrator.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Suspension and termination act at once on every node. Node A changes the status; node B, whose key
 * cache holds the account (every event loop warmed up), acts on the new status well within the cache's 5 s expiry,
 * because A's notice over Redis pub/sub makes B forget the account. A control first shows that B's cache does hold the
 * account: a status changed behind the platform's back (plain SQL, no notice) is not seen by B yet.
 */
@DisplayName("A status change acts at once on every node")
class RevocationAcrossNodesTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  /** Well under the key cache's expiry (Authenticator.TTL_MILLIS, 5 s): only a notice explains a change this fast. */
  private static final Duration AT_ONCE = Duration.ofMillis(1_500);
  private static TestStores.Isolated stores;
  private static TestNode a;
  private static TestNode b;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(RevocationAcrossNodesTest.class);
    b = TestNode.start(env("api,timers,sandbox"));
    a = TestNode.start(env("api"));
    b.offer("tg", 0, "0.50");
  }

  private static Map<String, String> env(String roles) {
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ROLES", roles);
    return env;
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

  /** A request on a new connection, so it may land on any of B's event loops. */
  private static int onB(String method, String path, String apiKey, String body) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(b.api().baseUrl() + path))
        .header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(10));
    request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
        : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      client.close();
    }
  }

  private static int buyOnB(Customer c) {
    return onB("POST", "/v1/activations", c.apiKey(), "{\"service\":\"tg\",\"country\":0}");
  }

  /** Fills the key cache of every event loop of B. */
  private static void warmUp(Customer c) {
    for (int i = 0; i < 12; i++) assertThat(onB("GET", "/v1/wallet", c.apiKey(), null)).isEqualTo(200);
  }

  private static void setStatusBehindThePlatformsBack(long accountId, String status) {
    Await.result(b.node().core().pool().preparedQuery("UPDATE accounts SET status = $2 WHERE id = $1")
        .execute(Tuple.of(accountId, status)));
  }

  @Test
  @DisplayName("a suspension on node A stops orders on node B at once; lifting it lets them through at once")
  void suspensionActsAtOnceOnTheOtherNode() {
    Customer c = a.customer("suspended-everywhere", "10.00");
    warmUp(c);
    setStatusBehindThePlatformsBack(c.id(), "suspended");
    assertThat(buyOnB(c)).as("control: B's cache still holds the account as active").isEqualTo(201);

    Api.Response suspended = a.api().put("/admin/v1/accounts/" + c.id() + "/status", ADMIN,
        new JsonObject().put("status", "suspended"));
    assertThat(suspended.status()).as("%s", suspended).isEqualTo(200);
    long from = System.nanoTime();
    Await.until("node B refuses orders of the suspended account", AT_ONCE, () -> buyOnB(c) == 403);
    for (int i = 0; i < 8; i++) assertThat(buyOnB(c)).as("on every event loop of B").isEqualTo(403);
    assertThat(Duration.ofNanos(System.nanoTime() - from)).isLessThan(Duration.ofMillis(Authenticator.TTL_MILLIS));

    Api.Response lifted = a.api().put("/admin/v1/accounts/" + c.id() + "/status", ADMIN, new JsonObject().put("status", "active"));
    assertThat(lifted.status()).as("%s", lifted).isEqualTo(200);
    Await.until("node B takes orders again", AT_ONCE, () -> buyOnB(c) == 201);
  }

  @Test
  @DisplayName("a termination on node A makes the key unknown on node B at once")
  void terminationActsAtOnceOnTheOtherNode() {
    Customer c = a.customer("terminated-everywhere", "10.00");
    warmUp(c);
    setStatusBehindThePlatformsBack(c.id(), "terminated");
    assertThat(onB("GET", "/v1/wallet", c.apiKey(), null)).as("control: B's cache still holds the account").isEqualTo(200);
    setStatusBehindThePlatformsBack(c.id(), "active");
    warmUp(c);

    Api.Response terminated = a.api().post("/admin/v1/accounts/" + c.id() + "/terminate", ADMIN,
        new JsonObject().put("reason", "ToS violation"));
    assertThat(terminated.status()).as("%s", terminated).isEqualTo(200);
    Await.until("node B refuses the terminated account's key", AT_ONCE,
        () -> onB("GET", "/v1/wallet", c.apiKey(), null) == 401);
    for (int i = 0; i < 8; i++) assertThat(onB("GET", "/v1/wallet", c.apiKey(), null)).isEqualTo(401);
  }
}
