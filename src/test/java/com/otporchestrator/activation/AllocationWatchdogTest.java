package com.otporchestrator.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TcpProxy;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import com.otporchestrator.timer.TimerKeys;
import com.otporchestrator.timer.TimerKind;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An order whose supplier has not answered is covered by a timer from the moment its hold commits: its allocation
 * watchdog. The chaos campaign killed a node while it waited on its supplier or had just opened orders and not yet
 * written their window's timer; nothing but the PostgreSQL sweep knew those orders, and it fires only after its grace
 * (60 s by default), so their refunds came 46-65 s after their deadlines. Here the node waits on a supplier that stopped
 * answering (its own call would time out only after a minute) and the sweep is out of reach: the watchdog alone must
 * fail and refund the order at its allocation deadline, as it would on another node had this one died.
 */
@DisplayName("The allocation watchdog of a purchase waiting on its supplier")
class AllocationWatchdogTest {
  private static final int ALLOCATION_TIMEOUT_SECONDS = 2;
  /** The test node's batch deadline is half its 3 s lease; a watchdog fired on time refunds well within this. */
  private static final long REFUND_WITHIN_MS = 1_500;
  private static TestStores.Isolated stores;
  private static TcpProxy supplier;
  private static TestNode node;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(AllocationWatchdogTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    supplier = TestNode.supplierBehindProxy(env);
    env.put("ALLOCATION_TIMEOUT_SECONDS", String.valueOf(ALLOCATION_TIMEOUT_SECONDS));
    env.put("UPSTREAM_TIMEOUT_MS", "60000");   // the node's own call outlasts the test
    env.put("TIMER_SWEEP_GRACE_MS", "600000"); // the sweep cannot rescue the order here
    node = TestNode.start(env);
    node.offer("tg", 0, "0.25");
  }

  @AfterAll
  static void stop() {
    try {
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
      supplier.close();
      stores.close();
    }
  }

  @Test
  @DisplayName("is armed before the supplier is asked, and fails and refunds the order at its allocation deadline")
  void refundsAtTheAllocationDeadlineWhileTheSupplierHangs() throws Exception {
    Customer customer = node.customer("watched", "1.00");
    supplier.stall();
    Api.Response[] answer = new Api.Response[1];
    Thread buyer = Thread.ofVirtual().start(() -> answer[0] = node.api().post("/v1/activations", customer.apiKey(),
        new JsonObject().put("service", "tg").put("country", 0)));
    Await.until("the order held and waiting on its supplier", Duration.ofSeconds(10),
        () -> node.count("SELECT count(*) FROM activations WHERE state = 'ALLOCATING'") == 1);
    Row order = node.rows("SELECT id, (extract(epoch FROM expires_at) * 1000)::bigint AS deadline FROM activations").iterator().next();
    long id = order.getLong("id");

    TimerKeys keys = node.node().core().timers().service().keys();
    Response score = Await.result(node.node().core().redis().send(Request.cmd(Command.ZSCORE)
        .arg(keys.due(TimerKind.EXPIRE.lane(), keys.shardOf(id))).arg(TimerKind.EXPIRE.member(id))));
    assertThat(score).as("the order's timer while its supplier has not answered").isNotNull();
    assertThat((long) Double.parseDouble(score.toString())).as("due at the allocation deadline")
        .isBetween(order.getLong("deadline"), order.getLong("deadline") + 1);

    Await.until("the order failed and refunded by its watchdog", Duration.ofSeconds(ALLOCATION_TIMEOUT_SECONDS + 10),
        () -> node.count("SELECT count(*) FROM ledger_entries WHERE order_id = " + id + " AND kind = 'void'") == 1);
    Row refund = node.rows("SELECT a.state, a.close_reason, (extract(epoch FROM e.created_at - a.expires_at) * 1000)::bigint AS late_ms "
        + "FROM activations a JOIN ledger_entries e ON e.order_id = a.id AND e.kind = 'void' WHERE a.id = " + id).iterator().next();
    assertThat(refund.getString("state")).isEqualTo("FAILED");
    assertThat(refund.getString("close_reason")).isEqualTo("supplier did not answer in time");
    assertThat(refund.getLong("late_ms")).as("ms from the allocation deadline to the refund").isLessThan(REFUND_WITHIN_MS);
    assertThat(node.api().get("/v1/wallet", customer.apiKey()).json().getString("held")).isEqualTo("0.00");

    supplier.resume();
    buyer.join(Duration.ofSeconds(30));
    assertThat(answer[0]).as("the purchase answered once the supplier did").isNotNull();
    assertThat(answer[0].status()).as("%s", answer[0]).isGreaterThanOrEqualTo(400).isLessThan(600);
    assertThat(node.count("SELECT count(*) FROM activations WHERE id = " + id + " AND state = 'FAILED'"))
        .as("the number that came too late was handed back; the order stays failed").isEqualTo(1);
    assertThat(node.api().get("/v1/wallet", customer.apiKey()).json())
        .isEqualTo(new JsonObject().put("balance", "1.00").put("held", "0.00").put("currency", "USD"));
  }

}
