package com.otporchestrator.claim;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Admins decide claims: refunds exactly once, replacements, evidence requests, escalation, final decisions")
class ClaimDecisionsTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static ClaimFixture f;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(ClaimDecisionsTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", "600");
    env.put("CANCEL_DELAY_SECONDS", "0");
    node = TestNode.start(env);
    f = new ClaimFixture(node);
    node.offer("tg", 0, "0.50");
    node.offer("wa", 0, "0.40");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static JsonObject refund(String note) {
    return new JsonObject().put("remedy", "refund").put("note", note);
  }

  @Test
  @DisplayName("forty concurrent approvals of one claim refund its captured order exactly once")
  void concurrentApprovalsRefundOnce() throws Exception {
    f.inForce("smssb_refund_policy");
    Customer c = node.customer("concurrent", "10.00");
    long order = f.captured(c);
    assertThat(f.balance(c)).isEqualTo("9.50");
    long claim = f.filed(c, order, "refund_not_applied").getLong("id");

    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Callable<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String admin = "agent" + i;
      calls.add(() -> node.api().send("POST", "/admin/v1/claims/" + claim + "/approve", ClaimFixture.ADMIN, "application/json",
          refund("approved by " + admin).encode()).status());
    }
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> r : pool.invokeAll(calls)) statuses.add(r.get());
    pool.shutdown();
    assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
    assertThat(statuses).filteredOn(s -> s == 409).hasSize(39);
    assertThat(f.ledgerCount(order, "refund")).isEqualTo(1);
    assertThat(f.balance(c)).isEqualTo("10.00");
    JsonObject view = node.api().get("/v1/claims/" + claim, c.apiKey()).json();
    assertThat(view.getString("state")).isEqualTo("APPROVED");
    assertThat(view.getJsonObject("decision").getString("refunded")).isEqualTo("0.50");
    assertThat(view.getJsonObject("decision").getString("by")).isEqualTo("support");
    node.assertMoneyInvariants();
  }

  @Test
  @DisplayName("every state change is in the history with who and when; customers see 'support', admins the name")
  void historyRecordsWhoAndWhen() {
    f.inForce("smsactivator_refund_policy");
    Customer c = node.customer("history", "10.00");
    long claim = f.filed(c, f.captured(c), "wrong_service_sms").getLong("id");
    Api.Response responded = node.api().send("POST", "/admin/v1/claims/" + claim + "/respond", ClaimFixture.ADMIN,
        "application/json", new JsonObject().put("note", "looking into it").encode());
    assertThat(responded.status()).as("%s", responded).isEqualTo(200);
    assertThat(responded.json().getString("state")).isEqualTo("IN_REVIEW");
    Api.Response escalated = postAs("alice", "/admin/v1/claims/" + claim + "/escalate", new JsonObject().put("note", "carrier issue?"));
    assertThat(escalated.status()).as("%s", escalated).isEqualTo(200);
    assertThat(escalated.json().getJsonObject("escalation")).isEqualTo(new JsonObject().put("level", 1).put("role", "senior_agent"));
    Api.Response rejected = postAs("bob", "/admin/v1/claims/" + claim + "/reject", new JsonObject().put("reason", "the SMS was right"));
    assertThat(rejected.status()).as("%s", rejected).isEqualTo(200);

    JsonArray admin = node.api().get("/admin/v1/claims/" + claim, ClaimFixture.ADMIN).json().getJsonArray("history");
    assertThat(admin).hasSize(4);
    assertThat(admin.getJsonObject(0).getString("by")).isEqualTo("customer:" + c.id());
    assertThat(admin.getJsonObject(1).getString("by")).isEqualTo("token");
    assertThat(admin.getJsonObject(2).getString("by")).isEqualTo("token:alice");
    assertThat(admin.getJsonObject(2).getBoolean("internal")).isTrue();
    JsonObject last = admin.getJsonObject(3);
    assertThat(last.getString("by")).isEqualTo("token:bob");
    assertThat(last.getString("from")).isEqualTo("ESCALATED");
    assertThat(last.getString("to")).isEqualTo("REJECTED");
    assertThat(last.getString("at")).isNotNull();
    JsonArray customer = node.api().get("/v1/claims/" + claim, c.apiKey()).json().getJsonArray("history");
    assertThat(customer).hasSize(3);
    assertThat(customer.getJsonObject(2).getString("by")).isEqualTo("support");
    assertThat(customer.getJsonObject(2).getString("note")).isEqualTo("the SMS was right");

    // smsactivator's decisions are not final: an appeal escalates a rejection, but only up to the last level
    Api.Response appeal = node.api().post("/admin/v1/claims/" + claim + "/escalate", ClaimFixture.ADMIN, (String) null);
    assertThat(appeal.status()).as("%s", appeal).isEqualTo(422);
    assertThat(appeal.json().getString("rule")).isEqualTo("review.escalation");
  }

  @Test
  @DisplayName("a rejection is re-opened by escalation where decisions are not final, and is final where the policy says so")
  void finalDecisions() {
    f.inForce("smsactivator_refund_policy");
    Customer c = node.customer("reopen", "10.00");
    long claim = f.filed(c, f.captured(c), "sms_rejected_by_destination").getLong("id");
    assertThat(f.admin("reject", claim, new JsonObject().put("reason", "no proof")).status()).isEqualTo(200);
    Api.Response reopened = f.admin("escalate", claim, new JsonObject().put("note", "customer appealed"));
    assertThat(reopened.status()).as("%s", reopened).isEqualTo(200);
    assertThat(reopened.json().getString("state")).isEqualTo("ESCALATED");
    assertThat(reopened.json().containsKey("decision")).isFalse();
    assertThat(f.admin("approve", claim, refund("on appeal")).status()).isEqualTo(200);
    assertThat(f.admin("escalate", claim, new JsonObject()).status()).isEqualTo(409);

    f.inForce("smssb_refund_policy");
    long finalClaim = f.filed(c, f.captured(c), "refund_not_applied").getLong("id");
    assertThat(f.admin("reject", finalClaim, new JsonObject().put("reason", "charged correctly")).status()).isEqualTo(200);
    Api.Response again = f.admin("approve", finalClaim, refund("changed my mind"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().getString("rule")).isEqualTo("review.decisionsFinal");
    assertThat(f.admin("escalate", finalClaim, new JsonObject()).json().getString("rule")).isEqualTo("review.decisionsFinal");
    node.assertMoneyInvariants();
  }

  @Test
  @DisplayName("smsactivator: the customer appeals a rejection and it goes to the senior agent; smssb's final decisions take no appeal")
  void customerAppeal() {
    f.inForce("smsactivator_refund_policy");
    Customer c = node.customer("appeal", "10.00");
    Customer other = node.customer("appeal-other", "1.00");
    long claim = f.filed(c, f.captured(c), "wrong_service_sms").getLong("id");
    JsonObject appealBody = new JsonObject().put("text", "here is the carrier's answer");
    assertThat(node.api().post("/v1/claims/" + claim + "/appeal", c.apiKey(), appealBody).status()).isEqualTo(409);
    assertThat(f.admin("reject", claim, new JsonObject().put("reason", "looks fine to us")).status()).isEqualTo(200);
    assertThat(node.api().post("/v1/claims/" + claim + "/appeal", other.apiKey(), appealBody).status()).isEqualTo(404);
    Api.Response appealed = node.api().post("/v1/claims/" + claim + "/appeal", c.apiKey(), appealBody);
    assertThat(appealed.status()).as("%s", appealed).isEqualTo(200);
    assertThat(appealed.json().getString("state")).isEqualTo("ESCALATED");
    assertThat(appealed.json().getJsonObject("escalation").getString("role")).isEqualTo("senior_agent");
    JsonArray history = appealed.json().getJsonArray("history");
    assertThat(history.getJsonObject(history.size() - 1).getString("by")).isEqualTo("customer:" + c.id());
    assertThat(f.admin("reject", claim, new JsonObject().put("reason", "still no")).status()).isEqualTo(200);
    Api.Response twice = node.api().post("/v1/claims/" + claim + "/appeal", c.apiKey(), appealBody);
    assertThat(twice.status()).isEqualTo(422);
    assertThat(twice.json().getString("rule")).isEqualTo("review.escalation");

    f.inForce("smssb_refund_policy");
    long finalClaim = f.filed(c, f.captured(c), "refund_not_applied").getLong("id");
    assertThat(f.admin("reject", finalClaim, new JsonObject().put("reason", "correct")).status()).isEqualTo(200);
    Api.Response refused = node.api().post("/v1/claims/" + finalClaim + "/appeal", c.apiKey(), appealBody);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().getString("rule")).isEqualTo("review.decisionsFinal");
  }

  @Test
  @DisplayName("a replacement is offered only where the claim type lists it, and is delivered as a credit of the price")
  void replacement() {
    f.inForce("esimpy_return_policy");
    Customer c = node.customer("replacement", "10.00");
    long order = f.captured(c);
    long claim = f.filed(c, order, "major_defect").getLong("id");
    // esimpy: "a replacement product of equivalent value may be offered at the Customer's discretion"
    Api.Response chosen = node.api().put("/v1/claims/" + claim + "/remedy", c.apiKey(), new JsonObject().put("remedy", "replacement"));
    assertThat(chosen.status()).as("%s", chosen).isEqualTo(200);
    Api.Response approved = f.admin("approve", claim, new JsonObject().put("remedy", "replacement"));
    assertThat(approved.status()).as("%s", approved).isEqualTo(200);
    assertThat(approved.json().getJsonObject("decision").getString("remedy")).isEqualTo("replacement");
    assertThat(f.ledgerCount(order, "refund")).isEqualTo(1);
    assertThat(f.balance(c)).isEqualTo("10.00");

    f.inForce("smssb_refund_policy");
    long other = f.filed(c, f.captured(c), "refund_not_applied").getLong("id");
    Api.Response refused = f.admin("approve", other, new JsonObject().put("remedy", "replacement"));
    assertThat(refused.status()).as("%s", refused).isEqualTo(422);
    assertThat(refused.json().getJsonArray("remedies").getList()).containsExactly("full_refund");
  }

  @Test
  @DisplayName("approving a claim whose order is still open is a 409; once the order was voided it is recorded as already refunded")
  void openAndVoidedOrders() {
    f.inForce("esimpy_return_policy");
    Customer c = node.customer("voided", "10.00");
    long order = f.buy(c);
    long claim = f.filed(c, order, "sms_not_received").getLong("id");
    Api.Response open = f.admin("approve", claim, refund("sure"));
    assertThat(open.status()).as("%s", open).isEqualTo(409);
    assertThat(open.json().getString("detail")).contains("still open");
    // esimpy refunds by itself at the window's end (no early cancel): end the window now
    com.otporchestrator.testing.Await.result(node.node().core().pool()
        .preparedQuery("UPDATE activations SET expires_at = now() WHERE id = $1").execute(io.vertx.sqlclient.Tuple.of(order)));
    com.otporchestrator.testing.Await.until("the order expired and was refunded", () -> f.balance(c).equals("10.00"));
    Api.Response approved = f.admin("approve", claim, refund("sure"));
    assertThat(approved.status()).as("%s", approved).isEqualTo(200);
    assertThat(approved.json().getJsonObject("decision").getString("remedy")).isEqualTo("already_refunded");
    assertThat(approved.json().getJsonObject("decision").getString("refunded")).isEqualTo("0.00");
    assertThat(f.ledgerCount(order, "refund")).isZero();
    assertThat(f.balance(c)).isEqualTo("10.00");
    node.assertMoneyInvariants();
  }

  @Test
  @DisplayName("evidence: required proof moves the claim out of NEEDS_EVIDENCE; support may ask for more; files go only to the owner")
  void evidenceFlow() {
    f.inForce("esimpy_return_policy");
    Customer c = node.customer("evidence", "10.00");
    Customer other = node.customer("evidence-other", "1.00");
    long order = f.buy(c, "wa");
    f.sms(order);
    JsonObject claim = f.filed(c, order, "invalid_number", "telegram_2fa");
    long id = claim.getLong("id");
    assertThat(claim.getJsonArray("missingEvidence").getList()).containsExactly("screenshot", "video");

    Api.Response shot = f.upload(c.apiKey(), id, ClaimFixture.png(1000), "image/png");
    assertThat(shot.status()).as("%s", shot).isEqualTo(201);
    assertThat(shot.json().getString("state")).isEqualTo("NEEDS_EVIDENCE");
    assertThat(shot.json().getJsonArray("missingEvidence").getList()).containsExactly("video");
    Api.Response video = f.upload(c.apiKey(), id, ClaimFixture.mp4(5000), null);
    assertThat(video.status()).as("%s", video).isEqualTo(201);
    assertThat(video.json().getString("state")).isEqualTo("SUBMITTED");
    assertThat(video.json().getJsonArray("evidence")).hasSize(2);

    Api.Response asked = f.admin("request-evidence", id, new JsonObject().put("note", "show the error screen"));
    assertThat(asked.json().getString("state")).isEqualTo("NEEDS_EVIDENCE");
    Api.Response more = f.upload(c.apiKey(), id, ClaimFixture.png(10), "application/octet-stream");
    assertThat(more.json().getString("state")).isEqualTo("IN_REVIEW");

    var mine = f.download(c.apiKey(), "/v1/claims/" + id + "/evidence/2");
    assertThat(mine.statusCode()).isEqualTo(200);
    assertThat(mine.headers().firstValue("Content-Type")).contains("video/mp4");
    assertThat(mine.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"claim-" + id + "-evidence-2.mp4\"");
    assertThat(mine.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(mine.body()).isEqualTo(ClaimFixture.mp4(5000));
    assertThat(f.download(ClaimFixture.ADMIN, "/admin/v1/claims/" + id + "/evidence/1").statusCode()).isEqualTo(200);
    assertThat(f.download(other.apiKey(), "/v1/claims/" + id + "/evidence/1").statusCode()).isEqualTo(404);
    assertThat(node.api().get("/v1/claims/" + id, other.apiKey()).status()).isEqualTo(404);
    assertThat(f.upload(other.apiKey(), id, ClaimFixture.png(10), "image/png").status()).isEqualTo(404);
    assertThat(f.download(c.apiKey(), "/v1/claims/" + id + "/evidence/4").statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("evidence limits: 10 MB per file (413 above), 5 files per claim, only png/jpeg/webp/gif/mp4/webm/pdf by their bytes")
  void evidenceLimits() {
    f.inForce("smssb_refund_policy");
    Customer c = node.customer("limits", "10.00");
    long id = f.filed(c, f.captured(c), "refund_not_applied").getLong("id");
    assertThat(f.upload(c.apiKey(), id, ClaimFixture.png(10 * 1024 * 1024 + 1), "image/png").status()).isEqualTo(413);
    assertThat(f.upload(c.apiKey(), id, ClaimFixture.png(10 * 1024 * 1024), "image/png").status()).isEqualTo(201);
    Api.Response html = f.upload(c.apiKey(), id, "<html><script>alert(1)</script>".getBytes(), "image/png");
    assertThat(html.status()).as("%s", html).isEqualTo(415);
    Api.Response lying = f.upload(c.apiKey(), id, ClaimFixture.png(100), "video/mp4");
    assertThat(lying.status()).isEqualTo(415);
    assertThat(f.upload(c.apiKey(), id, new byte[0], "image/png").status()).isEqualTo(400);
    assertThat(f.upload(c.apiKey(), id, "%PDF-1.7 test".getBytes(), "application/pdf").status()).isEqualTo(201);
    assertThat(f.upload(c.apiKey(), id, gif(), "image/gif").status()).isEqualTo(201);
    assertThat(f.upload(c.apiKey(), id, webp(), null).status()).isEqualTo(201);
    assertThat(f.upload(c.apiKey(), id, jpeg(), "image/jpeg").status()).isEqualTo(201);
    Api.Response sixth = f.upload(c.apiKey(), id, ClaimFixture.png(100), "image/png");
    assertThat(sixth.status()).as("%s", sixth).isEqualTo(409);
    assertThat(f.upload(null, id, ClaimFixture.png(100), "image/png").status()).isEqualTo(401);
    assertThat(f.upload(c.apiKey(), 999_999, ClaimFixture.png(100), "image/png").status()).isEqualTo(404);
    assertThat(f.admin("reject", id, new JsonObject().put("reason", "no")).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("twelve concurrent uploads to one claim store exactly five files, numbered 1 to 5")
  void concurrentUploadsStopAtFive() throws Exception {
    f.inForce("smssb_refund_policy");
    Customer c = node.customer("uploads", "10.00");
    long id = f.filed(c, f.captured(c), "refund_not_applied").getLong("id");
    ExecutorService pool = Executors.newFixedThreadPool(12);
    List<Callable<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) calls.add(() -> f.upload(c.apiKey(), id, ClaimFixture.png(2000), "image/png").status());
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> r : pool.invokeAll(calls)) statuses.add(r.get());
    pool.shutdown();
    assertThat(statuses).filteredOn(s -> s == 201).hasSize(5);
    assertThat(statuses).filteredOn(s -> s == 409).hasSize(7);
    JsonArray files = node.api().get("/v1/claims/" + id, c.apiKey()).json().getJsonArray("evidence");
    assertThat(files.stream().map(e -> ((JsonObject) e).getInteger("n"))).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  @DisplayName("filing honours Idempotency-Key: the same request replays the claim, nothing is filed twice")
  void idempotentFiling() {
    f.inForce("smssb_refund_policy");
    Customer c = node.customer("idempotent", "10.00");
    long order = f.captured(c);
    JsonObject body = new JsonObject().put("orderId", order).put("type", "refund_not_applied").put("text", "twice?");
    Api.Response first = node.api().post("/v1/claims", c.apiKey(), body, "Idempotency-Key", "claim-key-1");
    Api.Response again = node.api().post("/v1/claims", c.apiKey(), body, "Idempotency-Key", "claim-key-1");
    assertThat(first.status()).as("%s", first).isEqualTo(201);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.json().getLong("id")).isEqualTo(first.json().getLong("id"));
    assertThat(node.api().get("/v1/claims", c.apiKey()).items()).hasSize(1);
  }

  @Test
  @DisplayName("the admin queue filters by state, type, account and overdue, newest first, with a cursor")
  void queue() {
    f.inForce("smssb_refund_policy");
    Customer c = node.customer("queue", "10.00");
    long a = f.filed(c, f.captured(c), "refund_not_applied").getLong("id");
    long b = f.filed(c, f.captured(c), "refund_not_applied").getLong("id");
    Api.Response page = node.api().get("/admin/v1/claims?accountId=" + c.id() + "&limit=1", ClaimFixture.ADMIN);
    assertThat(page.status()).as("%s", page).isEqualTo(200);
    assertThat(page.items().getJsonObject(0).getLong("id")).isEqualTo(b);
    String cursor = page.json().getString("nextCursor");
    Api.Response next = node.api().get("/admin/v1/claims?accountId=" + c.id() + "&limit=1&cursor=" + cursor, ClaimFixture.ADMIN);
    assertThat(next.items().getJsonObject(0).getLong("id")).isEqualTo(a);
    assertThat(node.api().get("/admin/v1/claims?accountId=" + c.id() + "&state=SUBMITTED&type=refund_not_applied",
        ClaimFixture.ADMIN).items()).hasSize(2);
    Api.Response overdue = node.api().get("/admin/v1/claims?accountId=" + c.id() + "&overdue=true", ClaimFixture.ADMIN);
    assertThat(overdue.status()).as("%s", overdue).isEqualTo(200);
    assertThat(overdue.items()).isEmpty();
    Api.Response own = node.api().get("/v1/claims", c.apiKey());
    assertThat(own.status()).as("%s", own).isEqualTo(200);
    assertThat(own.items()).hasSize(2);
  }

  private static Api.Response postAs(String actor, String path, JsonObject body) {
    try {
      var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.api().baseUrl() + path))
          .header("Authorization", "Bearer " + ClaimFixture.ADMIN).header("X-Admin-Actor", actor)
          .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.encode())).build();
      var r = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
      return new Api.Response(r.statusCode(), r.headers(), r.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] gif() {
    return "GIF89a....".getBytes();
  }

  private static byte[] webp() {
    return "RIFF\0\0\0\0WEBPVP8 ".getBytes();
  }

  private static byte[] jpeg() {
    return new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10};
  }
}
