package com.otporchestrator.api;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Resolves {@code Authorization: Bearer <api key>} to the calling account, or answers 401. */
public final class CustomerAuth implements Handler<RoutingContext> {
  private static final String ACCOUNT = "account";
  private final Lookup lookup;

  /** Finds the caller behind an API key; fails with an UNAUTHORIZED {@code DomainException} when there is none. */
  @FunctionalInterface
  public interface Lookup {
    Future<? extends Caller> byApiKey(String apiKey);
  }

  public CustomerAuth(Lookup lookup) {
    this.lookup = lookup;
  }

  @Override
  public void handle(RoutingContext ctx) {
    lookup.byApiKey(Requests.bearer(ctx)).onComplete(result -> {
      if (result.failed()) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        ctx.fail(result.cause());
        return;
      }
      Caller account = result.result();
      if (account.gone()) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        ctx.fail(new DomainException(Kind.UNAUTHORIZED, "this account has been " + account.status()));
        return;
      }
      ctx.put(ACCOUNT, account);
      ctx.next();
    });
  }

  /** The authenticated caller of a {@code /v1} request. */
  public static Caller account(RoutingContext ctx) {
    return ctx.get(ACCOUNT);
  }

  /** Orders and money movements need an active account; a suspended one may still read. */
  public static Caller activeAccount(RoutingContext ctx) {
    Caller account = account(ctx);
    if (!account.active()) throw new DomainException(Kind.FORBIDDEN, "this account is suspended");
    return account;
  }
}
