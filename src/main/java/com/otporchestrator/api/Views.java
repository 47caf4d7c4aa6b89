package com.otporchestrator.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The conventions every JSON view follows: money is a decimal USD string (see {@code Money.format}), times are
 * ISO-8601 UTC instants, lists are pages with a string {@code nextCursor}. Each feature's views (XxxViews) build
 * their shapes with these.
 */
public final class Views {
  private Views() {}

  public static JsonObject page(List<JsonObject> items, Long nextCursor) {
    return new JsonObject().put("items", new JsonArray(items)).put("nextCursor", nextCursor == null ? null : String.valueOf(nextCursor));
  }

  /** PostgreSQL's JSON timestamps ("...+00:00") in the same Instant form as every other time. */
  public static String isoInstant(String postgresTime) {
    return postgresTime == null ? null : OffsetDateTime.parse(postgresTime).toInstant().toString();
  }

  public static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
