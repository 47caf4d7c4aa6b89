package com.otporchestrator.api;

import static com.otporchestrator.api.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.WebClient;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The admin API's lists and searches (accounts, orders, suppliers, operators) page through what they find, and the
 * decisions without a "who" column of their own (suspensions, outages, suppliers) record who made them.
 */
@DisplayName("Operators find accounts, orders and suppliers page by page, and their decisions name who made them")
class AdminSearchAndStaffTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static Customer alice;
  private static Customer bob;
  private static long aliceActivation;
  private static String alicePhone;
  private static long bobRental;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(AdminSearchAndStaffTest.class);
    node = TestNode.start(stores);
    api = node.api();
    node.offer("tg", 0, "0.50");
    assertThat(api.put("/admin/v1/rent-offers", ADMIN, new JsonObject().put("provider", "sandbox").put("country", 0)
        .put("service", "full").put("hourlyPrice", "0.01").put("stock", 50)).status()).isEqualTo(200);
    alice = node.customer("Alice Liddell", "10.00");
    bob = node.customer("Bob Builder", "10.00");
    for (int i = 0; i < 3; i++) node.customer("filler " + i, null);
    JsonObject bought = api.post("/v1/activations", alice.apiKey(), new JsonObject().put("service", "tg").put("country", 0)).json();
    aliceActivation = bought.getLong("id");
    alicePhone = bought.getString("phone");
    api.post("/v1/activations", alice.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    Api.Response rented = api.post("/v1/rentals", bob.apiKey(), new JsonObject().put("service", "full").put("country", 0).put("hours", 4));
    assertThat(rented.status()).as("%s", rented).isEqualTo(201);
    bobRental = rented.json().getLong("id");
  }

  @AfterAll
  static void stop() {
    try {
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
      stores.close();
    }
  }

  private static List<Long> ids(Api.Response response) {
    assertThat(response.status()).as("%s", response).isEqualTo(200);
    List<Long> ids = new ArrayList<>();
    response.json().getJsonArray("items").forEach(item -> ids.add(((JsonObject) item).getLong("id")));
    return ids;
  }

  @Test
  @DisplayName("an account is found by its id, the start of its API key, its login email and part of its name, with its wallet")
  void accountsAreFoundByIdKeyPrefixAndName() {
    assertThat(ids(api.get("/admin/v1/accounts?q=" + alice.id(), ADMIN))).contains(alice.id()).doesNotContain(bob.id());
    assertThat(ids(api.get("/admin/v1/accounts?q=" + bob.apiKey().substring(0, 6).toUpperCase(), ADMIN))).containsExactly(bob.id());
    assertThat(ids(api.get("/admin/v1/accounts?q=" + bob.apiKey(), ADMIN))).containsExactly(bob.id());
    JsonObject found = api.get("/admin/v1/accounts?q=liddell", ADMIN).json().getJsonArray("items").getJsonObject(0);
    assertThat(found.getLong("id")).isEqualTo(alice.id());
    assertThat(found.getString("keyPrefix")).isEqualTo(alice.apiKey().substring(0, 8));
    assertThat(found.getString("balance")).isEqualTo("9.00");
    assertThat(found.getString("held")).isEqualTo("1.00");
    assertThat(api.put("/admin/v1/accounts/" + alice.id() + "/login", ADMIN, new JsonObject().put("email", "alice@wonder.land")
        .put("password", "down the rabbit hole")).status()).isEqualTo(200);
    assertThat(ids(api.get("/admin/v1/accounts?q=ALICE@wonder.land", ADMIN))).containsExactly(alice.id());
    assertThat(api.get("/admin/v1/accounts?q=Liddell", ADMIN).json().getJsonArray("items").getJsonObject(0)
        .getString("email")).isEqualTo("alice@wonder.land");
    // a % in the text is a character, not a wildcard
    assertThat(ids(api.get("/admin/v1/accounts?q=%25", ADMIN))).isEmpty();
  }

  @Test
  @DisplayName("accounts page newest first, each page starting below the last id of the one before, without gaps")
  void accountsPage() {
    List<Long> all = ids(api.get("/admin/v1/accounts?limit=200", ADMIN));
    assertThat(all).hasSizeGreaterThanOrEqualTo(5).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    Api.Response first = api.get("/admin/v1/accounts?limit=2", ADMIN);
    String cursor = first.json().getString("nextCursor");
    List<Long> walked = new ArrayList<>(ids(first));
    while (cursor != null) {
      Api.Response next = api.get("/admin/v1/accounts?limit=2&cursor=" + cursor, ADMIN);
      walked.addAll(ids(next));
      cursor = next.json().getString("nextCursor");
    }
    assertThat(walked).isEqualTo(all);
  }

  @Test
  @DisplayName("an order is found by its id, by its phone number (with + or spaces) and by its account, rentals too")
  void ordersAreFoundByIdPhoneAndAccount() {
    assertThat(ids(api.get("/admin/v1/orders?q=" + aliceActivation, ADMIN))).containsExactly(aliceActivation);
    String spaced = "%2B" + alicePhone.replace("+", "").substring(0, 3) + "%20" + alicePhone.replace("+", "").substring(3);
    assertThat(ids(api.get("/admin/v1/orders?q=" + spaced, ADMIN))).contains(aliceActivation);
    assertThat(ids(api.get("/admin/v1/orders?accountId=" + alice.id(), ADMIN))).hasSize(2).contains(aliceActivation);
    JsonArray bobs = api.get("/admin/v1/orders?accountId=" + bob.id(), ADMIN).json().getJsonArray("items");
    assertThat(bobs).hasSize(1);
    assertThat(bobs.getJsonObject(0).getString("kind")).isEqualTo("rental");
    assertThat(bobs.getJsonObject(0).getLong("id")).isEqualTo(bobRental);
    assertThat(ids(api.get("/admin/v1/orders?kind=rental", ADMIN))).containsExactly(bobRental);
    Api.Response page = api.get("/admin/v1/orders?limit=2", ADMIN);
    assertThat(ids(page)).hasSize(2);
    assertThat(ids(api.get("/admin/v1/orders?limit=2&cursor=" + page.json().getString("nextCursor"), ADMIN))).hasSize(1);
  }

  @Test
  @DisplayName("suppliers list with their breakers; disabling one records who did it, and the token alone is 'token'")
  void suppliersAreListedAndSwitchedByAPerson() {
    JsonObject sandbox = api.get("/admin/v1/providers", ADMIN).json().getJsonArray("items").getJsonObject(0);
    assertThat(sandbox.getString("id")).isEqualTo("sandbox");
    assertThat(sandbox.getBoolean("enabled")).isTrue();
    assertThat(sandbox.getJsonObject("health").getString("breaker")).isEqualTo("CLOSED");
    assertThat(sandbox.containsKey("apiKey")).isFalse();
    assertThat(api.post("/admin/v1/providers/sandbox/disable", ADMIN, (String) null, "X-Admin-Actor", "carol").status())
        .isEqualTo(200);
    assertThat(api.get("/admin/v1/providers", ADMIN).json().getJsonArray("items").getJsonObject(0).getBoolean("enabled")).isFalse();
    assertThat(api.post("/admin/v1/providers/sandbox/enable", ADMIN, (String) null).status()).isEqualTo(200);
    assertThat(decisions("supplier:sandbox")).containsExactly("token:carol supplier.disable", "token supplier.enable");
  }

  @Test
  @DisplayName("a suspension, a termination and an outage decision record who made them")
  void suspensionsAndOutagesRecordWhoDecided() {
    Customer eve = node.customer("eve", null);
    Api.Response suspended = RawHttp.send(api, "PUT", "/admin/v1/accounts/" + eve.id() + "/status",
        "{\"status\":\"suspended\"}", "Authorization", "Bearer " + ADMIN, "Content-Type", "application/json",
        "X-Admin-Actor", "dave");
    assertThat(suspended.status()).as("%s", suspended).isEqualTo(200);
    assertThat(decisions("account:" + eve.id())).containsExactly("token:dave account.suspend");
    Api.Response terminated = RawHttp.send(api, "POST", "/admin/v1/accounts/" + eve.id() + "/terminate",
        "{\"reason\":\"AUP violation\"}", "Authorization", "Bearer " + ADMIN, "Content-Type", "application/json",
        "X-Admin-Actor", "dave");
    assertThat(terminated.status()).as("%s", terminated).isEqualTo(200);
    assertThat(decisions("account:" + eve.id())).containsExactly("token:dave account.suspend", "token:dave account.terminate");
    Api.Response declared = api.post("/admin/v1/outages", ADMIN, new JsonObject().put("service", "tg").put("country", 7)
        .put("from", Instant.now().minusSeconds(60).toString()).put("reason", "test"));
    assertThat(declared.status()).as("%s", declared).isEqualTo(201);
    JsonObject outage = declared.json();
    assertThat(decisions("outage:" + outage.getLong("id"))).containsExactly("token outage.declare");
  }

  @Test
  @DisplayName("an operator is opened with a role and a hashed password, listed without it, and an email is taken once")
  void operatorsAreOpenedWithARole() {
    JsonObject made = api.post("/admin/v1/staff", ADMIN, new JsonObject().put("email", "sam@ops.test").put("name", "Sam")
        .put("role", "senior_support").put("password", "correct horse battery")).json();
    assertThat(made.getString("role")).isEqualTo("senior_support");
    assertThat(made.containsKey("password")).isFalse();
    String stored = Await.result(node.node().core().pool().preparedQuery("SELECT password_hash FROM staff WHERE id = $1")
        .execute(Tuple.of(made.getLong("id")))).iterator().next().getString("password_hash");
    assertThat(stored).doesNotContain("correct horse battery").isNotBlank();
    assertThat(Await.result(node.node().modules().staff().service().authenticate("SAM@ops.test", "correct horse battery")))
        .hasValueSatisfying(p -> assertThat(p.actor()).isEqualTo("staff:sam@ops.test"));
    assertThat(Await.result(node.node().modules().staff().service().authenticate("sam@ops.test", "wrong horse battery"))).isEmpty();
    assertProblem(api.post("/admin/v1/staff", ADMIN, new JsonObject().put("email", "Sam@ops.test").put("name", "Other")
        .put("role", "support").put("password", "another long password")), 409, "already exists");
    assertThat(api.get("/admin/v1/staff", ADMIN).json().getJsonArray("items").stream()
        .filter(p -> ((JsonObject) p).getString("email").equalsIgnoreCase("sam@ops.test"))).hasSize(1);
  }

  @Test
  @DisplayName("an operator who leaves is disabled: their open console session ends at once and their login is refused;"
      + " re-enabled with a new password, only the new one opens, and each change names who made it")
  void aLeaverIsDisabledAndSignedOut() {
    long id = api.post("/admin/v1/staff", ADMIN, new JsonObject().put("email", "leaver@ops.test").put("name", "Leaver")
        .put("role", "admin").put("password", "first password here")).json().getLong("id");
    WebClient session = consoleLogin("leaver@ops.test", "first password here");
    assertThat(session.get("/console/accounts").status()).isEqualTo(200);

    Api.Response disabled = RawHttp.send(api, "PATCH", "/admin/v1/staff/" + id, "{\"active\":false}",
        "Authorization", "Bearer " + ADMIN, "Content-Type", "application/json", "X-Admin-Actor", "dave");
    assertThat(disabled.status()).as("%s", disabled).isEqualTo(200);
    assertThat(disabled.json().getBoolean("active")).isFalse();
    assertThat(session.get("/console/accounts").status()).as("the open session ends").isEqualTo(303);
    assertThat(consoleLoginStatus("leaver@ops.test", "first password here")).isEqualTo(401);

    Api.Response back = api.send("PATCH", "/admin/v1/staff/" + id, ADMIN, "application/json",
        new JsonObject().put("active", true).put("password", "second password here").put("role", "support").encode());
    assertThat(back.status()).as("%s", back).isEqualTo(200);
    assertThat(back.json().getString("role")).isEqualTo("support");
    assertThat(consoleLoginStatus("leaver@ops.test", "first password here")).isEqualTo(401);
    assertThat(consoleLoginStatus("leaver@ops.test", "second password here")).isEqualTo(303);
    assertThat(decisions("staff:" + id)).containsExactly("token:dave staff.disable", "token staff.enable", "token staff.role",
        "token staff.password");
  }

  private static WebClient consoleLogin(String email, String password) {
    WebClient web = new WebClient(api.baseUrl());
    String csrf = web.get("/console/login").csrf();
    WebClient.Page page = web.post("/console/login", WebClient.form("_csrf", csrf, "next", "/console/accounts", "email", email,
        "password", password));
    assertThat(page.status()).as("login: %s", page.body()).isEqualTo(303);
    return web;
  }

  private static int consoleLoginStatus(String email, String password) {
    WebClient web = new WebClient(api.baseUrl());
    String csrf = web.get("/console/login").csrf();
    return web.post("/console/login", WebClient.form("_csrf", csrf, "email", email, "password", password)).status();
  }

  @ParameterizedTest(name = "GET {0} -> 400 \"{1}\"")
  @CsvSource(delimiter = '|', value = {
      "/admin/v1/accounts?limit=0|'limit' must be an integer between 1 and 200",
      "/admin/v1/accounts?limit=201|'limit' must be an integer between 1 and 200",
      "/admin/v1/accounts?cursor=abc|'cursor' is not a cursor",
      "/admin/v1/orders?q=alice|'q' must be an order id or a phone number",
      "/admin/v1/orders?kind=sale|'kind' must be activation or rental",
      "/admin/v1/orders?accountId=-1|'accountId' must be an account id",
      "/admin/v1/orders?limit=1000|'limit' must be an integer between 1 and 200",
      "/admin/v1/providers?after=NOT%20AN%20ID|'after' must be a supplier id",
      "/admin/v1/staff?limit=x|'limit' must be an integer between 1 and 200"})
  void badSearchesAreRefused(String path, String detail) {
    assertProblem(api.get(path, ADMIN), 400, detail);
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "POST|/admin/v1/staff|{\"email\":\"x\",\"name\":\"X\",\"role\":\"support\",\"password\":\"long enough pass\"}|400|'email' must be an email address",
      "POST|/admin/v1/staff|{\"email\":\"x@y.z\",\"name\":\"X\",\"role\":\"boss\",\"password\":\"long enough pass\"}|400|'role' must be support, senior_support, finance or admin",
      "POST|/admin/v1/staff|{\"email\":\"x@y.z\",\"name\":\"X\",\"role\":\"admin\",\"password\":\"short\"}|400|'password' must be 12 to 200 characters",
      "POST|/admin/v1/staff|{\"email\":\"x@y.z\",\"name\":\"X\",\"role\":\"admin\",\"password\":\"long enough pass\",\"admin\":true}|400|admin",
      "PATCH|/admin/v1/staff/1|{\"active\":\"no\"}|400|'active' must be true or false",
      "PATCH|/admin/v1/staff/1|{}|400|give at least one of 'active', 'role' and 'password'",
      "PATCH|/admin/v1/staff/1|{\"role\":\"boss\"}|400|'role' must be support, senior_support, finance or admin",
      "PATCH|/admin/v1/staff/1|{\"password\":\"short\"}|400|'password' must be 12 to 200 characters",
      "PATCH|/admin/v1/staff/999999|{\"active\":false}|404|person 999999 does not exist",
      "POST|/admin/v1/providers/nosuch/disable||404|supplier nosuch is not configured",
      "POST|/admin/v1/providers/BAD!/enable||400|provider id must match"})
  void badWritesAreRefusedAndChangeNothing(String method, String path, String body, int status, String detail) {
    List<String> before = rows();
    assertProblem(api.send(method, path, ADMIN, body == null ? null : "application/json", body), status, detail);
    assertThat(rows()).isEqualTo(before);
  }

  private static List<String> rows() {
    List<String> rows = new ArrayList<>();
    for (String sql : List.of("SELECT id, email, role FROM staff ORDER BY id", "SELECT id, enabled FROM providers ORDER BY id",
        "SELECT id, actor, action, subject FROM admin_decisions ORDER BY id")) {
      for (Row row : Await.result(node.node().core().pool().query(sql).execute())) rows.add(row.deepToString());
    }
    return rows;
  }

  private static List<String> decisions(String subject) {
    List<String> out = new ArrayList<>();
    Await.result(node.node().core().pool().preparedQuery("SELECT actor, action FROM admin_decisions WHERE subject = $1 ORDER BY id")
        .execute(Tuple.of(subject))).forEach(r -> out.add(r.getString("actor") + " " + r.getString("action")));
    return out;
  }
}
