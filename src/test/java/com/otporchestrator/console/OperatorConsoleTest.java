package com.otporchestrator.console;

import static com.otporchestrator.testing.WebClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import com.otporchestrator.testing.WebClient;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The operator console over plain HTTP (no browser): who may enter, what each role may do (the role table enforced on
 * the server, whatever the page offered), that decisions name the person, and that bad input changes nothing.
 */
@DisplayName("The operator console lets people in by their own login and lets each role do only what it may")
class OperatorConsoleTest {
  static final String ADMIN = TestNode.ADMIN_TOKEN;
  static final String PASSWORD = "a long enough password";
  static TestStores.Isolated stores;
  static TestNode node;
  static Api api;
  static Customer customer;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(OperatorConsoleTest.class);
    node = TestNode.start(stores);
    api = node.api();
    customer = node.customer("Target", "5.00");
    for (String role : new String[] {"support", "senior_support", "finance", "admin"}) {
      assertThat(api.post("/admin/v1/staff", ADMIN, new JsonObject().put("email", role + "@ops.test")
          .put("name", role).put("role", role).put("password", PASSWORD)).status()).isEqualTo(201);
    }
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

  static WebClient as(String role) {
    WebClient web = new WebClient(api.baseUrl());
    String csrf = web.get("/console/login").csrf();
    WebClient.Page page = web.post("/console/login", form("_csrf", csrf, "next", "/console/accounts", "email",
        role + "@ops.test", "password", PASSWORD));
    assertThat(page.status()).as("login of %s: %s", role, page.body()).isEqualTo(303);
    assertThat(page.location()).isEqualTo("/console/accounts");
    return web;
  }

  /** Every row a console action can write, as text. */
  static List<String> rows() {
    List<String> rows = new ArrayList<>();
    for (String sql : List.of("SELECT id, status, suspended_until FROM accounts ORDER BY id",
        "SELECT id, enabled FROM providers ORDER BY id", "SELECT id, actor, action, subject FROM admin_decisions ORDER BY id",
        "SELECT policy_id, version FROM refund_policies ORDER BY 1, 2", "SELECT id, state FROM outages ORDER BY id",
        "SELECT count(*) FROM ledger_entries")) {
      for (Row row : Await.result(node.node().core().pool().query(sql).execute())) rows.add(sql + " -> " + row.deepToString());
    }
    return rows;
  }

