package com.otporchestrator.outage;

import com.otporchestrator.activation.ScopeRefunds;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/**
 * An outage as stored: its scope (null fields mean "any"; all null only when platform-wide), its
 * time range, where it stands and how many orders it refunded.
 */
public record Outage(long id, String providerId, String service, Integer country, boolean platformWide,
                     OffsetDateTime startsAt, OffsetDateTime endsAt, String state, String source, String reason,
                     int refunded, int batches, OffsetDateTime createdAt, OffsetDateTime confirmedAt,
                     OffsetDateTime finishedAt) {

  /**
   * The orders it refunds: open in the scope, bought no later than the end of the range or the
   * moment the outage was confirmed (whichever is first), and not over before the range began.
   */
  public ScopeRefunds.Scope scope() {
    OffsetDateTime until = endsAt == null || endsAt.isAfter(confirmedAt) ? confirmedAt : endsAt;
    return new ScopeRefunds.Scope(providerId, service, country, startsAt, until);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("provider", providerId).put("service", service).put("country", country)
        .put("platformWide", platformWide).put("from", time(startsAt)).put("to", time(endsAt)).put("state", state)
        .put("source", source).put("reason", reason).put("refunded", refunded).put("batches", batches)
        .put("createdAt", time(createdAt)).put("confirmedAt", time(confirmedAt)).put("finishedAt", time(finishedAt));
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
