package com.otporchestrator.claim;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * esimpy: "We reserve the right to resolve the issue within 5 days. If the issue cannot be resolved, a
 * full refund will be issued with no additional compensation, or a replacement product of equivalent value may be
 * offered at the Customer's discretion." The claim carries the customer's choice, which they may change until the
 * decision, and the automatic remedy at the deadline applies it. The 5 days are scaled to 3 s (esimpy republished).
 */
@DisplayName("The customer's choice of remedy, applied at the deadline")
class RemedyChoiceTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static ClaimFixture f;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(RemedyChoiceTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", "600");
    node = TestNode.start(env);
    api = node.api();
    f = new ClaimFixture(node);
    node.offer("tg", 0, "0.50");
    f.publish(ClaimFixture.preset("esimpy-return-policy").replace("version: 1", "version: 2")
        .replace("    resolutionWithin: P5D\n", "    resolutionWithin: PT3S\n"));
    f.inForce("esimpy_return_policy");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static Api.Response fileMajorDefect(Customer c, long order, String remedy) {
    JsonObject body = new JsonObject().put("orderId", order).put("type", "major_defect").put("text", "critical error");
    if (remedy != null) body.put("remedy", remedy);
    return api.post("/v1/claims", c.apiKey(), body);
  }

  private static Api.Response choose(Customer c, long claim, String remedy) {
    return api.put("/v1/claims/" + claim + "/remedy", c.apiKey(), new JsonObject().put("remedy", remedy));
  }

  @Test
  @DisplayName("chosen at filing, changed twice, and the deadline's automatic remedy applies the last choice")
  void theDeadlineAppliesTheCustomersChoice() {
    Customer c = node.customer("chooser", "5.00");
    long order = f.captured(c);
    Api.Response filed = fileMajorDefect(c, order, "replacement");
    assertThat(filed.status()).as("%s", filed).isEqualTo(201);
    long claim = filed.json().getLong("id");
    assertThat(filed.json().getString("chosenRemedy")).isEqualTo("replacement");
    assertThat(choose(c, claim, "refund").json().getString("chosenRemedy")).isEqualTo("refund");
    Api.Response back = choose(c, claim, "replacement");
    assertThat(back.status()).as("%s", back).isEqualTo(200);
    assertThat(back.json().getJsonArray("history").stream().map(e -> ((JsonObject) e).getString("note")))
        .contains("remedy chosen: refund", "remedy chosen: replacement");

    Await.until("the resolution deadline applied the remedy", Duration.ofSeconds(20),
        () -> "APPROVED".equals(api.get("/v1/claims/" + claim, c.apiKey()).json().getString("state")));
    JsonObject decided = api.get("/v1/claims/" + claim, c.apiKey()).json();
    assertThat(decided.getJsonObject("decision").getString("remedy")).isEqualTo("replacement");
    assertThat(decided.getJsonObject("decision").getString("by")).isEqualTo("system");
    assertThat(f.ledgerCount(order, "refund")).as("a replacement is delivered as a credit of the price").isEqualTo(1);
    assertThat(f.balance(c)).isEqualTo("5.00");

    Api.Response tooLate = choose(c, claim, "refund");
    assertThat(tooLate.status()).as("changeable until the decision only: %s", tooLate).isEqualTo(409);
  }

  @Test
  @DisplayName("with no choice given the claim carries a refund; support cannot approve another remedy than the customer's")
  void supportFollowsTheChoice() {
    Customer c = node.customer("default-chooser", "5.00");
    long order = f.captured(c);
    Api.Response filed = fileMajorDefect(c, order, null);
    assertThat(filed.json().getString("chosenRemedy")).isEqualTo("refund");
    long claim = filed.json().getLong("id");
    Api.Response other = f.admin("approve", claim, new JsonObject().put("remedy", "replacement"));
    assertThat(other.status()).as("%s", other).isEqualTo(422);
    assertThat(other.json().getString("rule")).isEqualTo("claims.major_defect.remedyChoice");
    assertThat(f.ledgerCount(order, "refund")).isZero();
    Api.Response approved = f.admin("approve", claim, new JsonObject().put("note", "could not fix it"));
    assertThat(approved.status()).as("%s", approved).isEqualTo(200);
    assertThat(approved.json().getJsonObject("decision").getString("remedy")).isEqualTo("refund");
  }

  @Test
  @DisplayName("a choice where the claim type gives none, or an unknown remedy, is refused and changes nothing")
  void badChoices() {
    Customer c = node.customer("bad-chooser", "5.00");
    long order = f.captured(c);
    Api.Response noChoice = api.post("/v1/claims", c.apiKey(), new JsonObject().put("orderId", order)
        .put("type", "invalid_number").put("text", "broken").put("remedy", "replacement"));
    assertThat(noChoice.status()).as("%s", noChoice).isEqualTo(422);
    assertThat(noChoice.json().getString("rule")).isEqualTo("claims.invalid_number.remedyChoice");
    assertThat(api.get("/v1/claims", c.apiKey()).items()).isEmpty();

    long claim = fileMajorDefect(c, order, null).json().getLong("id");
    for (Object bad : new Object[] {"cash", 5, ""}) {
      Api.Response r = api.put("/v1/claims/" + claim + "/remedy", c.apiKey(), new JsonObject().put("remedy", bad));
      assertThat(r.status()).as("%s: %s", bad, r).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
    }
    assertThat(api.put("/v1/claims/" + claim + "/remedy", c.apiKey(), new JsonObject()).status()).isEqualTo(400);
    Customer stranger = node.customer("stranger", "1.00");
    assertThat(choose(stranger, claim, "replacement").status()).isEqualTo(404);
    assertThat(api.get("/v1/claims/" + claim, c.apiKey()).json().getString("chosenRemedy")).isEqualTo("refund");
  }
}
