package com.otporchestrator.api;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.common.Money;
import com.otporchestrator.config.AppConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Strict reading of request bodies and parameters: every problem is a precise 4xx, never a 500. */
public final class Requests {
  private static final String INPUT_LIMITS = "otp.inputLimits";

  private Requests() {}

  /** The JSON object body; rejects other media types, malformed JSON, non-objects and unknown fields. */
  public static JsonObject jsonBody(RoutingContext ctx, Set<String> allowedFields) {
    String type = ctx.request().getHeader("Content-Type");
    String mediaType = type == null ? "" : type.split(";", 2)[0].trim();
    if (!mediaType.equalsIgnoreCase("application/json")) {
      throw new DomainException(Kind.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json");
    }
    String text = bodyText(ctx);
    if (text == null || text.isBlank()) throw DomainException.invalid("the request body is empty");
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(text);
    } catch (DecodeException e) {
      throw DomainException.invalid("the request body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject body)) throw DomainException.invalid("the request body must be a JSON object");
    for (String field : body.fieldNames()) {
      if (!allowedFields.contains(field)) throw DomainException.invalid("unknown field '" + field + "'");
    }
    return body;
  }

  /**
   * The body as text, or null without one. Bodies are UTF-8 (JSON has no other encoding): a Content-Type naming
   * another charset, or one Java does not know, is refused with 415 rather than decoded wrongly.
   */
  public static String bodyText(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().buffer() == null) return null;
    String charset = charsetOf(ctx.request().getHeader("Content-Type"));
    if (charset != null && !isUtf8(charset)) {
      throw new DomainException(Kind.UNSUPPORTED_MEDIA_TYPE, "send the body in UTF-8, not charset '"
          + (charset.length() > 40 ? charset.substring(0, 40) + "..." : charset) + "'");
    }
    return ctx.body().buffer().toString(StandardCharsets.UTF_8);
  }

  private static String charsetOf(String contentType) {
    if (contentType == null) return null;
    for (String parameter : contentType.split(";")) {
      String[] pair = parameter.trim().split("=", 2);
      if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) return pair[1].trim().replace("\"", "");
    }
    return null;
  }

  private static boolean isUtf8(String charset) {
    try {
      return Charset.forName(charset).equals(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public static String requiredString(JsonObject body, String field, int maxLength) {
    Object value = body.getValue(field);
    if (value == null) throw DomainException.invalid("'" + field + "' is required");
    if (!(value instanceof String text)) throw DomainException.invalid("'" + field + "' must be a string");
    if (text.isBlank()) throw DomainException.invalid("'" + field + "' must not be empty");
    if (text.indexOf('\u0000') >= 0) throw DomainException.invalid("'" + field + "' must not contain NUL characters");
    if (text.length() > maxLength) throw DomainException.invalid("'" + field + "' is longer than " + maxLength + " characters");
    return text.trim();
  }

  public static String optionalString(JsonObject body, String field, int maxLength) {
    return body.getValue(field) == null ? null : requiredString(body, field, maxLength);
  }

  public static int requiredInt(JsonObject body, String field, int min, int max) {
    Object value = body.getValue(field);
    if (value == null) throw DomainException.invalid("'" + field + "' is required");
    long number;
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      number = ((Number) value).longValue();
    } else if (value instanceof String text && text.matches("\\d{1,9}")) {
      number = Long.parseLong(text);
    } else {
      throw DomainException.invalid("'" + field + "' must be an integer");
    }
    if (number < min || number > max) throw DomainException.invalid("'" + field + "' must be between " + min + " and " + max);
    return (int) number;
  }

  /** Gives the request its input limits (the HTTP front does it for every request, before any route). */
  public static void limits(RoutingContext ctx, AppConfig.InputLimits limits) {
    ctx.put(INPUT_LIMITS, limits);
  }

  /** The most one amount of this request may be, in micro-USD (MAX_AMOUNT_USD). */
  private static long maxAmount(RoutingContext ctx) {
    AppConfig.InputLimits limits = ctx.get(INPUT_LIMITS);
    if (limits == null) throw new IllegalStateException("no input limits on this request: mount its route on the HTTP front");
    return limits.maxAmount();
  }

  /**
   * A USD amount given as a decimal string ("0.50"); numbers are refused to keep floats out. Above MAX_AMOUNT_USD (or
   * beyond what micro-USD can count): 422 amount-out-of-range.
   */
  public static Long optionalUsd(RoutingContext ctx, JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) return null;
    if (!(value instanceof String text)) {
      throw DomainException.invalid("'" + field + "' must be a decimal string such as \"0.50\"");
    }
    long micros = usd(field, text);
    if (micros <= 0) throw DomainException.invalid("'" + field + "' must be positive");
    return withinMax(ctx, field, micros);
  }

  /** A signed, non-zero USD amount as a decimal string ("1.50", "-1.50"), e.g. an adjustment; bounded either way. */
  public static long requiredSignedUsd(RoutingContext ctx, JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) throw DomainException.invalid("'" + field + "' is required");
    if (!(value instanceof String text)) {
      throw DomainException.invalid("'" + field + "' must be a decimal string such as \"1.50\" or \"-1.50\"");
    }
    boolean negative = text.startsWith("-");
    long micros = usd(field, negative ? text.substring(1) : text);
    if (micros == 0) throw DomainException.invalid("'" + field + "' must not be zero");
    withinMax(ctx, field, micros);
    return negative ? -micros : micros;
  }

