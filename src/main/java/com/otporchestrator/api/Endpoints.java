package com.otporchestrator.api;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** Runs a handler's work and sends its response; any failure, thrown or failed, goes to {@link Problems}. */
public final class Endpoints {
  private Endpoints() {}

  public static void respond(RoutingContext ctx, Supplier<Future<ApiResponse>> work) {
    Future<ApiResponse> result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(response -> response.send(ctx)).onFailure(ctx::fail);
  }

  /** Like {@link #respond}, guarded by the request's Idempotency-Key when it has one. */
  public static void respondOnce(RoutingContext ctx, IdempotencyStore store, Supplier<Future<ApiResponse>> work) {
    long accountId = CustomerAuth.account(ctx).id();
    String key = ctx.request().getHeader("Idempotency-Key");
    String body = Requests.bodyText(ctx) == null ? "" : Requests.bodyText(ctx);
    String fingerprint = ctx.request().method().name() + " " + ctx.request().path() + "\n" + body;
    respond(ctx, () -> store.run(accountId, key, fingerprint, ctx.request().path(), () -> {
      try {
        return work.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }));
  }
}
