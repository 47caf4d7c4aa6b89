package com.otporchestrator.api;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.ratelimit.Decision;
import com.otporchestrator.ratelimit.RateLimiter;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Spends one token of the caller's bucket per request. Every answer carries RateLimit-Limit,
 * RateLimit-Remaining and RateLimit-Reset (seconds until the bucket is full again); a refusal is
 * 429 with Retry-After.
 */
public final class RateLimitHandler implements Handler<RoutingContext> {
  private final RateLimiter limiter;

  public RateLimitHandler(RateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public void handle(RoutingContext ctx) {
    limiter.take(CustomerAuth.account(ctx).id()).onComplete(result -> {
      Decision decision = result.result();
      if (result.failed() || decision.limit() == 0) {
        ctx.next();
        return;
      }
      ctx.response()
          .putHeader("RateLimit-Limit", String.valueOf(decision.limit()))
          .putHeader("RateLimit-Remaining", String.valueOf(decision.remaining()))
          .putHeader("RateLimit-Reset", String.valueOf(seconds(decision.resetMillis())));
      if (decision.allowed()) {
        ctx.next();
        return;
      }
      long retryAfter = Math.max(1, seconds(decision.retryAfterMillis()));
      ctx.response().putHeader("Retry-After", String.valueOf(retryAfter));
      ctx.fail(new DomainException(Kind.RATE_LIMITED, "too many requests; retry in " + retryAfter + " s",
          new JsonObject().put("retryAfter", retryAfter)));
    });
  }

  private static long seconds(long millis) {
    return (millis + 999) / 1000;
  }
}
