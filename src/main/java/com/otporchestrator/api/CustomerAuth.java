package com.otporchestrator.api;

import com.otporchestrator.account.Account;
import com.otporchestrator.account.Authenticator;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Resolves {@code Authorization: Bearer <api key>} to the calling account, or answers 401. */
final class CustomerAuth implements Handler<RoutingContext> {
  private static final String ACCOUNT = "account";
  private final Authenticator authenticator;

  CustomerAuth(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public void handle(RoutingContext ctx) {
    authenticator.authenticate(Requests.bearer(ctx)).onComplete(result -> {
      if (result.failed()) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        ctx.fail(result.cause());
        return;
      }
      Account account = result.result();
      if ("terminated".equals(account.status())) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        ctx.fail(new DomainException(Kind.UNAUTHORIZED, "this account has been terminated"));
        return;
      }
      ctx.put(ACCOUNT, account);
      ctx.next();
    });
  }

  static Account account(RoutingContext ctx) {
    return ctx.get(ACCOUNT);
  }

  /** Orders and money movements need an active account; a suspended one may still read. */
  static Account activeAccount(RoutingContext ctx) {
    Account account = account(ctx);
    if (!account.active()) throw new DomainException(Kind.FORBIDDEN, "this account is suspended");
    return account;
  }
}
