package com.otporchestrator.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.Browser;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The operator console in a real headless Chromium against a real node: people of each role log in with their own
 * accounts, decide, and are refused what their role does not allow.
 */
@DisplayName("The operator console in a real headless Chromium")
class OperatorConsoleBrowserTest {
  /** Where screenshots go: target/ by default, so a run leaves the repository alone; -Dconsole.screenshots=docs/console refreshes the docs'. */
  static final Path SHOTS = Path.of(System.getProperty("console.screenshots", "target/console-screenshots"));
  static final String ADMIN = TestNode.ADMIN_TOKEN;
  static final String PASSWORD = "a long enough password";
  static TestStores.Isolated stores;
  static TestNode node;
  static Api api;
  static Browser browser;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(OperatorConsoleBrowserTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", "600");
    env.put("CANCEL_DELAY_SECONDS", "0");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    for (String role : new String[] {"support", "senior_support", "finance", "admin"}) {
      Api.Response made = api.post("/admin/v1/staff", ADMIN, new JsonObject().put("email", role + "@ops.test")
          .put("name", "Demo " + role.replace('_', ' ')).put("role", role).put("password", PASSWORD));
      assertThat(made.status()).as("%s", made).isEqualTo(201);
    }
    assertThat(api.put("/admin/v1/policies/in-force", ADMIN, new JsonObject().put("policyId", "smssb_refund_policy")).status())
        .isEqualTo(200);
    browser = Browser.open(api.baseUrl());
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) browser.close();
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
      stores.close();
    }
  }

  static void logInAs(String role) {
    browser.go("/console/login");
    if (browser.all("form.whoami").size() == 1) {
      browser.click("form.whoami button[type=submit]");
      browser.until("the login page", d -> browser.path().equals("/console/login"));
    }
    browser.type("email", role + "@ops.test").type("password", PASSWORD);
    browser.click("form[action='/console/login'] button[type=submit]");
    browser.until("signed in as " + role, d -> browser.all("[data-testid=signed-in-as]").size() == 1);
  }

  @Test
  @DisplayName("a support agent sees the evidence image inline, approves the claim, and the customer's wallet shows the refund")
  void supportApprovesAClaimWithEvidence() {
    Customer c = node.customer("Carla Claimant", "10.00");
    long order = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", "tg").put("country", 0)).json().getLong("id");
    assertThat(api.post("/admin/v1/sandbox/activations/" + order + "/sms", ADMIN, new JsonObject().put("text", "Your code 48213"))
        .status()).isEqualTo(200);
    assertThat(api.post("/v1/activations/" + order + "/finish", c.apiKey(), (String) null).status()).isEqualTo(200);
    assertThat(wallet(c)).isEqualTo("9.50");
    Api.Response filed = api.post("/v1/claims", c.apiKey(), new JsonObject().put("orderId", order)
        .put("type", "refund_not_applied").put("text", "The code never worked; the price was kept."));
    assertThat(filed.status()).as("%s", filed).isEqualTo(201);
    long claim = filed.json().getLong("id");
    assertThat(upload(c.apiKey(), claim, screenshot())).isEqualTo(201);

    logInAs("support");
    browser.go("/console/claims");
    browser.until("the claim in the queue", d -> browser.all("tr[data-claim='" + claim + "']").size() == 1);
    browser.screenshot(SHOTS.resolve("operator-claims.png"));
    browser.click("tr[data-claim='" + claim + "'] a");
    browser.until("the claim's page", d -> browser.path().equals("/console/claims/" + claim));
    Object width = browser.until("the evidence image decoded", d -> {
      Object w = browser.script("var i = document.querySelector('figure[data-evidence=\"1\"] img'); "
          + "return i && i.complete ? i.naturalWidth : null;");
      return w != null && ((Number) w).intValue() > 0 ? w : null;
    });
    assertThat(((Number) width).intValue()).isEqualTo(240);
    browser.screenshot(SHOTS.resolve("operator-claim.png"));
    browser.type("approve-note", "Refunded: the code was rejected by the service.");
    browser.click("#approve");
    browser.until("the approval notice", d -> browser.html().contains("Claim approved."));
    assertThat(browser.text("[data-testid=claim-state]")).isEqualTo("APPROVED");
    assertThat(browser.text("[data-testid=decision]")).contains("staff:support@ops.test").contains("0.50 USD");

    browser.click("[data-testid=claim-account]");
    browser.until("the account page", d -> browser.path().equals("/console/accounts/" + c.id()));
    assertThat(browser.text("[data-testid=balance]")).isEqualTo("10.00");
    assertThat(browser.all("table[data-testid=ledger] tr[data-kind=refund]")).hasSize(1);
    browser.screenshot(SHOTS.resolve("operator-account.png"));
    assertThat(wallet(c)).as("the customer's own wallet").isEqualTo("10.00");
  }

  @Test
  @DisplayName("an admin publishes a broken policy and sees each of the loader's problems at its path, the document kept")
  void brokenPolicyShowsProblemsAtTheirPaths() {
    logInAs("admin");
    browser.go("/console/policies");
    String broken = "id: console_broken\nversion: 1\nactivation:\n  cancelNotBefore: PT30M\n  window: PT20M\n";
    browser.type("document", broken);
    browser.click("#publish");
    browser.until("the loader's problems", d -> browser.all("#policy-problems li").size() > 0);
    assertThat(browser.all("#policy-problems li[data-path='activation.cancelNotBefore']")).hasSize(1);
    assertThat(browser.text("#policy-problems li[data-path='activation.cancelNotBefore']")).contains("must be shorter than window");
    assertThat(browser.find("#document").getAttribute("value")).isEqualTo(broken);
    browser.script("document.getElementById('policy-problems').scrollIntoView();");
    browser.screenshot(SHOTS.resolve("operator-policy-problems.png"));
    assertThat(api.get("/admin/v1/policies/console_broken", ADMIN).status()).as("nothing published").isEqualTo(404);
  }

  @Test
  @DisplayName("an admin publishes version 2 of a policy, compares it with version 1 line by line and puts it in force")
  void publishCompareAndPutInForce() throws IOException {
    String v1;
    try (var in = getClass().getClassLoader().getResourceAsStream("policies/otpdesk-refund-policy.yaml")) {
      v1 = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String v2 = v1.replace("version: 1", "version: 2").replace("effective: \"2026-06-24\"", "effective: \"2026-12-01\"");
    logInAs("admin");
    browser.go("/console/policies");
    // the whole document at once (typing thousands of characters key by key proves nothing more)
    browser.script("document.getElementById('document').value = arguments[0];", v2);
    browser.click("#publish");
    browser.until("the published notice", d -> browser.html().contains("Policy version published."));
    browser.click("tr[data-policy=otpdesk_refund_policy] a[href*='compare']");
    browser.until("the comparison", d -> browser.path().equals("/console/policies/compare"));
    assertThat(browser.all("[data-testid=diff] del").stream().map(e -> e.getText()).toList())
        .containsExactly("- version: 1", "- effective: \"2026-06-24\"");
    assertThat(browser.all("[data-testid=diff] ins").stream().map(e -> e.getText()).toList())
        .containsExactly("+ version: 2", "+ effective: \"2026-12-01\"");
    browser.screenshot(SHOTS.resolve("operator-policy-compare.png"));
    browser.go("/console/policies");
    browser.click("tr[data-policy=otpdesk_refund_policy] form button");
    browser.until("the in-force notice", d -> browser.html().contains("Policy put in force for new orders."));
    assertThat(browser.text("[data-testid=in-force]")).isEqualTo("otpdesk_refund_policy v2");
    assertThat(api.get("/admin/v1/policies/in-force", ADMIN).json().toString()).contains("staff:admin@ops.test");
    assertThat(api.put("/admin/v1/policies/in-force", ADMIN, new JsonObject().put("policyId", "smssb_refund_policy")).status())
        .isEqualTo(200);
  }

  @Test
  @DisplayName("a red banner shows on every page while a money invariant is broken, and goes once it holds again")
  void bannerWhileAnInvariantIsBroken() {
    Customer c = node.customer("Bea Banner", "1.00");
    logInAs("finance");
    browser.go("/console/payouts");
    assertThat(browser.all(".banner-danger")).isEmpty();
    // a wallet that no longer equals its ledger: written behind the ledger's back, as only a bug or a hand could
    Await.result(node.node().core().pool().preparedQuery("UPDATE wallets SET balance = balance + 1 WHERE account_id = $1")
        .execute(Tuple.of(c.id())));
    try {
      browser.until("the red banner", Duration.ofSeconds(15), d -> {
        browser.go("/console/suppliers");
        return browser.all(".banner-danger").size() == 1;
      });
      assertThat(browser.text(".banner-danger")).contains("Money invariant violated").contains("money not conserved");
      browser.go("/console/claims");
      assertThat(browser.all(".banner-danger")).as("on every page").hasSize(1);
      browser.screenshot(SHOTS.resolve("operator-invariant-banner.png"));
    } finally {
      Await.result(node.node().core().pool().preparedQuery("UPDATE wallets SET balance = balance - 1 WHERE account_id = $1")
          .execute(Tuple.of(c.id())));
    }
    browser.until("the banner gone", Duration.ofSeconds(15), d -> {
      browser.go("/console/claims");
      return browser.all(".banner-danger").isEmpty();
    });
  }

  @Test
  @DisplayName("a role without the right gets the 403 page when it sends the action anyway, and nothing changes")
  void aRoleWithoutTheRightIsRefused() {
    logInAs("support");
    browser.go("/console/suppliers");
    assertThat(browser.all("tr[data-supplier=sandbox] form")).as("no button offered to support").isEmpty();
    browser.screenshot(SHOTS.resolve("operator-suppliers.png"));
    // the form an admin would see, built in the page with the page's own CSRF token: only the role is wrong
    browser.script("var f = document.createElement('form'); f.method = 'post'; f.action = '/console/suppliers/sandbox/disable';"
        + "var t = document.createElement('input'); t.type = 'hidden'; t.name = '_csrf';"
        + "t.value = document.querySelector('meta[name=csrf-token]').content; f.appendChild(t);"
        + "document.body.appendChild(f); f.submit();");
    browser.until("the refusal page", d -> browser.all(".error-code").size() == 1);
    assertThat(browser.text(".error-code")).isEqualTo("403");
    assertThat(browser.html()).contains("may not enable or disable suppliers");
    browser.screenshot(SHOTS.resolve("operator-forbidden.png"));
    assertThat(api.get("/admin/v1/providers", ADMIN).json().getJsonArray("items").getJsonObject(0).getBoolean("enabled"))
        .as("the supplier is still enabled").isTrue();
  }

  private static String wallet(Customer c) {
    return api.get("/v1/wallet", c.apiKey()).json().getString("balance");
  }

  /** A real 240x120 PNG, so the browser decodes it (a width proves the inline preview shows the file). */
  private static byte[] screenshot() {
    BufferedImage image = new BufferedImage(240, 120, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(0xE8, 0xEE, 0xFB));
    g.fillRect(0, 0, 240, 120);
    g.setColor(new Color(0x1D, 0x3A, 0x9E));
    g.drawString("Code rejected: 48213", 30, 65);
    g.dispose();
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int upload(String apiKey, long claim, byte[] data) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create(api.baseUrl() + "/v1/claims/" + claim + "/evidence")).header("Authorization", "Bearer " + apiKey)
          .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(data)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
