package com.otporchestrator.rental;

import com.otporchestrator.order.CloseRetries;
import com.otporchestrator.timer.SweepSource;
import com.otporchestrator.timer.TimerHandler;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.upstream.CloseOutcome;
import com.otporchestrator.upstream.Provider;
import com.otporchestrator.routing.ProviderRegistry;
import com.otporchestrator.upstream.smshub.SmsHubProvider;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires {@link TimerKind#RENTAL}: ends every due rental of the batch in one transaction (captured; one still allocating
 * is failed and voided), then closes the closed ones with their supplier (finish when the rental was used, cancel when it
 * was refunded), retried as every order's close is ({@link CloseRetries}; a "too early" is one more retry); then
 * re-syncs each rental's timer from its row.
 * A supplier answering that the number is dead records a NUMBER_DEAD incident; any other permanent refusal a
 * CLOSE_REFUSED one (what the supplier keeps is our cost, never the customer's).
 */
public final class RentalTimerHandler implements TimerHandler {
  private static final Logger LOG = LoggerFactory.getLogger(RentalTimerHandler.class);

  private final RentalRepository rentals;
  private final RentalTimers timers;
  private final ProviderRegistry providers;

  public RentalTimerHandler(RentalRepository rentals, RentalTimers timers, ProviderRegistry providers) {
    this.rentals = rentals;
    this.timers = timers;
    this.providers = providers;
  }

  @Override
  public Future<Void> fire(List<Long> ids) {
    return rentals.endDue(ids)
        .compose(ended -> rentals.closeCandidates(ids))
        .compose(rows -> {
          List<Future<Void>> closes = new ArrayList<>(rows.size());
          for (Row row : rows) closes.add(close(row));
          return Future.join(closes);
        })
        .compose(v -> timers.syncAll(ids));
  }

  private Future<Void> close(Row row) {
    long id = row.getLong("id");
    int attempts = row.getInteger("upstream_attempts");
    Provider provider = providers.get(row.getString("provider_id")).orElse(null);
    if (provider == null) return retry(id, attempts, CloseRetries.UNCONFIGURED, "supplier is not configured");
    boolean used = RentalState.valueOf(row.getString("state")).captured();
    return CloseRetries.close(provider, row.getString("provider_rental_id"), used)
        .compose(outcome -> switch (outcome) {
          case CloseOutcome.Closed closed -> rentals.closed(id);
          case CloseOutcome.Refused refused -> refuse(id, refused.reason());
          case CloseOutcome.RetryLater later -> retry(id, attempts, later.after(), later.reason());
          // a rental cancelled young: the supplier's minimum age is a wait, retried like any other
          case CloseOutcome.TooEarly early -> retry(id, attempts, early.minimumAge(), early.reason());
        });
  }

  private Future<Void> retry(long id, int attempts, Duration hint, String reason) {
    if (CloseRetries.exhausted(attempts)) return refuse(id, CloseRetries.gaveUp(reason));
    return rentals.retryClose(id, CloseRetries.delayMillis(attempts, hint), CloseRetries.note(reason)).mapEmpty();
  }

  private Future<Void> refuse(long id, String reason) {
    String kind = SmsHubProvider.NUMBER_DEAD.equals(reason) ? "NUMBER_DEAD" : "CLOSE_REFUSED";
    LOG.atWarn().addKeyValue("orderId", id).log("supplier refused to close rental {}: {}", id, reason);
    return rentals.closeRefused(id, CloseRetries.note(reason))
        .compose(v -> rentals.recordIncident(id, kind, "supplier answered the close with: " + reason))
        .mapEmpty();
  }

  /** PostgreSQL's view of every rental timer, for the sweep and for re-seeding Redis. */
  public static SweepSource sweepSource(RentalRepository rentals) {
    return SweepSource.of(TimerKind.RENTAL, rentals::overdue, rentals::live);
  }
}