  @Test
  @DisplayName("without a session every page sends the browser to the login page, and a wrong password opens none")
  void loginIsRequired() {
    WebClient web = new WebClient(api.baseUrl());
    WebClient.Page page = web.get("/console/claims?state=SUBMITTED");
    assertThat(page.status()).isEqualTo(303);
    assertThat(page.location()).isEqualTo("/console/login?next=%2Fconsole%2Fclaims%3Fstate%3DSUBMITTED");
    assertThat(web.get("/console/claims/1/evidence/1").status()).isEqualTo(303);
    String csrf = web.get("/console/login").csrf();
    WebClient.Page wrong = web.post("/console/login", form("_csrf", csrf, "next", "/console", "email", "admin@ops.test",
        "password", "not the password"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).contains("do not match an active operator");
    assertThat(web.cookie("otp_console_session")).isNull();
    // a customer's API key is no operator login
    WebClient.Page key = web.post("/console/login", form("_csrf", csrf, "next", "/console", "email", "x@y.z",
        "password", customer.apiKey()));
    assertThat(key.status()).isEqualTo(401);
    // a login page never sends anyone off the console
    assertThat(as("admin").get("/console/login?next=https://evil.example/").location()).isEqualTo("/console");
  }

  @ParameterizedTest(name = "{0} may not POST {1}: 403 and nothing changes")
  @CsvSource({
      "support, /console/suppliers/sandbox/disable",
      "support, /console/accounts/{account}/suspend",
      "support, /console/payouts/1/approve",
      "support, /console/held-refunds/1/release",
      "support, /console/outages",
      "support, /console/policies/in-force",
      "finance, /console/claims/1/approve",
      "finance, /console/accounts/{account}/suspend",
      "senior_support, /console/accounts/{account}/terminate",
      "senior_support, /console/policies",
      "senior_support, /console/payouts/1/approve"})
  void rolesAreRefusedWhatTheyMayNotDo(String role, String path) {
    WebClient web = as(role);
    String csrf = web.get("/console/accounts").csrf();
    List<String> before = rows();
    WebClient.Page refused = web.post(path.replace("{account}", String.valueOf(customer.id())), form("_csrf", csrf,
        "reason", "test", "note", "test", "policyId", "otpdesk_refund_policy", "document", "id: x\nversion: 1\n",
        "platformWide", "on", "from", "2020-01-01T00:00:00Z"));
    assertThat(refused.status()).as("%s", refused.body()).isEqualTo(403);
    assertThat(refused.body()).contains("Not allowed").contains("may not");
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  @DisplayName("guessing an operator's password is throttled: the 11th try in 15 minutes is a 429 page with Retry-After")
  void operatorPasswordGuessingIsThrottled() {
    WebClient web = new WebClient(api.baseUrl());
    String csrf = web.get("/console/login").csrf();
    for (int i = 0; i < 10; i++) {
      assertThat(web.post("/console/login", form("_csrf", csrf, "email", "nobody@ops.dev", "password", "guess " + i)).status())
          .as("guess %s", i).isEqualTo(401);
    }
    WebClient.Page throttled = web.post("/console/login", form("_csrf", csrf, "email", "nobody@ops.dev", "password", "guess"));
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.body()).contains("Too many login attempts");
    assertThat(throttled.header("Retry-After")).isNotNull();
  }

  @Test
  @DisplayName("a senior agent's suspension and an admin's supplier switch are recorded with the person's email")
  void decisionsNameThePerson() {
    Customer held = node.customer("Suspended", null);
    WebClient senior = as("senior_support");
    String csrf = senior.get("/console/accounts/" + held.id()).csrf();
    WebClient.Page done = senior.post("/console/accounts/" + held.id() + "/suspend", form("_csrf", csrf, "note", "chargebacks"));
    assertThat(done.status()).as("%s", done.body()).isEqualTo(303);
    assertThat(done.location()).isEqualTo("/console/accounts/" + held.id() + "?done=suspended");
    WebClient.Page account = senior.get(done.location());
    assertThat(account.body()).contains("Account suspended.").contains("staff:senior_support@ops.test");
    assertThat(api.get("/admin/v1/accounts/" + held.id(), ADMIN).json().getString("status")).isEqualTo("suspended");

    WebClient admin = as("admin");
    csrf = admin.get("/console/suppliers").csrf();
    assertThat(admin.post("/console/suppliers/sandbox/disable", form("_csrf", csrf)).status()).isEqualTo(303);
    assertThat(admin.post("/console/suppliers/sandbox/enable", form("_csrf", csrf)).status()).isEqualTo(303);
    List<String> recorded = new ArrayList<>();
    Await.result(node.node().core().pool().query("SELECT actor, action, subject FROM admin_decisions ORDER BY id").execute())
        .forEach(r -> recorded.add(r.getString("actor") + " " + r.getString("action") + " " + r.getString("subject")));
    assertThat(recorded).contains("staff:senior_support@ops.test account.suspend account:" + held.id(),
        "staff:admin@ops.test supplier.disable supplier:sandbox", "staff:admin@ops.test supplier.enable supplier:sandbox");
  }

  @Test
  @DisplayName("a senior agent declares an outage from the form: the open order in its scope is refunded, the page shows it")
  void aDeclaredOutageRefunds() {
    node.offer("wa", 0, "0.40");
    Customer hit = node.customer("Outage victim", "2.00");
    Api.Response bought = api.post("/v1/activations", hit.apiKey(), new JsonObject().put("service", "wa").put("country", 0));
    assertThat(bought.status()).as("%s", bought).isEqualTo(201);
    assertThat(api.get("/v1/wallet", hit.apiKey()).json().getString("balance")).isEqualTo("1.60");
    WebClient senior = as("senior_support");
    String csrf = senior.get("/console/outages").csrf();
    WebClient.Page declared = senior.post("/console/outages", form("_csrf", csrf, "service", "wa", "country", "0",
        "from", java.time.Instant.now().minusSeconds(600).toString(), "reason", "wa codes not arriving"));
    assertThat(declared.status()).as("%s", declared.body()).isEqualTo(303);
    Await.until("the outage refunded the order", () -> "2.00".equals(api.get("/v1/wallet", hit.apiKey()).json().getString("balance")));
    WebClient.Page list = senior.get("/console/outages");
    assertThat(list.body()).contains("wa codes not arriving").contains("service wa");
    List<String> recorded = new ArrayList<>();
    Await.result(node.node().core().pool().query("SELECT actor, action FROM admin_decisions WHERE action = 'outage.declare'")
        .execute()).forEach(r -> recorded.add(r.getString("actor")));
    assertThat(recorded).containsExactly("staff:senior_support@ops.test");
  }

  @ParameterizedTest(name = "GET {0} -> {1}")
  @CsvSource({
      "/console/claims?state=BOGUS, 422",
      "/console/claims?accountId=abc, 422",
      "/console/orders?q=not-a-phone, 422",
      "/console/orders?kind=sale, 422",
      "/console/claims/999999, 404",
      "/console/claims/abc, 404",
      "/console/accounts/999999, 404",
      "/console/suppliers/nosuch, 404",
      "/console/policies/compare?id=smssb_refund_policy&a=0&b=1, 422",
      "/console/policies/nosuch/versions/1, 404",
      "/console/no-such-page, 404"})
  void badAddressesGetAnErrorPage(String path, int status) {
    WebClient.Page page = as("admin").get(path);
    assertThat(page.status()).as("%s", page.body()).isEqualTo(status);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.body()).contains("class=\"panel error-page\"");
  }

  @ParameterizedTest(name = "POST {0} {1} -> 422 and nothing changes")
  @CsvSource(delimiter = '|', value = {
      "/console/accounts/{account}/suspend|until=next tuesday",
      "/console/accounts/{account}/suspend|until=2001-01-01T00:00:00Z",
      "/console/accounts/{account}/terminate|reason=",
      "/console/outages|from=2020-01-01T00:00:00Z",
      "/console/outages|platformWide=on&service=tg&from=2020-01-01T00:00:00Z",
      "/console/outages|service=tg&from=yesterday",
      "/console/claims/1/reject|note=",
      "/console/policies/in-force|policyId=no_such_policy"})
  void badFormsChangeNothing(String path, String fields) {
    WebClient web = as("admin");
    String csrf = web.get("/console/accounts").csrf();
    java.util.Map<String, String> body = form("_csrf", csrf);
    for (String pair : fields.split("&")) {
      String[] kv = pair.split("=", 2);
      body.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    List<String> before = rows();
    WebClient.Page page = web.post(path.replace("{account}", String.valueOf(customer.id())), body);
    assertThat(page.status()).as("%s", page.body()).isIn(404, 422);
    assertThat(page.body()).contains("class=\"panel error-page\"");
    assertThat(rows()).isEqualTo(before);
  }
}
