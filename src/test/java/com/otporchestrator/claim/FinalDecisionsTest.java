package com.otporchestrator.claim;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * smssb: "All dispute decisions made by our support team are final." A second claim of the same type
 * on an order (or a deposit reference) whose claim was decided is refused with the rule, even when it is filed while the
 * decision is being written.
 */
@DisplayName("Final means final: no second claim of a type once one was decided")
class FinalDecisionsTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static ClaimFixture f;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(FinalDecisionsTest.class);
    node = TestNode.start(TestNode.defaults(stores));
    api = node.api();
    f = new ClaimFixture(node);
    node.offer("tg", 0, "0.50");
    f.inForce("smssb_refund_policy");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static long claimsOn(long orderId) {
    return Await.result(node.node().core().pool().preparedQuery("SELECT count(*) FROM claims WHERE order_id = $1")
        .execute(Tuple.of(orderId))).iterator().next().getLong(0);
  }

  @Test
  @DisplayName("a rejected dispute stays rejected: the same claim again is a 422 naming review.decisionsFinal")
  void aRejectedDisputeIsNotFiledAgain() {
    Customer c = node.customer("disputer", "5.00");
    long order = f.captured(c);
    long first = f.filed(c, order, "refund_not_applied").getLong("id");
    assertThat(f.admin("reject", first, new JsonObject().put("reason", "the charge was correct")).status()).isEqualTo(200);
    Api.Response again = f.file(c, order, "refund_not_applied");
    assertThat(again.status()).as("%s", again).isEqualTo(422);
    assertThat(again.json().getString("rule")).isEqualTo("review.decisionsFinal");
    assertThat(again.json().getString("policyId")).isEqualTo("smssb_refund_policy");
    assertThat(claimsOn(order)).as("nothing written").isEqualTo(1);

    // account claims too: the same deposit reference, the same type
    long onDeposit = api.post("/v1/claims", c.apiKey(), new JsonObject().put("type", "deposit_problem")
        .put("depositReference", "tx-1").put("text", "missing")).json().getLong("id");
    assertThat(f.admin("reject", onDeposit, new JsonObject().put("reason", "credited")).status()).isEqualTo(200);
    Api.Response deposit = api.post("/v1/claims", c.apiKey(), new JsonObject().put("type", "deposit_problem")
        .put("depositReference", "tx-1").put("text", "still missing"));
    assertThat(deposit.status()).as("%s", deposit).isEqualTo(422);
    assertThat(deposit.json().getString("rule")).isEqualTo("review.decisionsFinal");
    assertThat(api.post("/v1/claims", c.apiKey(), new JsonObject().put("type", "deposit_problem")
        .put("depositReference", "tx-2").put("text", "another deposit")).status()).as("another deposit").isEqualTo(201);
  }

  @Test
  @DisplayName("filed while the decision is written: refused as open (409) or as final (422), never accepted")
  void filingRacingTheDecision() throws Exception {
    Customer c = node.customer("racing-disputer", "20.00");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 10; i++) {
        long order = f.captured(c);
        long first = f.filed(c, order, "refund_not_applied").getLong("id");
        CompletableFuture<Api.Response> reject = CompletableFuture.supplyAsync(() ->
            f.admin("reject", first, new JsonObject().put("reason", "correct")), pool);
        CompletableFuture<Api.Response> second = CompletableFuture.supplyAsync(() ->
            f.file(c, order, "refund_not_applied"), pool);
        assertThat(reject.join().status()).isEqualTo(200);
        assertThat(second.join().status()).as("%s", second.join()).isIn(409, 422);
        assertThat(claimsOn(order)).isEqualTo(1);
      }
    } finally {
      pool.shutdown();
    }
  }
}
