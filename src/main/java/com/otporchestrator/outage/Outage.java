package com.otporchestrator.outage;

import com.otporchestrator.activation.ScopeRefunds;
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
}
