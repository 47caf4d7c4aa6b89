package com.otporchestrator.web;

import static com.otporchestrator.testing.WebClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestStores;
import com.otporchestrator.testing.WebClient;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The customer console's wallet, policy, rental and claim pages call the services the JSON API calls")
class CustomerPagesTest {
  /** A 1x1 PNG: evidence is checked by its bytes. */
  static final byte[] PNG = Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
  static TestStores.Isolated stores;
  static TestNode node;
  static Api api;
  static TestNode.Customer carol;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(CustomerPagesTest.class);
    node = TestNode.start(stores);
    api = node.api();
    node.offer("tg", 0, "0.50");
    assertThat(api.put("/admin/v1/rent-offers", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("country", 0).put("service", "full").put("hourlyPrice", "0.10").put("stock", 5)).status()).isEqualTo(200);
    carol = node.customer("Carol", "20.00");
    assertThat(api.put("/admin/v1/accounts/" + carol.id() + "/login", TestNode.ADMIN_TOKEN,
        new JsonObject().put("email", "carol@example.com").put("password", "carol password 1")).status()).isEqualTo(200);
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

  private static WebClient loggedIn() {
    WebClient web = new WebClient(api.baseUrl());
    web.login("carol@example.com", "carol password 1");
    return web;
  }

