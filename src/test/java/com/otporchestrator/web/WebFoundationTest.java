package com.otporchestrator.web;

import static com.otporchestrator.testing.WebClient.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestStores;
import com.otporchestrator.testing.WebClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The web foundation: logins hashed with Argon2id, sessions in PostgreSQL, CSRF on every form, error pages")
class WebFoundationTest {
  static TestStores.Isolated stores;
  static TestNode node;
  static TestNode.Customer alice;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(WebFoundationTest.class);
    node = TestNode.start(stores);
    alice = node.customer("Alice", "10.00");
    setLogin(alice.id(), "alice@example.com", "correct horse battery");
  }

  @AfterAll
  static void stop() {
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  static void setLogin(long accountId, String email, String password) {
    Api.Response response = node.api().put("/admin/v1/accounts/" + accountId + "/login", TestNode.ADMIN_TOKEN,
        new JsonObject().put("email", email).put("password", password));
    assertThat(response.status()).as("set login: %s", response).isEqualTo(200);
  }

  private WebClient browser() {
    return new WebClient(node.api().baseUrl());
  }

  @Test
  @DisplayName("the password is stored as an Argon2id PHC string, verified, and a wrong one or a tampered hash fails")
  void argon2id() {
    String stored = Await.result(node.node().core().pool()
        .query("SELECT password_hash FROM account_logins WHERE account_id = " + alice.id()).execute())
        .iterator().next().getString("password_hash");
    assertThat(stored).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct horse");
    assertThat(Passwords.verify("correct horse battery", stored)).isTrue();
    assertThat(Passwords.verify("correct horse batterY", stored)).isFalse();
    String tampered = stored.substring(0, stored.length() - 2) + (stored.endsWith("A") ? "BB" : "AA");
    assertThat(Passwords.verify("correct horse battery", tampered)).isFalse();
    assertThat(Passwords.verify("correct horse battery", null)).isFalse();
    assertThat(Passwords.hash("same")).isNotEqualTo(Passwords.hash("same"));
  }

  @Test
  @DisplayName("logging in opens a session stored only as a hash; logout deletes it and the cookie opens nothing after")
  void sessionLifecycle() {
    WebClient web = browser();
    assertThat(web.get("/app").status()).isEqualTo(303);
    assertThat(web.get("/app").location()).isEqualTo("/app/login?next=%2Fapp");
    web.login("ALICE@example.com", "correct horse battery");
    String token = web.cookie("otp_app_session");
    assertThat(token).hasSize(43);
    WebClient.Page home = web.get("/app");
    assertThat(home.status()).isEqualTo(200);
    assertThat(home.body()).contains("data-testid=\"signed-in-as\">Alice<");
    assertThat(home.header("Content-Security-Policy")).contains("script-src 'self'");
    assertThat(node.count("SELECT count(*) FROM web_sessions WHERE subject_id = " + alice.id()
        + " AND token_hash = sha256(convert_to('" + token + "', 'UTF8'))")).isEqualTo(1);
    assertThat(node.count("SELECT count(*) FROM web_sessions WHERE position(convert_to('" + token
        + "', 'UTF8') in token_hash) > 0")).isZero();

    WebClient.Page out = web.post("/app/logout", form("_csrf", home.csrf()));
    assertThat(out.status()).isEqualTo(303);
    assertThat(node.count("SELECT count(*) FROM web_sessions WHERE token_hash = sha256(convert_to('" + token
        + "', 'UTF8'))")).isZero();
    WebClient replay = browser();
    replay.get("/app/login");
    assertThat(web.get("/app").status()).as("after logout").isEqualTo(303);
  }

  @Test
  @DisplayName("a wrong password, an unknown email and a wrong API key are refused with the login page and no session")
  void refusedLogins() {
    WebClient web = browser();
    String csrf = web.get("/app/login").csrf();
    long before = node.count("SELECT count(*) FROM web_sessions");
    WebClient.Page wrong = web.post("/app/login", form("_csrf", csrf, "email", "alice@example.com", "password", "nope nope nope"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).contains("do not match an account");
    WebClient.Page unknown = web.post("/app/login", form("_csrf", csrf, "email", "bob@example.com", "password", "whatever123"));
    assertThat(unknown.status()).isEqualTo(401);
    WebClient.Page key = web.post("/app/login", form("_csrf", csrf, "apiKey", "not-a-key"));
    assertThat(key.status()).isEqualTo(401);
    assertThat(web.cookie("otp_app_session")).isNull();
    assertThat(node.count("SELECT count(*) FROM web_sessions")).isEqualTo(before);
  }

  @Test
  @DisplayName("guessing a password is throttled per login before any hash is verified: the 11th try in 15 minutes is a 429,"
      + " even with the right password, while another login from the same address still opens")
  void passwordGuessingIsThrottled() {
    TestNode.Customer target = node.customer("Guessed", "1.00");
    setLogin(target.id(), "guessed@example.com", "the right password");
    WebClient web = browser();
    String csrf = web.get("/app/login").csrf();
    for (int i = 0; i < 10; i++) {
      WebClient.Page wrong = web.post("/app/login", form("_csrf", csrf, "email", "guessed@example.com", "password", "guess " + i));
      assertThat(wrong.status()).as("guess %s", i).isEqualTo(401);
    }
    WebClient.Page throttled = web.post("/app/login",
        form("_csrf", csrf, "email", "Guessed@Example.com ", "password", "the right password"));
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.body()).contains("Too many login attempts");
    assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, 90L);
    assertThat(web.cookie("otp_app_session")).isNull();

    WebClient other = browser();
    other.login("alice@example.com", "correct horse battery");
    assertThat(other.get("/app").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("the API key logs in too, and a login redirect never leaves the console")
  void apiKeyLogin() {
    WebClient web = browser();
    String csrf = web.get("/app/login").csrf();
    WebClient.Page in = web.post("/app/login", form("_csrf", csrf, "next", "https://evil.example/", "apiKey", alice.apiKey()));
    assertThat(in.status()).isEqualTo(303);
    assertThat(in.location()).isEqualTo("/app");
    assertThat(web.get("/app").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a form without its CSRF token, or with another browser's, is refused with a 403 page and changes nothing")
  void csrf() {
    WebClient web = browser();
    web.login("alice@example.com", "correct horse battery");
    String token = web.cookie("otp_app_session");
    WebClient.Page missing = web.post("/app/logout", form());
    assertThat(missing.status()).isEqualTo(403);
    assertThat(missing.header("Content-Type")).startsWith("text/html");
    assertThat(missing.body()).contains("This form was refused");
    WebClient other = browser();
    String foreign = other.get("/app/login").csrf();
    assertThat(web.post("/app/logout", form("_csrf", foreign)).status()).isEqualTo(403);
    assertThat(web.post("/app/login", form("email", "alice@example.com", "password", "correct horse battery")).status())
        .isEqualTo(403);
    assertThat(web.cookie("otp_app_session")).isEqualTo(token);
    assertThat(web.get("/app").status()).as("still logged in").isEqualTo(200);
  }

  @Test
  @DisplayName("an unknown console address is a 404 page in the layout, and the assets are served from this origin")
  void notFoundAndAssets() {
    WebClient web = browser();
    web.login("alice@example.com", "correct horse battery");
    WebClient.Page missing = web.get("/app/no-such-page");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body()).contains("Page not found").contains("/assets/app.css");
    assertThat(web.get("/assets/app.css").status()).isEqualTo(200);
    assertThat(web.get("/assets/app.js").status()).isEqualTo(200);
    assertThat(web.get("/assets/htmx/htmx.min.js").body()).contains("htmx");
    assertThat(web.get("/assets/htmx-sse/sse.js").body()).contains("sse");
  }

  @Test
  @DisplayName("setting a login refuses a bad email, a short password, an unknown account and a taken email, writing nothing")
  void badLoginInput() {
    TestNode.Customer bob = node.customer("Bob", null);
    long before = node.count("SELECT count(*) FROM account_logins");
    assertThat(put(bob.id(), new JsonObject().put("email", "nope").put("password", "long enough pw")).status()).isEqualTo(400);
    assertThat(put(bob.id(), new JsonObject().put("email", "bob@example.com").put("password", "short")).status()).isEqualTo(400);
    assertThat(put(bob.id(), new JsonObject().put("email", "bob@example.com")).status()).isEqualTo(400);
    assertThat(put(bob.id(), new JsonObject().put("email", "b@e.com").put("password", "long enough pw").put("x", 1)).status())
        .isEqualTo(400);
    assertThat(put(999_999, new JsonObject().put("email", "ghost@example.com").put("password", "long enough pw")).status())
        .isEqualTo(404);
    assertThat(put(bob.id(), new JsonObject().put("email", "Alice@Example.com").put("password", "long enough pw")).status())
        .isEqualTo(409);
    assertThat(node.count("SELECT count(*) FROM account_logins")).isEqualTo(before);
  }

  private static Api.Response put(long id, JsonObject body) {
    return node.api().put("/admin/v1/accounts/" + id + "/login", TestNode.ADMIN_TOKEN, body);
  }
}
