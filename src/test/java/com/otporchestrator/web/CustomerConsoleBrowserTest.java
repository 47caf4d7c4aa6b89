package com.otporchestrator.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Browser;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
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
    node = TestNode.start(stores);
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
}