  @Test
  @DisplayName("the wallet shows the balance and the history, filtered by kind, and exports the filtered rows as CSV")
  void walletHistoryAndCsv() {
    long bought = api.post("/v1/activations", carol.apiKey(), new JsonObject().put("service", "tg").put("country", 0))
        .json().getLong("id");
    WebClient web = loggedIn();
    WebClient.Page wallet = web.get("/app/wallet");
    assertThat(wallet.status()).isEqualTo(200);
    String balance = api.get("/v1/wallet", carol.apiKey()).json().getString("balance");
    assertThat(wallet.body()).contains("data-testid=\"balance\">$" + balance + "<").contains("deposit").contains("hold");
    WebClient.Page deposits = web.get("/app/wallet?kind=deposit");
    assertThat(deposits.body()).contains("deposit").doesNotContain("<td>hold</td>");
    WebClient.Page csv = web.get("/app/wallet/history.csv?kind=hold");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.header("Content-Type")).startsWith("text/csv");
    String[] lines = csv.body().split("\r?\n");
    assertThat(lines.length).isGreaterThanOrEqualTo(2);
    for (int i = 1; i < lines.length; i++) assertThat(lines[i]).contains("hold");
    assertThat(csv.body()).contains(String.valueOf(bought));
    assertThat(web.get("/app/wallet?kind=nope").status()).isEqualTo(422);
  }

  @Test
  @DisplayName("a buy form sent twice (a double click, or again from history) buys one number; a fresh page buys another")
  void aBuyFormSentTwiceBuysOnce() {
    WebClient web = loggedIn();
    WebClient.Page page = web.get("/app/buy?service=tg");
    String attempt = attemptOf(page.body());
    java.util.Map<String, String> buy = WebClient.form("_csrf", page.csrf(), "attempt", attempt, "service", "tg",
        "country", "0", "maxPrice", "0.50");
    long before = openOrders();

    WebClient.Page first = web.post("/app/buy", buy);
    WebClient.Page again = web.post("/app/buy", buy);
    assertThat(first.status()).isEqualTo(303);
    assertThat(again.status()).as("the repeat shows the first outcome").isEqualTo(303);
    assertThat(again.location()).isEqualTo(first.location());
    assertThat(openOrders()).isEqualTo(before + 1);

    String fresh = attemptOf(web.get("/app/buy?service=tg").body());
    assertThat(fresh).isNotEqualTo(attempt);
    buy.put("attempt", fresh);
    assertThat(web.post("/app/buy", buy).status()).isEqualTo(303);
    assertThat(openOrders()).isEqualTo(before + 2);
  }

  @Test
  @DisplayName("an evidence upload without a session is sent to the login page before its body is read")
  void anUploadWithoutASessionIsRefusedBeforeItsBody() throws Exception {
    java.net.URI base = java.net.URI.create(api.baseUrl());
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(5_000);
      // headers announcing 5 MB, and no body at all: only a server that answers before reading it can reply
      socket.getOutputStream().write(("POST /app/claims/1/evidence HTTP/1.1\r\nHost: localhost\r\n"
          + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 5000000\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII)).readLine();
      assertThat(status).isEqualTo("HTTP/1.1 303 See Other");
    }
  }

  private static String attemptOf(String body) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"attempt\" value=\"([A-Za-z0-9_-]+)\"").matcher(body);
    assertThat(m.find()).as("the buy form carries an attempt token").isTrue();
    return m.group(1);
  }

  private static long openOrders() {
    return com.otporchestrator.testing.Await.result(node.node().core().pool().preparedQuery(
            "SELECT count(*) FROM activations WHERE account_id = $1").execute(io.vertx.sqlclient.Tuple.of(carol.id())))
        .iterator().next().getLong(0);
  }

  @Test
  @DisplayName("the policy page shows the policy in force, every rule in words and its source sentences")
  void policyPage() {
    WebClient web = loggedIn();
    WebClient.Page page = web.get("/app/policy");
    assertThat(page.status()).isEqualTo(200);
    String inForce = api.get("/v1/policy", carol.apiKey()).json().getString("policyId");
    assertThat(page.body()).contains("data-testid=\"policy-id\">" + inForce + "<")
        .contains("data-path=\"wallet.payouts\"").contains("data-path=\"wallet.serviceCredits.outagesOnly\"")
        .contains("<blockquote>");
    assertThat(web.get("/app/policy/smsactivator_refund_policy/1").body()).contains("at least $20");
    assertThat(web.get("/app/policy/smsactivator_refund_policy/99").status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a rental is rented, shown with its period and refund position, and extended through forms; another account's is 404")
  void rentals() {
    WebClient web = loggedIn();
    String csrf = web.get("/app/rentals").csrf();
    WebClient.Page rented = web.post("/app/rentals", form("_csrf", csrf, "service", "full", "country", "0", "hours", "4"));
    assertThat(rented.status()).as(rented.body()).isEqualTo(303);
    String path = rented.location().replaceFirst("\\?.*", "");
    long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
    JsonObject rental = api.get("/v1/rentals/" + id, carol.apiKey()).json();
    assertThat(rental.getString("channel")).isEqualTo("web");
    WebClient.Page detail = web.get(path);
    assertThat(detail.body()).contains("4 hours at $0.10 an hour").contains("data-testid=\"refund-words\"");
    com.otporchestrator.testing.Await.until("the page names the country, not its id", () -> web.get(path).body()
        .contains("full · Russia</span>"));
    assertThat(web.get("/app").body()).doesNotContain("· country 0<");
    WebClient.Page extended = web.post(path + "/extend", form("_csrf", csrf, "hours", "2"));
    assertThat(extended.status()).isEqualTo(303);
    assertThat(web.get(path).body()).contains("6 hours at $0.10 an hour");
    TestNode.Customer dave = node.customer("Dave", null);
    WebClient daves = new WebClient(api.baseUrl());
    daves.loginWithKey(dave.apiKey());
    WebClient.Page foreign = daves.get(path);
    assertThat(foreign.status()).isEqualTo(404);
  }

  @Test
  @DisplayName("an account claim is filed, evidence is uploaded by a plain form (and refused without its token), and its page shows deadlines and history")
  void claims() {
    WebClient web = loggedIn();
    WebClient.Page form = web.get("/app/claims/new");
    assertThat(form.status()).isEqualTo(200);
    String csrf = form.csrf();
    WebClient.Page filed = web.post("/app/claims", form("_csrf", csrf, "type", "deposit_problem",
        "depositReference", "tx-123", "text", "My deposit of $10 did not arrive"));
    assertThat(filed.status()).as(filed.body()).isEqualTo(303);
    String path = filed.location().replaceFirst("\\?.*", "");
    long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
    assertThat(api.get("/v1/claims/" + id, carol.apiKey()).json().getString("depositReference")).isEqualTo("tx-123");

    WebClient.Page refused = web.postFile(path + "/evidence", form(), "file", "shot.png", "image/png", PNG);
    assertThat(refused.status()).isEqualTo(403);
    WebClient.Page uploaded = web.postFile(path + "/evidence", form("_csrf", csrf), "file", "shot.png", "image/png", PNG);
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(303);
    assertThat(api.get("/v1/claims/" + id, carol.apiKey()).json().getJsonArray("evidence")).hasSize(1);
    WebClient.Page page = web.get(path);
    assertThat(page.body()).contains("File 1: image/png").contains("History").contains("data-testid=\"claim-state\"");
    assertThat(web.get("/app/claims").body()).contains("/app/claims/" + id).contains("deposit tx-123");
    assertThat(web.post("/app/claims", form("_csrf", csrf, "type", "deposit_problem", "text", "no reference")).status())
        .isEqualTo(400);
  }
}
