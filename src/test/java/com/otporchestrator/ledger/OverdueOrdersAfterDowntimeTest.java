package com.otporchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.otporchestrator.metrics.InvariantGauges;
import com.otporchestrator.store.Database;
import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Orders whose deadline passed while no node ran are overdue, not a money violation: their price is rightly held until
 * the sweep resolves them. A restart reports them as overdue (a WARN, a gauge) and never as "money invariants
 * violated"; a real violation still is an ERROR.
 */
@DisplayName("After downtime: overdue orders are reported as overdue, not as money violations")
class OverdueOrdersAfterDowntimeTest {
  private static TestStores.Isolated stores;
  private static Vertx vertx;
  private static Pool pool;
  private static ListAppender<ILoggingEvent> logs;
  private static Customer overdueCustomer;
  private static Customer otherCustomer;
  private static long orderId;

  @BeforeAll
  static void buyThenGoDown() {
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(InvariantGauges.class)).addAppender(logs);
    stores = TestStores.isolate(OverdueOrdersAfterDowntimeTest.class);
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, stores.databaseUrl(), 1, "checker");
    try (TestNode node = TestNode.start(stores)) {
      node.offer("tg", 0, "0.50");
      overdueCustomer = node.customer("overdue", "5.00");
      otherCustomer = node.customer("other", "5.00");
      Api.Response bought = node.api().post("/v1/activations", overdueCustomer.apiKey(),
          new JsonObject().put("service", "tg").put("country", 0));
      assertThat(bought.status()).as("%s", bought).isEqualTo(201);
      orderId = bought.json().getLong("id");
    }
    // the downtime lasted ten minutes: the order's window ended while no node ran
    Await.result(pool.preparedQuery("UPDATE activations SET expires_at = now() - interval '10 minutes' WHERE id = $1")
        .execute(Tuple.of(orderId)));
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(InvariantGauges.class)).detachAppender(logs);
    pool.close();
    vertx.close();
    stores.close();
  }

  @BeforeEach
  void clearLogs() {
    logs.list.clear();
  }

  @Test
  @DisplayName("a restart after downtime warns of the overdue order, logs no violation, and the sweep then refunds it")
  void restartAfterDowntime() {
    MeterRegistry registry = new SimpleMeterRegistry();
    InvariantGauges gauges = new InvariantGauges(new Invariants(pool)::check, registry);
    Await.result(gauges.refresh()); // what a node does first when it starts

    JsonObject books = Await.result(new Invariants(pool).check());
    assertThat(books.getBoolean("ok")).as("%s", books).isTrue();
    assertThat(books.getLong("openOrdersOverdue")).isEqualTo(1);
    assertThat(books.getJsonObject("violations").fieldNames()).doesNotContain(Invariants.OVERDUE);
    assertThat(registry.get(InvariantGauges.OVERDUE).gauge().value()).isEqualTo(1.0);
    assertThat(registry.get(InvariantGauges.VIOLATIONS).gauges()).extracting(Gauge::value).containsOnly(0.0);
    assertThat(registry.get(InvariantGauges.CHECKS).tag("result", "ok").counter().count()).isEqualTo(1.0);
    assertThat(messages(Level.WARN)).anyMatch(m -> m.startsWith("1 open orders are more than 5 minutes past their deadline"));

    try (TestNode restarted = TestNode.start(stores)) {
      Await.until("the sweep expires the overdue order", Duration.ofSeconds(20),
          () -> restarted.countActivations("id = " + orderId + " AND state = 'EXPIRED'") == 1);
      Await.result(gauges.refresh());
      assertThat(registry.get(InvariantGauges.OVERDUE).gauge().value()).isZero();
      assertThat(restarted.api().get("/v1/wallet", overdueCustomer.apiKey()).json().getString("balance")).isEqualTo("5.00");
      restarted.assertMoneyInvariants();
      restarted.assertEventLoopNeverBlocked();
    }
    assertThat(messages(Level.ERROR)).as("errors of the invariant check").isEmpty();
  }

  @Test
  @DisplayName("a wallet that differs from its ledger is still logged as a money violation (ERROR)")
  void realViolationIsAnError() {
    MeterRegistry registry = new SimpleMeterRegistry();
    InvariantGauges gauges = new InvariantGauges(new Invariants(pool)::check, registry);
    String tamper = "UPDATE wallets SET balance = balance + $2 WHERE account_id = $1"; // the test's own write, undone below
    Await.result(pool.preparedQuery(tamper).execute(Tuple.of(otherCustomer.id(), 1L)));
    try {
      Await.result(gauges.refresh());
      JsonObject books = Await.result(new Invariants(pool).check());
      assertThat(books.getBoolean("ok")).isFalse();
      assertThat(books.getJsonObject("violations").getLong("wallet_differs_from_ledger")).isEqualTo(1);
      assertThat(registry.get(InvariantGauges.VIOLATIONS).tag("invariant", "wallet_differs_from_ledger").gauge().value())
          .isEqualTo(1.0);
      assertThat(registry.get(InvariantGauges.CHECKS).tag("result", "violated").counter().count()).isEqualTo(1.0);
      assertThat(messages(Level.ERROR)).singleElement().asString().startsWith("money invariants violated")
          .contains("\"wallet_differs_from_ledger\":1");
    } finally {
      Await.result(pool.preparedQuery(tamper).execute(Tuple.of(otherCustomer.id(), -1L)));
    }
    assertThat(Await.result(new Invariants(pool).check()).getBoolean("ok")).isTrue();
  }

  @Test
  @DisplayName("held money that no open order explains is counted against its wallet, and only that wallet")
  void heldMoneyWithoutAnOpenOrderIsAViolation() {
    String tamper = "UPDATE wallets SET held = held + $2 WHERE account_id = $1"; // the test's own write, undone below
    Await.result(pool.preparedQuery(tamper).execute(Tuple.of(otherCustomer.id(), 1L)));
    try {
      JsonObject violations = Await.result(new Invariants(pool).check()).getJsonObject("violations");
      assertThat(violations.getLong("held_differs_from_open_orders")).isEqualTo(1);
    } finally {
      Await.result(pool.preparedQuery(tamper).execute(Tuple.of(otherCustomer.id(), -1L)));
    }
    assertThat(Await.result(new Invariants(pool).check()).getJsonObject("violations").getLong("held_differs_from_open_orders"))
        .isZero();
  }

  private static List<String> messages(Level level) {
    return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
  }
}
