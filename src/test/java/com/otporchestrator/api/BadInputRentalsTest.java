package com.otporchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every rental endpoint answers bad input with a precise 4xx problem and writes nothing. */
@DisplayName("Bad input on the rental endpoints")
class BadInputRentalsTest {
  private static final String TYPE = "https://otp-orchestrator.dev/problems/";
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static Customer owner;
  private static Customer stranger;
  private static long rentalId;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(BadInputRentalsTest.class);
    node = TestNode.start(stores);
    api = node.api();
    node.offer("tg", 0, "0.50");
    assertThat(api.put("/admin/v1/rent-offers", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("country", 0).put("service", "full").put("hourlyPrice", "0.10").put("stock", 5)).status()).isEqualTo(200);
    owner = node.customer("owner", "10.00");
    stranger = node.customer("stranger", "10.00");
    Api.Response r = api.post("/v1/rentals", owner.apiKey(), new JsonObject().put("country", 0).put("hours", 4));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    rentalId = r.json().getLong("id");
  }

  @AfterAll
  static void stop() {
    assertThat(rentals()).as("rentals written by bad input").isEqualTo(1);
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static long rentals() {
    return Await.result(node.node().core().pool().query("SELECT count(*) AS n FROM rentals").execute())
        .iterator().next().getLong("n");
  }

  private static void problem(Api.Response r, int status, String type) {
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().getString("type")).isEqualTo(TYPE + type);
  }

  private static Api.Response buy(String body) {
    return api.post("/v1/rentals", owner.apiKey(), body);
  }

  @Test
  void aPurchaseWithAMalformedBodyWrongTypesOrOutOfRangeValuesIsRefused() {
    problem(buy("{"), 400, "invalid-request");
    problem(buy("[]"), 400, "invalid-request");
    problem(buy("{\"country\":0}"), 400, "invalid-request");
    problem(buy("{\"hours\":4}"), 400, "invalid-request");
    problem(buy("{\"country\":\"zero\",\"hours\":4}"), 400, "invalid-request");
    problem(buy("{\"country\":0,\"hours\":4.5}"), 400, "invalid-request");
    problem(buy("{\"country\":0,\"hours\":true}"), 400, "invalid-request");
    problem(buy("{\"country\":0,\"hours\":0}"), 400, "invalid-request");
    problem(buy("{\"country\":0,\"hours\":-1}"), 400, "invalid-request");
    problem(buy("{\"country\":0,\"hours\":99999}"), 400, "invalid-request");
    problem(buy("{\"country\":0,\"hours\":4,\"extra\":1}"), 400, "invalid-request");
    problem(buy("{\"country\":0,\"hours\":4,\"service\":12}"), 400, "invalid-request");
    problem(buy("{\"country\":0,\"hours\":4,\"service\":\"Bad!\"}"), 400, "invalid-request");
    problem(buy("{\"country\":0,\"hours\":4,\"service\":\"nosuch\"}"), 400, "invalid-request");
    problem(buy("{\"country\":4242,\"hours\":4}"), 400, "invalid-request");
    problem(buy("{\"country\":0,\"hours\":4,\"webhookUrl\":\"ftp://x\"}"), 400, "invalid-request");
    problem(buy("{\"country\":0,\"hours\":4,\"webhookUrl\":5}"), 400, "invalid-request");
    problem(api.send("POST", "/v1/rentals", owner.apiKey(), "text/plain", "country=0"), 415, "unsupported-media-type");
    problem(api.post("/v1/rentals", null, "{\"country\":0,\"hours\":4}"), 401, "unauthorized");
  }

  @Test
  void durationsOutsideThePolicysRangeAreRefusedWithTheRange() {
    Api.Response tooShort = buy("{\"country\":0,\"hours\":3}");
    problem(tooShort, 400, "invalid-request");
    assertThat(tooShort.json().getInteger("minHours")).isEqualTo(4);
    assertThat(tooShort.json().getInteger("maxHours")).isEqualTo(1344);
    problem(buy("{\"country\":0,\"hours\":1345}"), 400, "invalid-request");
    problem(buy("{\"country\":0,\"hours\":4,\"service\":\"tg\"}"), 409, "no-numbers");
  }

  @Test
  void unknownAndOtherAccountsRentalsAreNotFoundOnEveryEndpoint() {
    for (String id : new String[] {"999999999", "abc", "-1", String.valueOf(rentalId)}) {
      Customer who = id.equals(String.valueOf(rentalId)) ? stranger : owner;
      problem(api.get("/v1/rentals/" + id, who.apiKey()), 404, "not-found");
      problem(api.get("/v1/rentals/" + id + "/refund", who.apiKey()), 404, "not-found");
      problem(api.post("/v1/rentals/" + id + "/cancel", who.apiKey(), "{}"), 404, "not-found");
      problem(api.post("/v1/rentals/" + id + "/finish", who.apiKey(), "{}"), 404, "not-found");
      problem(api.post("/v1/rentals/" + id + "/extend", who.apiKey(), "{\"hours\":1}"), 404, "not-found");
    }
    assertThat(api.get("/v1/rentals/" + rentalId, owner.apiKey()).json().getString("state")).isEqualTo("ACTIVE");
  }

  @Test
  void anExtensionWithBadHoursIsRefused() {
    String path = "/v1/rentals/" + rentalId + "/extend";
    problem(api.post(path, owner.apiKey(), "{}"), 400, "invalid-request");
    problem(api.post(path, owner.apiKey(), "{\"hours\":0}"), 400, "invalid-request");
    problem(api.post(path, owner.apiKey(), "{\"hours\":\"x\"}"), 400, "invalid-request");
    problem(api.post(path, owner.apiKey(), "{\"hours\":1,\"more\":1}"), 400, "invalid-request");
    problem(api.post(path, owner.apiKey(), "{\"hours\":1341}"), 400, "invalid-request");
    problem(api.post(path, owner.apiKey(), "nope"), 400, "invalid-request");
    assertThat(api.get("/v1/rentals/" + rentalId, owner.apiKey()).json().getInteger("hours")).isEqualTo(4);
  }

  @Test
  void listsRefuseUnknownStatesAndBadPaging() {
    problem(api.get("/v1/rentals?state=nope", owner.apiKey()), 400, "invalid-request");
    problem(api.get("/v1/rentals?limit=0", owner.apiKey()), 400, "invalid-request");
    problem(api.get("/v1/rentals?cursor=x", owner.apiKey()), 400, "invalid-request");
    assertThat(api.get("/v1/rentals", stranger.apiKey()).json().getJsonArray("items")).isEmpty();
  }

  @Test
  void adminRentOffersAndIncidentsRefuseBadInputAndCustomers() {
    String admin = TestNode.ADMIN_TOKEN;
    JsonObject good = new JsonObject().put("provider", "sandbox").put("country", 0).put("service", "full")
        .put("hourlyPrice", "0.10").put("stock", 5);
    problem(api.put("/admin/v1/rent-offers", owner.apiKey(), good), 401, "unauthorized");
    problem(api.put("/admin/v1/rent-offers", admin, good.copy().put("provider", "nosuch")), 400, "invalid-request");
    problem(api.put("/admin/v1/rent-offers", admin, good.copy().put("country", 4242)), 400, "invalid-request");
    problem(api.put("/admin/v1/rent-offers", admin, good.copy().put("service", "nosuch")), 400, "invalid-request");
    problem(api.put("/admin/v1/rent-offers", admin, good.copy().put("hourlyPrice", 0.1)), 400, "invalid-request");
    problem(api.put("/admin/v1/rent-offers", admin, good.copy().put("hourlyPrice", "0")), 400, "invalid-request");
    problem(api.put("/admin/v1/rent-offers", admin, good.copy().put("stock", -1)), 400, "invalid-request");
    problem(api.put("/admin/v1/rent-offers", admin, good.copy().put("x", 1)), 400, "invalid-request");
    problem(api.get("/admin/v1/rentals/incidents", owner.apiKey()), 401, "unauthorized");
    problem(api.get("/admin/v1/rentals/incidents?limit=0", admin), 400, "invalid-request");
    problem(api.post("/admin/v1/sandbox/rentals/999999999/dead", admin, "{}"), 404, "not-found");
    problem(api.post("/admin/v1/sandbox/rentals/" + rentalId + "/sms", admin, "{\"text\":5}"), 400, "invalid-request");
  }
}
