package com.otporchestrator.web;

import com.otporchestrator.account.Account;
import com.otporchestrator.account.AccountRepository;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The customer console's guard: the {@value #COOKIE} cookie names a live customer session, whose account still
 * exists and is not terminated or closed; else the browser is sent to the login page (an htmx request is told to
 * go there with {@code HX-Redirect}).
 */
final class CustomerSessions implements Handler<RoutingContext> {
  static final String COOKIE = "otp_app_session";
  static final String PATH = "/app";
  private static final String ACCOUNT = "web.account";

  private final Sessions sessions;
  private final AccountRepository accounts;

  CustomerSessions(Sessions sessions, AccountRepository accounts) {
    this.sessions = sessions;
    this.accounts = accounts;
  }

  /** The signed-in customer of a request the guard let through. */
  static Account account(RoutingContext ctx) {
    return ctx.get(ACCOUNT);
  }

  @Override
  public void handle(RoutingContext ctx) {
    current(ctx).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
      } else if (result.result().isPresent()) {
        ctx.put(ACCOUNT, result.result().get());
        ctx.next();
      } else {
        toLogin(ctx);
      }
    });
  }

  /** The account of the request's session, if it has a live one and the account may still log in. */
  Future<Optional<Account>> current(RoutingContext ctx) {
    String token = WebCookies.get(ctx, COOKIE);
    return sessions.find(token).compose(session -> {
      if (session.isEmpty() || session.get().kind() != Sessions.Kind.CUSTOMER) {
        return Future.succeededFuture(Optional.<Account>empty());
      }
      return accounts.findById(session.get().subjectId()).map(found -> found.filter(a -> !a.gone()));
    });
  }

  /** Opens a session for {@code account}: the cookie, and a fresh CSRF token. */
  Future<Void> signIn(RoutingContext ctx, Account account) {
    return sessions.open(Sessions.Kind.CUSTOMER, account.id()).map(opened -> {
      WebCookies.set(ctx, COOKIE, opened.token(), PATH, Sessions.LIFETIME.toSeconds());
      Csrf.renew(ctx);
      return null;
    });
  }

  Future<Void> signOut(RoutingContext ctx) {
    String token = WebCookies.get(ctx, COOKIE);
    return sessions.close(token).map(v -> {
      WebCookies.clear(ctx, COOKIE, PATH);
      Csrf.renew(ctx);
      return null;
    });
  }

  private static void toLogin(RoutingContext ctx) {
    String next = ctx.request().method().name().equals("GET") ? ctx.request().uri() : PATH;
    String location = PATH + "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
    if (Pages.htmx(ctx)) {
      ctx.response().putHeader("HX-Redirect", location).setStatusCode(401).end();
    } else {
      ctx.response().putHeader("Location", location).setStatusCode(303).end();
    }
  }

  /** A redirect target after login: only a path of this console, never another site. */
  static String safeNext(String next) {
    if (next == null || !next.startsWith(PATH) || next.startsWith("//") || next.contains("\\") || next.contains("\n")
        || next.contains("\r") || next.startsWith(PATH + "/login") || next.startsWith(PATH + "/logout")) {
      return PATH;
    }
    return next;
  }
}
