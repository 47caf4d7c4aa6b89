package com.otporchestrator.upstream.fivesim;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * One 5sim answer, classified once: a JSON object (success only with HTTP 200 and a JSON content
 * type), an error text (5sim answers errors as plain text, matched by substring), or nothing usable
 * (no reply at all, an empty or garbled body, a server error).
 */
sealed interface FiveSimReply {
  record Order(JsonObject body) implements FiveSimReply {}

  /** {@code phrase}: the known error phrase found in the body, null when none matched. */
  record Error(int status, String phrase, String text) implements FiveSimReply {}

  record Garbage(String why) implements FiveSimReply {}

  /** The error phrases of 5sim (docs/protocol-details.md), most specific first. */
  List<String> PHRASES = List.of("no free phones", "not enough user balance", "not enough rating",
      "country is incorrect", "bad country", "select country", "product is incorrect", "no product",
      "bad operator", "select operator", "order not found", "order has sms", "order no sms", "hosting order",
      "you need to wait time", "record not found", "reuse not possible", "api limit", "ip address limit",
      "internal error", "server offline");

  static FiveSimReply of(int status, String contentType, String body) {
    String text = body == null ? "" : body.strip();
    boolean json = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
    if (status == 200 && json) {
      try {
        if (Json.decodeValue(text) instanceof JsonObject object) return new Order(object);
      } catch (DecodeException e) {
        return new Garbage("HTTP 200 with a body that is not JSON");
      }
      return new Garbage("HTTP 200 with JSON that is not an object");
    }
    String lower = text.toLowerCase(Locale.ROOT);
    for (String phrase : PHRASES) {
      if (lower.contains(phrase)) return new Error(status, phrase, shorten(text));
    }
    if (status == 401 || status == 403) return new Error(status, "unauthorized", shorten(text));
    if (status == 429) return new Error(status, "api limit", shorten(text));
    return new Garbage("HTTP " + status + (text.isEmpty() ? " with an empty body" : ": " + shorten(text)));
  }

  private static String shorten(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200);
  }
}
