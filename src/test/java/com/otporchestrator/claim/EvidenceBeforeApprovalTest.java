package com.otporchestrator.claim;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * instaotp: "If the purchased number fails to function as intended (e.g., for 2FA verification), you
 * must provide evidence (such as screenshots) to support your claim." A claim still waiting for evidence the policy
 * requires cannot be approved, unless the admin overrides with a recorded reason.
 */
@DisplayName("Evidence before approval")
class EvidenceBeforeApprovalTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static ClaimFixture f;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(EvidenceBeforeApprovalTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", "600");
    node = TestNode.start(env);
    api = node.api();
    f = new ClaimFixture(node);
    node.offer("tg", 0, "0.50");
    f.inForce("instaotp_refund_policy");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static JsonObject approve(long claim, JsonObject body) {
    return f.admin("approve", claim, body).json();
  }

  @Test
  @DisplayName("without the screenshot the approval is a 422 and nothing moves; with it, the approval goes through")
  void theRequiredScreenshotComesFirst() {
    Customer c = node.customer("no-screenshot", "5.00");
    long order = f.captured(c);
    long claim = f.filed(c, order, "invalid_virtual_number").getLong("id");
    Api.Response refused = f.admin("approve", claim, new JsonObject().put("remedy", "refund"));
    assertThat(refused.status()).as("%s", refused).isEqualTo(422);
    assertThat(refused.json().getString("rule")).isEqualTo("claims.invalid_virtual_number.evidence");
    assertThat(refused.json().getJsonArray("missingEvidence").getList()).containsExactly("screenshot");
    assertThat(f.ledgerCount(order, "refund")).isZero();
    assertThat(api.get("/v1/claims/" + claim, c.apiKey()).json().getString("state")).isEqualTo("NEEDS_EVIDENCE");

    // escalating does not make the missing proof go away
    assertThat(f.admin("respond", claim, new JsonObject().put("note", "looking")).status()).isEqualTo(200);
    assertThat(f.admin("approve", claim, new JsonObject().put("remedy", "refund")).status()).isEqualTo(422);

    assertThat(f.upload(c.apiKey(), claim, ClaimFixture.png(1024), "image/png").status()).isEqualTo(201);
    Api.Response approved = f.admin("approve", claim, new JsonObject().put("remedy", "refund"));
    assertThat(approved.status()).as("%s", approved).isEqualTo(200);
    assertThat(f.ledgerCount(order, "refund")).isEqualTo(1);
  }

  @Test
  @DisplayName("an admin may override with a reason: it is recorded in the claim's history, for admins")
  void anOverrideIsRecordedWithItsReason() {
    Customer c = node.customer("emailed-screenshot", "5.00");
    long order = f.captured(c);
    long claim = f.filed(c, order, "invalid_virtual_number").getLong("id");
    JsonObject approved = approve(claim, new JsonObject().put("remedy", "refund")
        .put("evidenceOverride", "the customer sent the screenshot by email, ticket 8812"));
    assertThat(approved.getString("state")).isEqualTo("APPROVED");
    JsonArray adminHistory = api.get("/admin/v1/claims/" + claim, TestNode.ADMIN_TOKEN).json().getJsonArray("history");
    assertThat(adminHistory.stream().map(e -> (JsonObject) e).filter(e -> e.getBoolean("internal"))
        .map(e -> e.getString("note")))
        .containsExactly("approved without the evidence the policy requires (missing: screenshot): the customer sent the"
            + " screenshot by email, ticket 8812");
    JsonArray customerHistory = api.get("/v1/claims/" + claim, c.apiKey()).json().getJsonArray("history");
    assertThat(customerHistory.encode()).doesNotContain("ticket 8812");
    assertThat(f.ledgerCount(order, "refund")).isEqualTo(1);
  }

  @Test
  @DisplayName("a malformed override is a 400 and changes nothing")
  void badOverride() {
    Customer c = node.customer("bad-override", "5.00");
    long order = f.captured(c);
    long claim = f.filed(c, order, "invalid_virtual_number").getLong("id");
    for (Object bad : new Object[] {5, "", "x".repeat(4001)}) {
      Api.Response r = f.admin("approve", claim, new JsonObject().put("remedy", "refund").put("evidenceOverride", bad));
      assertThat(r.status()).as("%s: %s", bad, r).isEqualTo(400);
    }
    assertThat(f.ledgerCount(order, "refund")).isZero();
  }
}
