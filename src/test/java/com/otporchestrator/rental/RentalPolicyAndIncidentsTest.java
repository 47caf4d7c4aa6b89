package com.otporchestrator.rental;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@DisplayName("Rentals under a published policy, and silent disconnections")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RentalPolicyAndIncidentsTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(RentalPolicyAndIncidentsTest.class);
    node = TestNode.start(stores);
    api = node.api();
    node.offer("tg", 0, "0.50");
    Api.Response offer = api.put("/admin/v1/rent-offers", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("country", 0).put("service", "full").put("hourlyPrice", "0.01").put("stock", 50));
    assertThat(offer.status()).as("%s", offer).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static String preset(String name) {
    try (InputStream in = RentalPolicyAndIncidentsTest.class.getClassLoader().getResourceAsStream("policies/" + name + ".yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Api.Response rent(Customer c, int hours) {
    return api.post("/v1/rentals", c.apiKey(), new JsonObject().put("country", 0).put("hours", hours));
  }

  private static String upstreamState(long id) {
    return Await.result(node.node().core().pool().preparedQuery("SELECT upstream_state FROM rentals WHERE id = $1")
        .execute(Tuple.of(id))).iterator().next().getString("upstream_state");
  }

  @Test
  @Order(1)
  void aPolicyWithoutARentalRuleUsesThePlatformDefaults() {
    Customer c = node.customer("defaults", "10.00");
    Api.Response r = rent(c, 4);
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    JsonObject rental = r.json();
    assertThat(rental.getJsonObject("policy").getString("id")).isEqualTo("smssb_refund_policy");
    assertThat(Duration.between(Instant.parse(rental.getString("createdAt")), Instant.parse(rental.getString("cancellableUntil"))))
        .isEqualTo(Duration.ofSeconds(1200));
  }

  @Test
  @Order(2)
  void thePolicyInForceFixesDurationsAndTheCancelWindowCountedFromThePurchase() {
    String v2 = preset("otpdesk-refund-policy").replace("version: 1", "version: 2").replace("cancelWindow: PT20M", "cancelWindow: PT3S");
    Api.Response published = api.send("POST", "/admin/v1/policies", TestNode.ADMIN_TOKEN, "application/yaml", v2);
    assertThat(published.status()).as("%s", published).isEqualTo(201);
    Api.Response set = api.put("/admin/v1/policies/in-force", TestNode.ADMIN_TOKEN, new JsonObject().put("policyId", "otpdesk_refund_policy"));
    assertThat(set.status()).as("%s", set).isEqualTo(200);

    Customer c = node.customer("otpdesk", "10.00");
    Api.Response tooShort = rent(c, 23);
    assertThat(tooShort.status()).as("%s", tooShort).isEqualTo(400);
    assertThat(tooShort.json().getInteger("minHours")).isEqualTo(24);
    assertThat(rent(c, 1345).status()).isEqualTo(400);

    JsonObject early = rent(c, 24).json();
    JsonObject late = rent(c, 24).json();
    assertThat(early.getJsonObject("policy")).isEqualTo(new JsonObject().put("id", "otpdesk_refund_policy").put("version", 2));
    Instant created = Instant.parse(early.getString("createdAt"));
    assertThat(Duration.between(created, Instant.parse(early.getString("cancellableUntil")))).isEqualTo(Duration.ofSeconds(3));
    JsonObject position = api.get("/v1/rentals/" + early.getLong("id") + "/refund", c.apiKey()).json();
    assertThat(position.getBoolean("refundableNow")).isTrue();
    assertThat(position.getJsonObject("policy")).isEqualTo(new JsonObject().put("id", "otpdesk_refund_policy").put("version", 2));

    Api.Response cancelled = api.post("/v1/rentals/" + early.getLong("id") + "/cancel", c.apiKey(), new JsonObject());
    assertThat(cancelled.status()).as("%s", cancelled).isEqualTo(200);

    Instant windowEnd = Instant.parse(late.getString("cancellableUntil"));
    Await.until("the cancel window closed", Duration.ofSeconds(10), () -> Instant.now().isAfter(windowEnd.plusMillis(200)));
    Api.Response refused = api.post("/v1/rentals/" + late.getLong("id") + "/cancel", c.apiKey(), new JsonObject());
    assertThat(refused.status()).as("%s", refused).isEqualTo(409);
    assertThat(refused.json().getString("cancelUntil")).isEqualTo(windowEnd.toString());
    assertThat(api.get("/v1/wallet", c.apiKey()).json().getString("held")).isEqualTo("0.24");
    api.put("/admin/v1/policies/in-force", TestNode.ADMIN_TOKEN, new JsonObject().put("policyId", "smssb_refund_policy"));
  }

  @Test
  @Order(3)
  void aNumberTheSupplierReportsDeadOpensOneIncidentForReviewAndItsCloseIsRecordedRefused() {
    // under a policy that leaves a dead number to humans (esimpy); where the policy refunds it, RentalAutoRefundsTest
    inForce("esimpy_return_policy");
    try {
      deadNumberForReview();
    } finally {
      inForce("smssb_refund_policy");
    }
  }

  private static void inForce(String policyId) {
    assertThat(api.put("/admin/v1/policies/in-force", TestNode.ADMIN_TOKEN, new JsonObject().put("policyId", policyId))
        .status()).isEqualTo(200);
  }

  private static void deadNumberForReview() {
    Customer c = node.customer("silent", "10.00");
    Api.Response r = rent(c, 4);
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    long id = r.json().getLong("id");
    Api.Response dead = api.post("/admin/v1/sandbox/rentals/" + id + "/dead", TestNode.ADMIN_TOKEN, "{}");
    assertThat(dead.status()).as("%s", dead).isEqualTo(200);
    assertThat(dead.json().getBoolean("incidentRecorded")).isTrue();
    assertThat(api.post("/admin/v1/sandbox/rentals/" + id + "/dead", TestNode.ADMIN_TOKEN, "{}").json()
        .getBoolean("incidentRecorded")).isFalse();
    // a dead number hears nothing more
    assertThat(api.post("/admin/v1/sandbox/rentals/" + id + "/sms", TestNode.ADMIN_TOKEN,
        new JsonObject().put("text", "hello")).status()).isEqualTo(409);

    JsonArray incidents = api.get("/admin/v1/rentals/incidents", TestNode.ADMIN_TOKEN).json().getJsonArray("items");
    assertThat(incidents).hasSize(1);
    JsonObject incident = incidents.getJsonObject(0);
    assertThat(incident.getLong("rentalId")).isEqualTo(id);
    assertThat(incident.getLong("accountId")).isEqualTo(c.id());
    assertThat(incident.getString("kind")).isEqualTo("NUMBER_DEAD");
    assertThat(incident.getString("evidence")).contains("dead");

    JsonArray queue = api.get("/admin/v1/claims?state=IN_REVIEW&accountId=" + c.id(), TestNode.ADMIN_TOKEN).json()
        .getJsonArray("items");
    assertThat(queue).as("the incident opened a claim for review on its own").hasSize(1);
    JsonObject claim = queue.getJsonObject(0);
    assertThat(claim.getLong("orderId")).isEqualTo(id);
    assertThat(claim.getString("type")).isEqualTo("rental_disconnected");
    assertThat(api.get("/v1/claims", c.apiKey()).json().getJsonArray("items")).hasSize(1);

    assertThat(api.post("/v1/rentals/" + id + "/finish", c.apiKey(), new JsonObject()).status()).isEqualTo(200);
    Await.until("close refused upstream", () -> "REFUSED".equals(upstreamState(id)));
    assertThat(api.get("/admin/v1/rentals/incidents", TestNode.ADMIN_TOKEN).json().getJsonArray("items")).hasSize(1);
    assertThat(api.get("/admin/v1/claims?accountId=" + c.id(), TestNode.ADMIN_TOKEN).json().getJsonArray("items"))
        .as("a refused close is our cost and opens no second claim").hasSize(1);

    String before = api.get("/v1/wallet", c.apiKey()).json().getString("balance");
    Api.Response approved = api.post("/admin/v1/claims/" + claim.getLong("id") + "/approve", TestNode.ADMIN_TOKEN,
        new JsonObject().put("remedy", "refund").put("note", "number died mid-rental"));
    assertThat(approved.status()).as("%s", approved).isEqualTo(200);
    assertThat(new java.math.BigDecimal(api.get("/v1/wallet", c.apiKey()).json().getString("balance")))
        .isEqualByComparingTo(new java.math.BigDecimal(before).add(new java.math.BigDecimal(r.json().getString("price"))));
    node.assertMoneyInvariants();
  }

  @Test
  @Order(4)
  void aCustomerFilesARentalClaimUnderTheRentalsOwnPolicyVersion() {
    assertThat(api.put("/admin/v1/policies/in-force", TestNode.ADMIN_TOKEN,
        new JsonObject().put("policyId", "smsactivator_refund_policy")).status()).isEqualTo(200);
    try {
      Customer c = node.customer("rental-claimant", "10.00");
      long id = rent(c, 4).json().getLong("id");
      Api.Response filed = api.post("/v1/claims", c.apiKey(), new JsonObject().put("orderId", id)
          .put("type", "rental_issue").put("text", "no SMS since yesterday evening"));
      assertThat(filed.status()).as("%s", filed).isEqualTo(201);
      assertThat(filed.json().getString("orderKind")).isEqualTo("rental");
      Api.Response wrongKind = api.post("/v1/claims", c.apiKey(), new JsonObject().put("orderId", id)
          .put("type", "wrong_service_sms").put("text", "x"));
      assertThat(wrongKind.status()).as("an activation-only claim type on a rental: %s", wrongKind).isEqualTo(422);
    } finally {
      api.put("/admin/v1/policies/in-force", TestNode.ADMIN_TOKEN, new JsonObject().put("policyId", "smssb_refund_policy"));
    }
  }

  @Test
  @Order(5)
  void anOutageOfItsSupplierOpensOneClaimPerRentalItCoveredAndRefundsNoRentalInFull() {
    // under a policy that leaves outages mid-rental to a ticket (smsactivator: "partial-coverage outages mid-rental");
    // where the policy refunds them automatically, RentalAutoRefundsTest
    inForce("smsactivator_refund_policy");
    try {
      outageForReview();
    } finally {
      inForce("smssb_refund_policy");
    }
  }

  private static void outageForReview() {
    Customer c = node.customer("outage-renter", "10.00");
    long covered = rent(c, 4).json().getLong("id");
    Customer other = node.customer("refunded-renter", "10.00");
    long refunded = rent(other, 4).json().getLong("id");
    assertThat(api.post("/v1/rentals/" + refunded + "/cancel", other.apiKey(), new JsonObject()).status()).isEqualTo(200);
    String before = api.get("/v1/wallet", c.apiKey()).json().getString("balance");

    Api.Response declared = api.post("/admin/v1/outages", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("from", Instant.now().minusSeconds(600).toString()).put("reason", "SIM bank offline"));
    assertThat(declared.status()).as("%s", declared).isEqualTo(201);
    long outage = declared.json().getLong("id");
    Await.until("the outage finished", () -> "DONE".equals(
        api.get("/admin/v1/outages/" + outage, TestNode.ADMIN_TOKEN).json().getString("state")));

    JsonArray claims = api.get("/admin/v1/claims?accountId=" + c.id(), TestNode.ADMIN_TOKEN).json().getJsonArray("items");
    assertThat(claims).hasSize(1);
    assertThat(claims.getJsonObject(0).getLong("orderId")).isEqualTo(covered);
    assertThat(claims.getJsonObject(0).getString("state")).isEqualTo("IN_REVIEW");
    assertThat(api.get("/admin/v1/claims?accountId=" + other.id(), TestNode.ADMIN_TOKEN).json().getJsonArray("items"))
        .as("a rental cancelled with a full refund gets no claim").isEmpty();
    assertThat(api.get("/v1/rentals/" + covered, c.apiKey()).json().getString("state")).isEqualTo("ACTIVE");
    assertThat(api.get("/v1/wallet", c.apiKey()).json().getString("balance")).isEqualTo(before);

    Api.Response again = api.post("/admin/v1/outages", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("from", Instant.now().minusSeconds(300).toString()));
    long second = again.json().getLong("id");
    Await.until("the second outage finished", () -> "DONE".equals(
        api.get("/admin/v1/outages/" + second, TestNode.ADMIN_TOKEN).json().getString("state")));
    assertThat(api.get("/admin/v1/claims?accountId=" + c.id(), TestNode.ADMIN_TOKEN).json().getJsonArray("items"))
        .as("one incident per rental and kind: a second outage opens no second claim").hasSize(1);
    node.assertMoneyInvariants();
  }

  @Test
  @Order(6)
  void aSupplierSellingOnlySomeLengthsIsOfferedOnlyThoseAndTheRefusalNamesThem() {
    Api.Response offer = api.put("/admin/v1/rent-offers", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("country", 0).put("service", "wa").put("hourlyPrice", "0.02").put("stock", 10)
        .put("hours", new JsonArray().add(24).add(4).add(168)));
    assertThat(offer.status()).as("%s", offer).isEqualTo(200);
    assertThat(offer.json().getJsonArray("hours")).isEqualTo(new JsonArray().add(4).add(24).add(168));
    Customer c = node.customer("length-picker", "10.00");

    Api.Response allowed = api.post("/v1/rentals", c.apiKey(), new JsonObject().put("country", 0).put("service", "wa").put("hours", 24));
    assertThat(allowed.status()).as("%s", allowed).isEqualTo(201);
    Api.Response other = api.post("/v1/rentals", c.apiKey(), new JsonObject().put("country", 0).put("service", "wa").put("hours", 5));
    assertThat(other.status()).as("%s", other).isEqualTo(400);
    assertThat(other.json().getJsonArray("allowedHours")).isEqualTo(new JsonArray().add(4).add(24).add(168));
    assertThat(api.get("/v1/wallet", c.apiKey()).json().getString("held")).isEqualTo("0.48");

    assertThat(api.put("/admin/v1/rent-offers", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("country", 0).put("service", "wa").put("hourlyPrice", "0.02").put("stock", 10)
        .put("hours", new JsonArray().add(0))).status()).isEqualTo(400);
    assertThat(api.put("/admin/v1/rent-offers", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("country", 0).put("service", "wa").put("hourlyPrice", "0.02").put("stock", 10)
        .put("hours", "24")).status()).isEqualTo(400);
  }
}
