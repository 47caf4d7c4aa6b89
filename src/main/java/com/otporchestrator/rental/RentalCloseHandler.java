package com.otporchestrator.rental;

import com.otporchestrator.order.CloseRetries;
import com.otporchestrator.routing.ProviderRegistry;
import com.otporchestrator.timer.SweepSource;
import com.otporchestrator.timer.TimerHandler;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.upstream.CloseOutcome;
import com.otporchestrator.upstream.Provider;
import com.otporchestrator.upstream.smshub.SmsHubProvider;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires {@link TimerKind#RENTAL_CLOSE} on the external lane: closes each closed rental with its supplier (finish when the
 * rental was used, cancel when it was refunded), retried as every order's close is ({@link CloseRetries}; a "too early"
 * is one more retry), then re-syncs its timer from its row. Each rental's close completes on its own, so a supplier that
 * hangs holds back only its own rentals. A supplier answering that the number is dead records a NUMBER_DEAD incident; any
 * other permanent refusal a CLOSE_REFUSED one (what the supplier keeps is our cost, never the customer's).
 */
public final class RentalCloseHandler implements TimerHandler {
  private static final Logger LOG = LoggerFactory.getLogger(RentalCloseHandler.class);

  private final RentalRepository rentals;
  private final RentalTimers timers;
  private final ProviderRegistry providers;

  public RentalCloseHandler(RentalRepository rentals, RentalTimers timers, ProviderRegistry providers) {
    this.rentals = rentals;
    this.timers = timers;
    this.providers = providers;
  }

  @Override
  public Future<Void> fire(List<Long> ids) {
    return Future.all(fireEach(ids)).mapEmpty();
  }

  @Override
  public List<Future<Void>> fireEach(List<Long> ids) {
    return CloseRetries.closeEach(ids, rentals.closeCandidates(ids),
        row -> close(row).compose(v -> timers.sync(row.getLong("id"))), timers::syncAll);
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

  /** PostgreSQL's view of every rental supplier close, for the sweep and for re-seeding Redis. */
  public static SweepSource sweepSource(RentalRepository rentals) {
    return SweepSource.of(TimerKind.RENTAL_CLOSE, (grace, limit) -> rentals.ids(RentalSql.OVERDUE_CLOSES, grace, limit),
        (afterId, limit) -> rentals.idsWithDue(RentalSql.LIVE_CLOSES, afterId, limit));
  }
}