  /**
   * A ceiling such as maxPrice: no money moves by it, so any size is harmless and only what micro-USD can count
   * bounds it (422 beyond).
   */
  public static Long optionalCeilingUsd(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) return null;
    if (!(value instanceof String text)) {
      throw DomainException.invalid("'" + field + "' must be a decimal string such as \"0.50\"");
    }
    long micros = usd(field, text);
    if (micros <= 0) throw DomainException.invalid("'" + field + "' must be positive");
    return micros;
  }

  public static long requiredUsd(RoutingContext ctx, JsonObject body, String field) {
    if (body.getValue(field) == null) throw DomainException.invalid("'" + field + "' is required");
    return optionalUsd(ctx, body, field);
  }

  private static long usd(String field, String text) {
    try {
      return Money.parseUsd(text);
    } catch (Money.OutOfRange e) {
      throw outOfRange(field, "'" + field + "' is far beyond the largest amount allowed");
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("'" + field + "' is not a valid USD amount: " + e.getMessage());
    }
  }

  private static long withinMax(RoutingContext ctx, String field, long micros) {
    long max = maxAmount(ctx);
    if (micros > max) throw outOfRange(field, "'" + field + "' must be at most " + Money.format(max) + " USD");
    return micros;
  }

  private static DomainException outOfRange(String field, String detail) {
    return new DomainException(Kind.AMOUNT_OUT_OF_RANGE, detail, new JsonObject().put("field", field));
  }

  /** The earliest instant any timestamp input may name (docs/api.md, bad input). */
  public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  /** The latest instant any timestamp input may name, exclusive. */
  public static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

  /**
   * An ISO-8601 instant ("2030-01-31T12:00:00Z") between {@link #EARLIEST} and {@link #LATEST}: any other text or an
   * instant outside that range is a 400 naming {@code field}. Null stays null.
   */
  public static Instant instant(String field, String text) {
    if (text == null || text.isEmpty()) return null;
    Instant instant;
    try {
      instant = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw DomainException.invalid("'" + field + "' must be an ISO-8601 instant such as 2030-01-31T12:00:00Z");
    }
    if (!inRange(instant)) {
      throw DomainException.invalid("'" + field + "' must be between " + EARLIEST + " and " + LATEST);
    }
    return instant;
  }

  /** Whether {@code instant} is within the range every timestamp input must keep to. */
  public static boolean inRange(Instant instant) {
    return !instant.isBefore(EARLIEST) && instant.isBefore(LATEST);
  }

  public static long pathId(RoutingContext ctx, String name, String what) {
    String raw = ctx.pathParam(name);
    if (raw == null || !raw.matches("\\d{1,18}")) throw DomainException.notFound(what + " '" + raw + "' does not exist");
    return Long.parseLong(raw);
  }

  public static int limit(RoutingContext ctx, int fallback, int max) {
    String raw = ctx.request().getParam("limit");
    if (raw == null) return fallback;
    if (!raw.matches("\\d{1,4}") || Integer.parseInt(raw) < 1 || Integer.parseInt(raw) > max) {
      throw DomainException.invalid("'limit' must be an integer between 1 and " + max);
    }
    return Integer.parseInt(raw);
  }

  public static Long cursor(RoutingContext ctx) {
    String raw = ctx.request().getParam("cursor");
    if (raw == null || raw.isEmpty()) return null;
    if (!raw.matches("\\d{1,18}")) throw DomainException.invalid("'cursor' is not a cursor this API returned");
    return Long.parseLong(raw);
  }

  public static String bearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
    return header.substring(7).trim();
  }
}
