package com.otporchestrator.api;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.store.Database;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become responses: RFC 9457 problem+json with a stable type per
 * kind of failure. An overloaded node (at its bound of work, or every database connection busy past the acquire
 * timeout) answers 503 with Retry-After, having done nothing. Anything unexpected is logged and answered 500 without
 * internals.
 */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  private static final String TYPE_BASE = "https://otp-orchestrator.dev/problems/";

  private record Shape(int status, String type, String title) {}

  private static final Map<Kind, Shape> SHAPES = new EnumMap<>(Map.ofEntries(
      Map.entry(Kind.INVALID_INPUT, new Shape(400, "invalid-request", "The request is invalid")),
      Map.entry(Kind.UNAUTHORIZED, new Shape(401, "unauthorized", "Authentication is required")),
      Map.entry(Kind.FORBIDDEN, new Shape(403, "forbidden", "This account may not do that")),
      Map.entry(Kind.NOT_FOUND, new Shape(404, "not-found", "No such resource")),
      Map.entry(Kind.INSUFFICIENT_FUNDS, new Shape(402, "insufficient-funds", "The balance is too low")),
      Map.entry(Kind.NO_NUMBERS, new Shape(409, "no-numbers", "No numbers available")),
      Map.entry(Kind.PRICE_ABOVE_MAX, new Shape(409, "price-above-max", "The price is above maxPrice")),
      Map.entry(Kind.INVALID_STATE, new Shape(409, "invalid-state", "Not possible in the order's current state")),
      Map.entry(Kind.TOO_EARLY, new Shape(409, "too-early", "Not possible yet")),
      Map.entry(Kind.CONFLICT, new Shape(409, "conflict", "The request conflicts with an earlier one")),
      Map.entry(Kind.IDEMPOTENCY_MISMATCH, new Shape(422, "idempotency-key-reused",
          "The Idempotency-Key was already used with a different request")),
      Map.entry(Kind.IDEMPOTENCY_IN_PROGRESS, new Shape(409, "idempotency-key-in-use",
          "A request with this Idempotency-Key is still being processed")),
      Map.entry(Kind.UPSTREAM_FAILED, new Shape(502, "upstream-failed", "The number supplier failed")),
      Map.entry(Kind.PAYLOAD_TOO_LARGE, new Shape(413, "payload-too-large", "The request body is too large")),
      Map.entry(Kind.RATE_LIMITED, new Shape(429, "rate-limited", "Too many requests")),
      Map.entry(Kind.UNSUPPORTED_MEDIA_TYPE, new Shape(415, "unsupported-media-type",
          "The request body must be application/json")),
      Map.entry(Kind.TOO_MANY_REQUESTS, new Shape(429, "too-many-requests", "Too many requests")),
      Map.entry(Kind.POLICY_REFUSED, new Shape(422, "policy-refused", "The refund policy does not allow this")),
      Map.entry(Kind.AMOUNT_OUT_OF_RANGE, new Shape(422, "amount-out-of-range", "The amount is beyond the allowed range")),
      Map.entry(Kind.OVERLOADED, new Shape(503, "overloaded", "The service is at capacity"))));

  /** What an overloaded answer tells the client to wait before it tries again, when the refusal names no time. */
  public static final int OVERLOADED_RETRY_AFTER_SECONDS = 1;

  private Problems() {}

  /** The stable problem type URI of a kind of failure, for per-item results. */
  public static String typeOf(Kind kind) {
    return TYPE_BASE + SHAPES.get(kind).type();
  }

  /** Builds the problem body (without sending it), for idempotent responses that must be stored. */
  public static ApiResponse toResponse(Throwable failure, int fallbackStatus, String instance) {
    if (Database.isPoolExhausted(failure)) {
      // every connection stayed busy for the acquire timeout: nothing was done, so the client may simply try again
      return toResponse(new DomainException(Kind.OVERLOADED, "this node's database connections are all busy; nothing"
          + " was done, retry in " + OVERLOADED_RETRY_AFTER_SECONDS + " s",
          new JsonObject().put("retryAfter", OVERLOADED_RETRY_AFTER_SECONDS)), 503, instance);
    }
    if (failure instanceof DomainException domain) {
      Shape shape = SHAPES.get(domain.kind());
      JsonObject body = problem(shape.status(), shape.type(), shape.title(), domain.getMessage(), instance);
      domain.extensions().forEach(e -> body.put(e.getKey(), e.getValue()));
      ApiResponse response = ApiResponse.problem(shape.status(), body);
      if (domain.kind() == Kind.OVERLOADED) {
        response = response.withHeader("Retry-After", String.valueOf(body.getValue("retryAfter", OVERLOADED_RETRY_AFTER_SECONDS)));
      }
      return response;
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : failure == null ? fallbackStatus : 500;
    if (status == 413) return toResponse(new DomainException(Kind.PAYLOAD_TOO_LARGE, "the request body is over the limit"), 413, instance);
    if (status == 404) return toResponse(DomainException.notFound("no route for " + instance), 404, instance);
    if (status == 405) {
      return ApiResponse.problem(405, problem(405, "method-not-allowed", "Method not allowed",
          "this resource does not accept that method", instance));
    }
    if (status >= 400 && status < 500) {
      return ApiResponse.problem(status, problem(status, "invalid-request", "The request is invalid",
          failure == null || failure.getMessage() == null ? "bad request" : failure.getMessage(), instance));
    }
    LOG.error("unexpected failure on {}", instance, failure);
    return ApiResponse.problem(500, problem(500, "internal-error", "Internal error",
        "an unexpected error occurred; nothing was charged twice, try again", instance));
  }

  public static void send(RoutingContext ctx) {
    if (ctx.response().ended()) return;
    if (ctx.failure() instanceof HttpClosedException) {
      LOG.debug("the client closed the connection of {} before its answer", ctx.request().path());
      return;
    }
    Throwable failure = RequestChecks.asClientFault(ctx);
    ApiResponse response = toResponse(failure, ctx.statusCode() < 0 ? 500 : ctx.statusCode(), ctx.request().path());
    response.send(ctx);
  }

  /** A problem body as {@link #toResponse} writes it, for answers sent outside the router. */
  static JsonObject body(int status, String type, String title, String detail, String instance) {
    return problem(status, type, title, detail, instance);
  }

  private static JsonObject problem(int status, String type, String title, String detail, String instance) {
    return new JsonObject().put("type", TYPE_BASE + type).put("title", title).put("status", status)
        .put("detail", detail).put("instance", instance);
  }
}
