package com.otporchestrator.web;

import com.otporchestrator.account.Account;
import com.otporchestrator.account.AccountRepository;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The customer console's guard ({@link SessionGuard}): the {@value #COOKIE} cookie names a live customer session,
 * whose account still exists and is not terminated or closed.
 */
final class CustomerSessions implements Handler<RoutingContext> {
  static final String COOKIE = "otp_app_session";
  static final String PATH = "/app";
  private static final String ACCOUNT = "web.account";

  private final SessionGuard<Account> guard;

  CustomerSessions(Sessions sessions, AccountRepository accounts) {
    this.guard = new SessionGuard<>(sessions, Sessions.Kind.CUSTOMER, COOKIE, PATH, ACCOUNT,
        id -> accounts.findById(id).map(found -> found.filter(a -> !a.gone())));
  }

  /** The signed-in customer of a request the guard let through. */
  static Account account(RoutingContext ctx) {
    return ctx.get(ACCOUNT);
  }

  @Override
  public void handle(RoutingContext ctx) {
    guard.handle(ctx);
  }

  /** The account of the request's session, if it has a live one and the account may still log in. */
  Future<Optional<Account>> current(RoutingContext ctx) {
    return guard.current(ctx);
  }

  /** Opens a session for {@code account}: the cookie, and a fresh CSRF token. */
  Future<Void> signIn(RoutingContext ctx, Account account) {
    return guard.signIn(ctx, account.id());
  }

  Future<Void> signOut(RoutingContext ctx) {
    return guard.signOut(ctx);
  }

  /** A redirect target after login: only a path of this console, never another site. */
  static String safeNext(String next) {
    return SessionGuard.safeNext(PATH, next);
  }
}
