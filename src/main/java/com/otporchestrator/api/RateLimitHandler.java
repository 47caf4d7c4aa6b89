package com.otporchestrator.api;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.ratelimit.Decision;
import com.otporchestrator.ratelimit.RateLimiter;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Spends one token of the caller's bucket per request. Every answer carries the IETF draft's RateLimit-Policy
 * ({@code "default";q=<burst>;w=<seconds to refill>}) and RateLimit ({@code "default";r=<remaining>;t=<seconds until
 * full>}), and for one more release the older RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset; a refusal is
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
      long reset = seconds(decision.resetMillis());
      ctx.response()
          .putHeader("RateLimit-Policy", policy(decision))
          .putHeader("RateLimit", "\"" + POLICY + "\";r=" + decision.remaining() + ";t=" + reset)
          // the earlier drafts' triple, kept for one release (docs/api.md, rate limits)
          .putHeader("RateLimit-Limit", String.valueOf(decision.limit()))
          .putHeader("RateLimit-Remaining", String.valueOf(decision.remaining()))
          .putHeader("RateLimit-Reset", String.valueOf(reset));
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

  /** The quota policy's name in both fields: one policy per account, its plan's bucket. */
  static final String POLICY = "default";

  /**
   * {@code RateLimit-Policy} (draft-ietf-httpapi-ratelimit-headers-10): the bucket's capacity {@code q} over the window
   * {@code w} it takes to refill completely, in seconds.
   */
  static String policy(Decision decision) {
    long window = decision.refillPerSecond() <= 0 ? 1
        : Math.max(1, (long) Math.ceil(decision.limit() / decision.refillPerSecond()));
    return "\"" + POLICY + "\";q=" + decision.limit() + ";w=" + window;
  }

  private static long seconds(long millis) {
    return (millis + 999) / 1000;
  }
}
