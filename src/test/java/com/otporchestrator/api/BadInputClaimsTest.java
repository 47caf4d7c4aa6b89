package com.otporchestrator.api;

import static com.otporchestrator.api.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Every claims endpoint answers bad input with a precise problem and writes nothing")
class BadInputClaimsTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static Customer owner;
  private static Customer other;
  private static long order;
  private static long claim;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(BadInputClaimsTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("CANCEL_DELAY_SECONDS", "0");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    owner = node.customer("owner", "10.00");
    other = node.customer("other", "10.00");
    order = api.post("/v1/activations", owner.apiKey(), new JsonObject().put("service", "tg").put("country", 0)).json().getLong("id");
    Api.Response filed = api.post("/v1/claims", owner.apiKey(), new JsonObject().put("orderId", order)
        .put("type", "refund_not_applied").put("text", "charged twice?"));
    assertThat(filed.status()).as("%s", filed).isEqualTo(201);
    claim = filed.json().getLong("id");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.close();
    stores.close();
  }

  private static long claims() {
    return Await.result(node.node().core().pool().query("SELECT count(*) AS n FROM claims").execute())
        .iterator().next().getLong("n");
  }

  private static Api.Response fileRaw(String apiKey, String contentType, String body) {
    return api.send("POST", "/v1/claims", apiKey, contentType, body);
  }

  private static String body(Object orderId, Object type, Object text) {
    return new JsonObject().put("orderId", orderId).put("type", type).put("text", text).encode();
  }

  @Test
  @DisplayName("POST /v1/claims: media type, JSON, fields, types, ids of other accounts, size")
  void filing() {
    long before = claims();
    String ok = body(order, "refund_not_applied", "x");
    assertProblem(fileRaw(owner.apiKey(), "text/plain", ok), 415, "application/json");
    assertProblem(fileRaw(owner.apiKey(), "application/json", "{\"orderId\":"), 400, "not valid JSON");
    assertProblem(fileRaw(owner.apiKey(), "application/json", "[1]"), 400, "JSON object");
    assertProblem(fileRaw(owner.apiKey(), "application/json", ""), 400, "empty");
    assertProblem(fileRaw(owner.apiKey(), "application/json", "{\"orderId\":1,\"extra\":1}"), 400, "unknown field 'extra'");
    assertProblem(fileRaw(owner.apiKey(), "application/json", body("1", "refund_not_applied", "x")), 400, "'orderId'");
    assertProblem(fileRaw(owner.apiKey(), "application/json", body(-4, "refund_not_applied", "x")), 400, "'orderId'");
    assertProblem(fileRaw(owner.apiKey(), "application/json", body(1.5, "refund_not_applied", "x")), 400, "'orderId'");
    assertProblem(fileRaw(owner.apiKey(), "application/json", body(order, null, "x")), 400, "'type' is required");
    assertProblem(fileRaw(owner.apiKey(), "application/json", body(order, "Bad Type", "x")), 400, "'type'");
    assertProblem(fileRaw(owner.apiKey(), "application/json", body(order, 7, "x")), 400, "'type' must be a string");
    assertProblem(fileRaw(owner.apiKey(), "application/json", body(order, "refund_not_applied", "")), 400, "'text'");
    assertProblem(fileRaw(owner.apiKey(), "application/json", body(order, "refund_not_applied", "x".repeat(4001))), 400, "'text'");
    assertProblem(fileRaw(owner.apiKey(), "application/json", new JsonObject(ok).put("tags", "telegram_2fa").encode()), 400, "'tags'");
    assertProblem(fileRaw(owner.apiKey(), "application/json", new JsonObject(ok).put("tags", new io.vertx.core.json.JsonArray().add(1)).encode()), 400, "tag");
    assertProblem(fileRaw(owner.apiKey(), "application/json", new JsonObject(ok).put("tags", new io.vertx.core.json.JsonArray().add("fraud_flagged")).encode()), 400, "set by the platform");
    assertProblem(fileRaw(owner.apiKey(), "application/json", body(999_999_999L, "refund_not_applied", "x")), 404, "does not exist");
    assertProblem(fileRaw(other.apiKey(), "application/json", ok), 404, "does not exist");
    assertProblem(fileRaw(owner.apiKey(), "application/json", body(order, "refund_not_applied", "x".repeat(70_000))), 413, "");
    assertThat(fileRaw(null, "application/json", ok).status()).isEqualTo(401);
    assertThat(claims()).isEqualTo(before);
  }

  @Test
  @DisplayName("GET /v1/claims and its evidence: unknown, malformed and other accounts' ids are 404; bad paging is 400")
  void reading() {
    assertProblem(api.get("/v1/claims/abc", owner.apiKey()), 404, "");
    assertProblem(api.get("/v1/claims/999999", owner.apiKey()), 404, "does not exist");
    assertProblem(api.get("/v1/claims/" + claim, other.apiKey()), 404, "does not exist");
    assertProblem(api.get("/v1/claims?limit=0", owner.apiKey()), 400, "'limit'");
    assertProblem(api.get("/v1/claims?cursor=x", owner.apiKey()), 400, "'cursor'");
    assertProblem(api.get("/v1/claims/" + claim + "/evidence/1", owner.apiKey()), 404, "no evidence file");
    assertProblem(api.get("/v1/claims/" + claim + "/evidence/x", owner.apiKey()), 404, "");
    assertProblem(api.get("/v1/claims/" + claim + "/evidence/9", owner.apiKey()), 404, "");
    assertThat(api.get("/v1/claims/" + claim, null).status()).isEqualTo(401);
    assertProblem(api.send("POST", "/v1/claims/abc/evidence", owner.apiKey(), "image/png", "x"), 404, "");
  }

  @Test
  @DisplayName("admin queue and actions: filters, JSON, fields, remedies, unknown claims, actor names, auth")
  void admin() {
    assertProblem(api.get("/admin/v1/claims?state=NOPE", ADMIN), 400, "'state'");
    assertProblem(api.get("/admin/v1/claims?type=Bad-Type", ADMIN), 400, "'type'");
    assertProblem(api.get("/admin/v1/claims?accountId=x", ADMIN), 400, "'accountId'");
    assertProblem(api.get("/admin/v1/claims?overdue=maybe", ADMIN), 400, "'overdue'");
    assertProblem(api.get("/admin/v1/claims?limit=1000", ADMIN), 400, "'limit'");
    assertProblem(api.get("/admin/v1/claims/999999", ADMIN), 404, "does not exist");
    assertThat(api.get("/admin/v1/claims", owner.apiKey()).status()).isEqualTo(401);
    String base = "/admin/v1/claims/" + claim;
    assertProblem(api.send("POST", base + "/approve", ADMIN, "application/json", "{"), 400, "not valid JSON");
    assertProblem(api.send("POST", base + "/approve", ADMIN, "text/plain", "{}"), 415, "");
    assertProblem(api.send("POST", base + "/approve", ADMIN, "application/json", "{}"), 400, "'remedy' is required");
    assertProblem(api.send("POST", base + "/approve", ADMIN, "application/json", "{\"remedy\":\"cash\"}"), 400, "refund or replacement");
    assertProblem(api.send("POST", base + "/approve", ADMIN, "application/json", "{\"remedy\":5}"), 400, "'remedy'");
    assertProblem(api.send("POST", base + "/approve", ADMIN, "application/json", "{\"remedy\":\"refund\",\"x\":1}"), 400, "unknown field");
    assertProblem(api.send("POST", "/admin/v1/claims/999999/approve", ADMIN, "application/json", "{\"remedy\":\"refund\"}"), 404, "");
    assertProblem(api.send("POST", base + "/reject", ADMIN, "application/json", "{}"), 400, "'reason' is required");
    assertProblem(api.send("POST", base + "/reject", ADMIN, "application/json", "{\"reason\":12}"), 400, "'reason'");
    assertProblem(api.send("POST", base + "/request-evidence", ADMIN, "application/json", "{}"), 400, "'note' is required");
    assertProblem(api.send("POST", base + "/escalate", ADMIN, "application/json", "{\"note\":3}"), 400, "'note'");
    assertProblem(api.send("POST", base + "/escalate", ADMIN, "application/json", "nope"), 400, "");
    assertProblem(api.send("POST", base + "/respond", ADMIN, "application/json", "{\"note\":\"\"}"), 400, "'note'");
    assertProblem(api.send("POST", "/admin/v1/claims/abc/respond", ADMIN, "application/json", "{\"note\":\"hi\"}"), 404, "");
    assertProblem(api.send("POST", base + "/reject", ADMIN, "application/json",
        new JsonObject().put("reason", "x".repeat(70_000)).encode()), 413, "");
    assertProblem(api.send("POST", base + "/reject", ADMIN, "application/json",
        new JsonObject().put("reason", "x".repeat(4001)).encode()), 400, "'reason'");
    assertProblem(api.post(base + "/respond", ADMIN, "{\"note\":\"hi\"}", "X-Admin-Actor", "not a name!"), 400,
        "X-Admin-Actor");
    // the claim was never changed by any of these
    JsonObject now = api.get(base, ADMIN).json();
    assertThat(now.getString("state")).isEqualTo("SUBMITTED");
    assertThat(now.getJsonArray("history")).hasSize(1);
  }
}
