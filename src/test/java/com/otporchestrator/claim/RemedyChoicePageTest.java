package com.otporchestrator.claim;

import static com.otporchestrator.testing.WebClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import com.otporchestrator.testing.WebClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** esimpy: the remedy of a major defect is "at the Customer's discretion": the claim page lets the customer choose it. */
@DisplayName("The customer chooses a claim's remedy on its page")
class RemedyChoicePageTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static ClaimFixture f;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(RemedyChoicePageTest.class);
    node = TestNode.start(stores);
    api = node.api();
    f = new ClaimFixture(node);
    node.offer("tg", 0, "0.50");
    f.inForce("esimpy_return_policy");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  @Test
  @DisplayName("the page offers the policy's remedies while the claim is open, and the form changes the choice")
  void theFormChangesTheRemedy() {
    Customer c = node.customer("page-chooser", "5.00");
    assertThat(api.put("/admin/v1/accounts/" + c.id() + "/login", TestNode.ADMIN_TOKEN, new JsonObject()
        .put("email", "chooser@example.com").put("password", "chooser password")).status()).isEqualTo(200);
    long order = f.captured(c);
    Api.Response filed = api.post("/v1/claims", c.apiKey(), new JsonObject().put("orderId", order).put("type", "major_defect")
        .put("text", "critical error").put("remedy", "replacement"));
    assertThat(filed.status()).as("%s", filed).isEqualTo(201);
    long claim = filed.json().getLong("id");

    WebClient web = new WebClient(api.baseUrl());
    web.login("chooser@example.com", "chooser password");
    WebClient.Page page = web.get("/app/claims/" + claim);
    assertThat(page.body()).contains("data-testid=\"remedy-form\"").contains("value=\"refund\"")
        .contains("value=\"replacement\" checked");
    WebClient.Page chosen = web.post("/app/claims/" + claim + "/remedy", form("_csrf", page.csrf(), "remedy", "refund"));
    assertThat(chosen.status()).isEqualTo(303);
    assertThat(api.get("/v1/claims/" + claim, c.apiKey()).json().getString("chosenRemedy")).isEqualTo("refund");

    WebClient.Page refused = web.post("/app/claims/" + claim + "/remedy", form("_csrf", page.csrf(), "remedy", "cash"));
    assertThat(refused.status()).as("a remedy the policy does not offer").isEqualTo(422);
    assertThat(api.get("/v1/claims/" + claim, c.apiKey()).json().getString("chosenRemedy")).isEqualTo("refund");
  }
}
