package com.otporchestrator.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Browser;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.WebElement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The customer console in a real headless Chromium")
class CustomerConsoleBrowserTest {
  static final Path SHOTS = Path.of("docs/console");
  static TestStores.Isolated stores;
  static TestNode node;
  static TestNode.Customer alice;
  static Browser browser;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(CustomerConsoleBrowserTest.class);
    var env = TestNode.defaults(stores);
    env.put("CANCEL_DELAY_SECONDS", "5"); // the operator's minimum before a cancel: the button must wait for it
    node = TestNode.start(env);
    node.offer("tg", 0, "0.50");
    alice = node.customer("Alice", "10.00");
    Api.Response login = node.api().put("/admin/v1/accounts/" + alice.id() + "/login", TestNode.ADMIN_TOKEN,
        new JsonObject().put("email", "alice@example.com").put("password", "correct horse battery"));
    assertThat(login.status()).isEqualTo(200);
    browser = Browser.open(node.api().baseUrl());
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

  static void logIn() {
    browser.go("/app");
    if (browser.path().equals("/app")) return;
    browser.go("/app/login");
    browser.type("email", "alice@example.com").type("password", "correct horse battery");
    browser.click("form[action='/app/login'] button[type=submit]");
    browser.until("the console shows who is signed in", d -> browser.all("[data-testid=signed-in-as]").size() == 1);
  }

  @Test
  @DisplayName("a customer logs in with email and password, and a form stripped of its CSRF token is refused with a 403 page")
  void loginAndCsrf() {
    browser.go("/app");
    assertThat(browser.path()).isEqualTo("/app/login");
    browser.screenshot(SHOTS.resolve("login.png"));
    logIn();
    assertThat(browser.path()).isEqualTo("/app");
    assertThat(browser.text("[data-testid=signed-in-as]")).isEqualTo("Alice");
    // The page's own logout form, with its hidden token removed by a script, as a forged form would arrive
    browser.script("document.querySelector('form.whoami input[name=_csrf]').remove();");
    browser.click("form.whoami button[type=submit]");
    browser.until("the refusal page", d -> browser.html().contains("This form was refused"));
    assertThat(browser.text(".error-code")).isEqualTo("403");
    browser.screenshot(SHOTS.resolve("csrf-refused.png"));
    browser.go("/app");
    assertThat(browser.path()).as("still signed in: the refused logout did nothing").isEqualTo("/app");
  }

  @Test
  @DisplayName("a customer buys a number, the cancel button turns active at the order's cancellableAt, and a pushed code "
      + "appears on the card without a reload")
  void buyWatchCancelAndCode() {
    logIn();
    browser.go("/app/buy?service=tg");
    assertThat(browser.text("tbody tr td.num")).isEqualTo("$0.50");
    browser.screenshot(SHOTS.resolve("buy.png"));
    browser.click("[data-testid=buy-tg-0]");
    browser.until("the card of the new order", d -> browser.all("article.card [data-testid=cancel]").size() == 1);
    assertThat(browser.text(".notice")).startsWith("Bought +");
    long id = Long.parseLong(browser.find("article.card").getAttribute("id").replace("activation-", ""));
    JsonObject order = node.api().get("/v1/activations/" + id, alice.apiKey()).json();
    assertThat(order.getString("channel")).isEqualTo("web");
    Instant cancellableAt = Instant.parse(order.getString("cancellableAt"));
    browser.script("window.__sameDocument = true;");

    // Watch the button: disabled before cancellableAt, enabled from it on
    List<Instant> disabledSeen = new ArrayList<>();
    Instant enabledSeen = browser.until("the cancel button turns active", java.time.Duration.ofSeconds(15), d -> {
      WebElement cancel = browser.find("[data-testid=cancel]");
      Instant seen = Instant.now();
      if (!cancel.isEnabled()) {
        disabledSeen.add(seen);
        return null;
      }
      return seen;
    });
    assertThat(disabledSeen).as("observed disabled before cancellableAt").isNotEmpty()
        .allSatisfy(t -> assertThat(t).isBefore(cancellableAt.plusMillis(1500)));
    assertThat(disabledSeen.get(0)).isBefore(cancellableAt.minusSeconds(2));
    assertThat(enabledSeen).as("enabled at the second the policy allows, not before")
        .isAfterOrEqualTo(cancellableAt).isBefore(cancellableAt.plusSeconds(2));
    browser.screenshot(SHOTS.resolve("activation-card.png"));

    // The supplier pushes an SMS: the card shows the code through the event stream, with no reload
    Api.Response pushed = node.api().post("/admin/v1/sandbox/activations/" + id + "/sms", TestNode.ADMIN_TOKEN,
        new JsonObject().put("text", "Your Telegram code is 48213"));
    assertThat(pushed.status()).isLessThan(300);
    browser.until("the code on the card", d -> browser.all("[data-testid=code]").size() == 1);
    assertThat(browser.text("[data-testid=code]")).isEqualTo("48213");
    assertThat(browser.script("return window.__sameDocument === true;")).as("no reload").isEqualTo(true);
    assertThat(browser.all("[data-testid=cancel]")).as("a code makes the sale final: no cancel").isEmpty();
    assertThat(browser.text("[data-testid=refund-words]")).isEqualTo("A code arrived: the sale is final.");
    browser.screenshot(SHOTS.resolve("activation-code.png"));

    browser.click("[data-testid=finish]");
    browser.until("the finished order's page", d -> browser.path().equals("/app/activations/" + id));
    assertThat(browser.text("[data-testid=state]")).isEqualToIgnoringCase("finished");
    assertThat(node.api().get("/v1/activations/" + id, alice.apiKey()).json().getString("state")).isEqualTo("FINISHED");
  }

  @Test
  @DisplayName("another account's order id in a URL is the 404 page, for its page, its event stream and its actions")
  void foreignOrderIsNotFound() {
    TestNode.Customer bob = node.customer("Bob", "5.00");
    JsonObject bobs = node.api().post("/v1/activations", bob.apiKey(), new JsonObject().put("service", "tg").put("country", 0)).json();
    long id = bobs.getLong("id");
    logIn();
    browser.go("/app/activations/" + id);
    assertThat(browser.text(".error-code")).isEqualTo("404");
    assertThat(browser.text("h1")).isEqualTo("Page not found");
    browser.screenshot(SHOTS.resolve("not-found.png"));
    browser.go("/app/activations/" + id + "/events");
    assertThat(browser.text(".error-code")).isEqualTo("404");
    assertThat(node.api().get("/v1/activations/" + id, bob.apiKey()).json().getString("state")).isEqualTo("WAITING_CODE");
  }

  @Test
  @DisplayName("the wallet, policy, rentals and claims pages render in the browser (screenshots for the docs)")
  void mainPages() {
    logIn();
    browser.go("/app/wallet");
    assertThat(browser.text("h1")).isEqualTo("Wallet");
    assertThat(browser.all("tbody tr")).isNotEmpty();
    browser.screenshot(SHOTS.resolve("wallet.png"));
    browser.go("/app/policy");
    assertThat(browser.all("ol.rules li[data-path='wallet.payouts']")).hasSize(1);
    browser.screenshot(SHOTS.resolve("policy.png"));
    browser.go("/app/rentals");
    assertThat(browser.text("h1")).isEqualTo("Rentals");
    browser.screenshot(SHOTS.resolve("rentals.png"));
    browser.go("/app/claims/new");
    assertThat(browser.find("label[for=depositReference]").getText()).isEqualTo("Deposit reference");
    browser.screenshot(SHOTS.resolve("claim-new.png"));
  }
}
