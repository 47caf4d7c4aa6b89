package com.otporchestrator.upstream.smsactivate;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One upstream reply classified by its shape, looking at the HTTP status and the body together: a
 * protocol token (text, or a JSON error envelope), a JSON document, an empty body, or garbage.
 */
public sealed interface SmsActivateReply {

  int httpStatus();

  /**
   * A token such as {@code ACCESS_NUMBER:1:79...} or an error envelope's {@code title}. The name is
   * upper-cased; {@code argument} is what follows the first colon, trimmed, or null.
   */
  record Token(int httpStatus, String name, String argument, JsonObject info) implements SmsActivateReply {
    public Token {
      info = info == null ? new JsonObject() : info;
    }

    public boolean is(String wanted) {
      return name.equals(wanted);
    }

    public List<String> arguments() {
      return argument == null ? List.of() : Arrays.stream(argument.split(":", -1)).map(String::strip).toList();
    }

    /** The token as the caller should see it: {@code WRONG_MAX_PRICE:6.50}, {@code BAD_KEY}. */
    public String describe() {
      return argument == null ? name : name + ":" + argument;
    }
  }

  /** A JSON object or array that is not an error envelope. */
  record Json(int httpStatus, Object document) implements SmsActivateReply {}

  /** A 2xx reply without a body (Hero answers 204 to some closes). */
  record Empty(int httpStatus) implements SmsActivateReply {}

  /** Anything we cannot read: 5xx, HTML, Cloudflare pages, broken JSON, no reply at all (status 0). */
  record Garbage(int httpStatus, String why) implements SmsActivateReply {}

  Pattern TOKEN = Pattern.compile("([A-Za-z][A-Za-z0-9_]{0,63})\\s*(?::(.*))?", Pattern.DOTALL);

  static SmsActivateReply of(int httpStatus, String body) {
    String text = body == null ? "" : body.replace("\uFEFF", "").strip();
    if (httpStatus >= 500) return new Garbage(httpStatus, "HTTP " + httpStatus);
    if (httpStatus < 200 || (httpStatus >= 300 && httpStatus < 400)) {
      return new Garbage(httpStatus, "unexpected HTTP " + httpStatus);
    }
    if (text.isEmpty()) {
      return httpStatus < 300 ? new Empty(httpStatus) : new Garbage(httpStatus, "HTTP " + httpStatus + " without body");
    }
    if (text.startsWith("{") || text.startsWith("[")) return json(httpStatus, text);
    return token(httpStatus, text);
  }

  private static SmsActivateReply token(int httpStatus, String text) {
    Matcher m = TOKEN.matcher(text);
    if (!m.matches()) return new Garbage(httpStatus, "not a protocol token: " + excerpt(text));
    String argument = m.group(2) == null || m.group(2).isBlank() ? null : m.group(2).strip();
    return new Token(httpStatus, m.group(1).toUpperCase(Locale.ROOT), argument, null);
  }

  private static SmsActivateReply json(int httpStatus, String text) {
    Object document;
    try {
      document = text.startsWith("{") ? new JsonObject(text) : new JsonArray(text);
    } catch (DecodeException e) {
      return new Garbage(httpStatus, "broken JSON: " + excerpt(text));
    }
    if (document instanceof JsonObject object) {
      SmsActivateReply error = errorEnvelope(httpStatus, object);
      if (error != null) return error;
    }
    if (httpStatus >= 400) return new Garbage(httpStatus, "HTTP " + httpStatus + " with unexpected JSON");
    return new Json(httpStatus, document);
  }

  /** Hero's {@code {title, details, info}}, or the older {@code {"status":"error","error":"NO_ACTIVATIONS"}}. */
  private static Token errorEnvelope(int httpStatus, JsonObject object) {
    if (object.getValue("title") instanceof String title
        && (object.containsKey("details") || object.containsKey("info") || httpStatus >= 400)) {
      JsonObject info = object.getValue("info") instanceof JsonObject i ? i : new JsonObject();
      return new Token(httpStatus, title.strip().toUpperCase(Locale.ROOT), FlexJson.text(info.getValue("min")), info);
    }
    Object status = object.getValue("status");
    boolean failed = Boolean.FALSE.equals(status) || "false".equals(status) || "error".equals(status);
    if (!failed) return null;
    String error = FlexJson.text(object.getValue("error"));
    String message = FlexJson.text(object.containsKey("msg") ? object.getValue("msg") : object.getValue("message"));
    boolean tokenLike = error != null && TOKEN.matcher(error).matches() && !error.contains(":");
    return new Token(httpStatus, tokenLike ? error.toUpperCase(Locale.ROOT) : "ERROR", message, object);
  }

  private static String excerpt(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 80) + "...";
  }
}
