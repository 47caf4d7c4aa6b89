package com.otporchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.store.Database;
import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Requests that hold every connection of the requests' pool (DATABASE_POOL_SIZE=1: one connection per API event loop)
 * in transactions that wait on a row another session locked. Another request then waits the acquire timeout and is
 * answered 503 with Retry-After, having done nothing; meanwhile readiness answers 200 from its own pool and automatic
 * refunds go on from the timer engine's.
 */
@DisplayName("Busy database connections: 503 with Retry-After for requests, never for readiness or refunds")
class BusyDatabaseConnectionsTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  /** The node's HTTP verticles, one per processor, each on its own event loop with its own pool of one connection. */
  private static final int API_LOOPS = Math.max(1, Runtime.getRuntime().availableProcessors());
  /** Twice the loops and more: sockets are spread over the loops in turn, so every loop's connection is taken. */
  private static final int JAMMING_REQUESTS = 2 * API_LOOPS + 2;
  private static final java.util.concurrent.ExecutorService SENDERS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private Connection locker;
  private final List<CompletableFuture<RawHttp.Wire>> jam = new ArrayList<>();

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(BusyDatabaseConnectionsTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("DATABASE_POOL_SIZE", "1");
    env.put("DATABASE_ACQUIRE_TIMEOUT_MS", "2000");
    env.put("ACTIVATION_WINDOW_SECONDS", "2");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    Api.Response offer = api.put("/admin/v1/rent-offers", ADMIN, new JsonObject().put("provider", "sandbox")
        .put("country", 0).put("service", "full").put("hourlyPrice", "0.01").put("stock", 50));
    assertThat(offer.status()).as("%s", offer).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.close();
    stores.close();
  }

  @AfterEach
  void releaseTheLock() throws Exception {
    if (locker != null) {
      locker.rollback();
      locker.close();
    }
    for (CompletableFuture<RawHttp.Wire> request : jam) request.join();
  }

  @Test
  @DisplayName("a request that finds every connection busy past the acquire timeout answers 503 with Retry-After and changes nothing")
  void overloadedRequestAnswers503() throws Exception {
    Customer customer = node.customer("bystander", "3.00");
    jamTheRequestConnections();

    RawHttp.Wire deposit = RawHttp.exchange(api, request("POST", "/admin/v1/accounts/" + customer.id() + "/deposits",
        ADMIN, new JsonObject().put("amount", "5.00").put("reference", "while-busy").encode()));

    assertThat(deposit.status()).as("%s", deposit).isEqualTo(503);
    assertThat(deposit.head()).as("%s", deposit).containsIgnoringCase("\r\nRetry-After: 1");
    assertThat(deposit.json().getString("type")).isEqualTo(Problems.typeOf(com.otporchestrator.common.DomainException.Kind.OVERLOADED));
    releaseTheLock();
    locker = null;
    assertThat(api.get("/v1/wallet", customer.apiKey()).json().getString("balance")).isEqualTo("3.00");
    assertThat(jam).extracting(request -> request.join().status()).as("the finishes that waited for a connection")
        .containsOnly(200, 503);
  }

  @Test
  @DisplayName("a supplier's SMS push that finds every connection busy answers 503 with Retry-After (send it again later) and stores nothing")
  void overloadedPushAnswers503WithRetryAfter() throws Exception {
    String phone = activationOf(node.customer("waiting-for-a-code", "2.00")).getString("phone").replaceAll("\\D", "");
    jamTheRequestConnections();
    JsonObject sms = new JsonObject().put("action", "PUSH_SMS").put("key", node.config().sandbox().key())
        .put("smsId", 777_001L).put("phone", Long.parseLong(phone)).put("phoneFrom", "Telegram").put("text", "code 12345");

    RawHttp.Wire push = RawHttp.exchange(api, request("POST", "/providers/sandbox/sms", null, sms.encode()));

    assertThat(push.status()).as("%s", push).isEqualTo(503);
    assertThat(push.head()).as("%s", push).containsIgnoringCase("\r\nRetry-After: 1");
    assertThat(push.json().getString("status")).isEqualTo("ERROR");
    releaseTheLock();
    locker = null;
    assertThat(storedSms("code 12345")).as("SMS rows stored by the refused push").isZero();
  }

  private static long storedSms(String text) {
    try (Connection c = jdbc(); PreparedStatement q = c.prepareStatement(
        "SELECT (SELECT count(*) FROM activation_sms WHERE text = ?) + (SELECT count(*) FROM rental_sms WHERE text = ?)")) {
      q.setString(1, text);
      q.setString(2, text);
      try (ResultSet rows = q.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("readiness answers 200 while every connection of the requests' pool is busy")
  void readinessHasItsOwnConnection() throws Exception {
    jamTheRequestConnections();

    for (int i = 0; i < 4; i++) {
      RawHttp.Wire ready = RawHttp.exchange(api, request("GET", "/health/ready", null, null));
      assertThat(ready.status()).as("%s", ready).isEqualTo(200);
    }
  }

  @Test
  @DisplayName("an order expires and is refunded on time while every connection of the requests' pool is busy")
  void refundsHaveTheirOwnConnections() throws Exception {
    Customer customer = node.customer("expiring", "2.00");
    long id = activationOf(customer).getLong("id");
    jamTheRequestConnections();

    Await.until("the order expired and was refunded", Duration.ofSeconds(8),
        () -> "EXPIRED".equals(stateOf(id)) && balanceOf(customer.id()) == 2_000_000L);
  }

  /** An activation {@code customer} bought (tg, country 0) before the connections are jammed. */
  private static JsonObject activationOf(Customer customer) {
    Api.Response bought = api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(bought.status()).as("%s", bought).isEqualTo(201);
    return bought.json();
  }

  /**
   * Locks a rental in a session of its own, then sends finishes of it on separate sockets: each takes its loop's
   * connection into a transaction that waits on the lock, until {@link #releaseTheLock()}.
   */
  private void jamTheRequestConnections() throws Exception {
    Customer renter = node.customer("renter-" + System.nanoTime(), "1.00");
    Api.Response rented = api.post("/v1/rentals", renter.apiKey(), new JsonObject().put("country", 0).put("hours", 4));
    assertThat(rented.status()).as("%s", rented).isEqualTo(201);
    long rental = rented.json().getLong("id");
    locker = jdbc();
    locker.setAutoCommit(false);
    try (PreparedStatement lock = locker.prepareStatement("SELECT id FROM rentals WHERE id = ? FOR UPDATE")) {
      lock.setLong(1, rental);
      lock.executeQuery().close();
    }
    for (int i = 0; i < JAMMING_REQUESTS; i++) {
      String finish = request("POST", "/v1/rentals/" + rental + "/finish", renter.apiKey(), null);
      jam.add(CompletableFuture.supplyAsync(() -> RawHttp.exchange(api, finish), SENDERS));
    }
    Await.until("every request connection waits on the lock", Duration.ofSeconds(5), () -> waitingOnLocks() >= API_LOOPS);
  }

  private static String request(String method, String path, String bearer, String json) {
    String host = java.net.URI.create(api.baseUrl()).getAuthority();
    StringBuilder text = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
    if (bearer != null) text.append("Authorization: Bearer ").append(bearer).append("\r\n");
    String body = json == null ? "" : json;
    if (json != null) text.append("Content-Type: application/json\r\n");
    text.append("Content-Length: ").append(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .append("\r\nConnection: close\r\n\r\n").append(body);
    return text.toString();
  }

  private static long waitingOnLocks() {
    try (Connection c = jdbc(); ResultSet rows = c.createStatement().executeQuery(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String stateOf(long activationId) {
    try (Connection c = jdbc(); PreparedStatement q = c.prepareStatement("SELECT state FROM activations WHERE id = ?")) {
      q.setLong(1, activationId);
      try (ResultSet rows = q.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long balanceOf(long accountId) {
    try (Connection c = jdbc(); PreparedStatement q = c.prepareStatement("SELECT balance FROM wallets WHERE account_id = ?")) {
      q.setLong(1, accountId);
      try (ResultSet rows = q.executeQuery()) {
        return rows.next() ? rows.getLong(1) : -1;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Connection jdbc() throws SQLException {
    Database.JdbcTarget target = Database.JdbcTarget.of(stores.databaseUrl());
    return DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
  }
}
