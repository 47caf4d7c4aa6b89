package com.otporchestrator.common;

import io.vertx.core.json.JsonObject;

/**
 * A failure the customer or operator caused or must know about. It carries a {@link Kind} and a
 * precise detail; {@code api.Problems} is the one place that turns it into an HTTP response.
 */
public final class DomainException extends RuntimeException {

  public enum Kind {
    INVALID_INPUT, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, INSUFFICIENT_FUNDS, NO_NUMBERS, PRICE_ABOVE_MAX,
    INVALID_STATE, TOO_EARLY, CONFLICT, IDEMPOTENCY_MISMATCH, IDEMPOTENCY_IN_PROGRESS, UPSTREAM_FAILED,
    PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, RATE_LIMITED, TOO_MANY_REQUESTS,
    /** The refund policy does not allow it (a claim not eligible, a remedy not offered, a payout not offered). */
    POLICY_REFUSED,
    /** An amount beyond the configured bounds (one request's amount, or what a wallet may hold). */
    AMOUNT_OUT_OF_RANGE,
    /** The node is at its bound of work in flight: nothing was done, try again after Retry-After. */
    OVERLOADED
  }

  private final Kind kind;
  private final JsonObject extensions;

  public DomainException(Kind kind, String detail) {
    this(kind, detail, new JsonObject());
  }

  public DomainException(Kind kind, String detail, JsonObject extensions) {
    super(detail, null, false, false);
    this.kind = kind;
    this.extensions = extensions;
  }

  public Kind kind() {
    return kind;
  }

  public JsonObject extensions() {
    return extensions;
  }

  public static DomainException invalid(String detail) {
    return new DomainException(Kind.INVALID_INPUT, detail);
  }

  public static DomainException notFound(String detail) {
    return new DomainException(Kind.NOT_FOUND, detail);
  }
}
