package com.otporchestrator.web;

import com.otporchestrator.account.Account;
import com.otporchestrator.account.AccountRepository;
import com.otporchestrator.account.Authenticator;
import com.otporchestrator.api.ClientAddress;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/** {@code /app/login} (email and password, or the API key) and {@code /app/logout}. */
final class LoginRoutes {
  private static final String WRONG = "That email and password do not match an account.";

  private final WebKit kit;
  private final CustomerSessions sessions;
  private final Logins logins;
  private final AccountRepository accounts;
  private final Authenticator keys;
  private final CustomerPages pages;

  LoginRoutes(WebKit kit, CustomerSessions sessions, Logins logins, AccountRepository accounts, Authenticator keys,
              CustomerPages pages) {
    this.kit = kit;
    this.sessions = sessions;
    this.logins = logins;
    this.accounts = accounts;
    this.keys = keys;
    this.pages = pages;
  }

  void mount(Router router) {
    router.get("/app/login").handler(this::form);
    router.post("/app/login").handler(this::login);
    router.post("/app/logout").handler(this::logout);
  }

  private void form(RoutingContext ctx) {
    sessions.current(ctx).onSuccess(signedIn -> {
      String next = CustomerSessions.safeNext(ctx.request().getParam("next"));
      if (signedIn.isPresent()) {
        ctx.response().putHeader("Location", next).setStatusCode(303).end();
      } else {
        show(ctx, 200, null, "", next);
      }
    }).onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx, int status, String error, String email, String next) {
    Page page = new Page("Log in", "app", null, Csrf.token(ctx), List.of(), List.of(), null);
    pages.render(ctx, status, page, "app/login.jte", "error", error, "email", email == null ? "" : email, "next", next);
  }

  private void login(RoutingContext ctx) {
    String next = CustomerSessions.safeNext(ctx.request().getFormAttribute("next"));
    String apiKey = trimmed(ctx.request().getFormAttribute("apiKey"));
    String email = trimmed(ctx.request().getFormAttribute("email"));
    String password = ctx.request().getFormAttribute("password");
    kit.logins().take(CustomerSessions.PATH, apiKey != null ? null : email, ClientAddress.of(ctx)).onSuccess(wait -> {
      if (wait > 0) {
        ctx.response().putHeader("Retry-After", String.valueOf((wait + 999) / 1000));
        show(ctx, 429, LoginThrottle.tooMany(wait), email, next);
      } else {
        signIn(ctx, apiKey, email, password, next);
      }
    }).onFailure(ctx::fail);
  }

  private void signIn(RoutingContext ctx, String apiKey, String email, String password, String next) {
    Future<Optional<Account>> found = apiKey != null ? byKey(apiKey) : byPassword(email, password);
    found.onSuccess(account -> {
      if (account.isEmpty()) {
        show(ctx, 401, apiKey != null ? "That API key does not open an account." : WRONG, email, next);
      } else if (account.get().gone()) {
        show(ctx, 403, "This account has been " + account.get().status() + ".", email, next);
      } else {
        kit.logins().succeeded(CustomerSessions.PATH, apiKey != null ? null : email);
        sessions.signIn(ctx, account.get())
            .onSuccess(v -> ctx.response().putHeader("Location", next).setStatusCode(303).end())
            .onFailure(ctx::fail);
      }
    }).onFailure(ctx::fail);
  }

  private Future<Optional<Account>> byKey(String apiKey) {
    return keys.authenticate(apiKey).map(Optional::of).recover(e -> Future.succeededFuture(Optional.empty()));
  }

  /** Always verifies one hash (a dummy one for an unknown email), so the answer's timing says nothing. */
  private Future<Optional<Account>> byPassword(String email, String password) {
    if (email == null || password == null || email.length() > 254 || password.length() > Passwords.MAX_LENGTH) {
      return kit.verifyPassword("", null).map(ignored -> Optional.empty());
    }
    return logins.byEmail(email).compose(login -> kit.verifyPassword(password, login.map(Logins.Stored::passwordHash).orElse(null))
        .compose(ok -> ok && login.isPresent() ? accounts.findById(login.get().accountId())
            : Future.succeededFuture(Optional.<Account>empty())));
  }

  private void logout(RoutingContext ctx) {
    sessions.signOut(ctx)
        .onSuccess(v -> ctx.response().putHeader("Location", "/app/login").setStatusCode(303).end())
        .onFailure(ctx::fail);
  }

  private static String trimmed(String value) {
    if (value == null) return null;
    String trimmed = value.trim();
    return trimmed.isEmpty() ? null : trimmed;
  }
}
