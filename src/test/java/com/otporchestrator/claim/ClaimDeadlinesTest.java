package com.otporchestrator.claim;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
 * Claim deadlines on the timer engine, with two nodes on one PostgreSQL and Redis. The policy is esimpy's with short
 * deadlines, published by an admin (a second policy id, so the preset itself is untouched): a major defect must be
 * resolved within 3 s (else a full refund applies by itself) and support must respond within 2 s.
 */
@DisplayName("Claim deadlines fire from the timer engine and apply the policy's remedy once, even from two nodes")
class ClaimDeadlinesTest {
  private static TestStores.Isolated stores;
  private static TestNode a;
  private static TestNode b;
  private static ClaimFixture f;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(ClaimDeadlinesTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", "600");
    env.put("CANCEL_DELAY_SECONDS", "0");
    a = TestNode.start(env);
    Map<String, String> envB = TestNode.defaults(stores);
    envB.put("ACTIVATION_WINDOW_SECONDS", "600");
    envB.put("CANCEL_DELAY_SECONDS", "0");
    envB.put("ROLES", "api,timers");
    b = TestNode.start(envB);
    f = new ClaimFixture(a);
    a.offer("tg", 0, "0.50");
    f.publish(ClaimFixture.preset("esimpy-return-policy").replace("id: esimpy_return_policy", "id: fast_deadlines")
        .replace("    resolutionWithin: P5D\n", "    resolutionWithin: PT3S\n")
        .replace("review:\n", "review:\n  responseWithin: PT2S\n"));
    f.inForce("fast_deadlines");
  }

  @AfterAll
  static void stop() {
    a.assertMoneyInvariants();
    a.assertEventLoopNeverBlocked();
    b.assertEventLoopNeverBlocked();
    b.close();
    a.close();
    stores.close();
  }

  private static ClaimService service(TestNode node) {
    return node.node().modules().claims().service();
  }

  private static JsonObject claim(long id) {
    return a.api().get("/admin/v1/claims/" + id, ClaimFixture.ADMIN).json();
  }

  @Test
  @DisplayName("an undecided major defect is refunded by the system when its resolution deadline passes")
  void resolutionDeadlineRefunds() {
    Customer c = a.customer("deadline", "10.00");
    long order = f.captured(c);
    JsonObject filed = f.filed(c, order, "major_defect");
    long id = filed.getLong("id");
    assertThat(filed.getString("automaticRemedy")).isEqualTo("refund");
    Await.until("the deadline applies the remedy", Duration.ofSeconds(20), () -> claim(id).getString("state").equals("APPROVED"));
    JsonObject done = claim(id);
    assertThat(done.getJsonObject("decision").getString("by")).isEqualTo("system");
    assertThat(done.getJsonObject("decision").getString("remedy")).isEqualTo("refund");
    assertThat(f.ledgerCount(order, "refund")).isEqualTo(1);
    assertThat(f.balance(c)).isEqualTo("10.00");
    JsonArray history = done.getJsonArray("history");
    assertThat(history.stream().map(e -> ((JsonObject) e).getString("note")))
        .contains("the first-response deadline passed without a response");
  }

  @Test
  @DisplayName("twenty deadlines fired at once from both nodes (engines and direct calls racing) refund each order exactly once")
  void twoNodesFireTheSameDeadlines() throws Exception {
    Customer c = a.customer("race", "20.00");
    List<Long> orders = new ArrayList<>();
    List<Long> claims = new ArrayList<>();
    for (int i = 0; i < 20; i++) orders.add(f.captured(c));
    assertThat(f.balance(c)).isEqualTo("10.00");
    for (long order : orders) claims.add(f.filed(c, order, "major_defect").getLong("id"));
    // wait until the last is due (3 s), then fire every claim from both nodes at once, four times each, beside the
    // engines of both nodes that fire them too
    Await.pause(Duration.ofMillis(3_000));
    List<Future<Void>> fired = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      fired.add(service(a).fireDeadlines(claims));
      fired.add(service(b).fireDeadlines(claims));
    }
    for (Future<Void> x : fired) Await.result(x.recover(e -> Future.succeededFuture()));
    Await.until("every claim decided", Duration.ofSeconds(20), () -> claims.stream()
        .allMatch(id -> claim(id).getString("state").equals("APPROVED")));
    for (long order : orders) assertThat(f.ledgerCount(order, "refund")).as("refunds of %s", order).isEqualTo(1);
    assertThat(f.balance(c)).isEqualTo("20.00");
    long decisions = Await.result(a.node().core().pool().preparedQuery(
        "SELECT count(*) AS n FROM claim_events WHERE claim_id = ANY($1::bigint[]) AND to_state = 'APPROVED'")
        .execute(Tuple.of((Object) claims.toArray(Long[]::new)))).iterator().next().getLong("n");
    assertThat(decisions).isEqualTo(20);
    a.assertMoneyInvariants();
  }

  @Test
  @DisplayName("a claim waiting for evidence gets no automatic remedy: the missed deadline is recorded instead")
  void noRemedyWhileWaitingForEvidence() {
    Customer c = a.customer("waiting", "10.00");
    long order = f.captured(c);
    long id = f.filed(c, order, "major_defect").getLong("id");
    assertThat(f.admin("request-evidence", id, new JsonObject().put("note", "send a video")).status()).isEqualTo(200);
    Await.until("the missed deadline is recorded", Duration.ofSeconds(20),
        () -> claim(id).getString("resolutionMissedAt") != null);
    assertThat(claim(id).getString("state")).isEqualTo("NEEDS_EVIDENCE");
    assertThat(f.ledgerCount(order, "refund")).isZero();
    assertThat(a.api().get("/admin/v1/claims?overdue=true&accountId=" + c.id(), ClaimFixture.ADMIN).items()).hasSize(1);
  }

  @Test
  @DisplayName("a deadline Redis forgot is fired by the PostgreSQL sweep")
  void sweepFiresLostDeadlines() {
    Customer c = a.customer("lost", "10.00");
    long order = f.captured(c);
    long id = f.filed(c, order, "major_defect").getLong("id");
    Await.result(a.node().core().timers().service().cancel(com.otporchestrator.timer.TimerKind.CLAIM_DEADLINE, id));
    Await.until("the sweep applies the remedy", Duration.ofSeconds(30), () -> claim(id).getString("state").equals("APPROVED"));
    assertThat(f.ledgerCount(order, "refund")).isEqualTo(1);
  }

  @Test
  @DisplayName("business days skip Saturday and Sunday (UTC)")
  void businessDays() {
    String sql = "SELECT add_business_days($1::timestamptz, $2) AS t";
    Object[][] cases = {
        {"2026-11-20T15:00:00Z", 1, "2026-11-23T15:00Z"},   // Friday + 1 = Monday
        {"2026-11-21T10:00:00Z", 1, "2026-11-23T10:00Z"},   // Saturday + 1 = Monday
        {"2026-11-23T09:00:00Z", 5, "2026-11-30T09:00Z"},   // Monday + 5 = next Monday
        {"2026-11-18T12:00:00Z", 3, "2026-11-23T12:00Z"}};  // Wednesday + 3 = Monday
    for (Object[] c : cases) {
      var row = Await.result(a.node().core().pool().preparedQuery(sql)
          .execute(Tuple.of(java.time.OffsetDateTime.parse((String) c[0]), c[1]))).iterator().next();
      assertThat(row.getOffsetDateTime("t").toInstant().toString()).as("%s + %s", c[0], c[1])
          .isEqualTo(java.time.Instant.parse(((String) c[2]).replace("Z", ":00Z")).toString());
    }
  }
}
