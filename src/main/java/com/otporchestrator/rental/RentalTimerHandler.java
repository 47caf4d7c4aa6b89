package com.otporchestrator.rental;

import com.otporchestrator.timer.SweepSource;
import com.otporchestrator.timer.TimerHandler;
import com.otporchestrator.timer.TimerKind;
import io.vertx.core.Future;
import java.util.List;

/**
 * Fires {@link TimerKind#RENTAL}: ends every due rental of the batch in one transaction (captured; one still allocating
 * is failed and voided), then re-syncs each rental's timer from its row, which schedules the supplier close of the ones
 * it closed ({@link RentalCloseHandler}, on the external lane). It never calls a supplier, so the refunds and ends on the
 * internal lane never wait on one.
 */
public final class RentalTimerHandler implements TimerHandler {
  private final RentalRepository rentals;
  private final RentalTimers timers;

  public RentalTimerHandler(RentalRepository rentals, RentalTimers timers) {
    this.rentals = rentals;
    this.timers = timers;
  }

  @Override
  public Future<Void> fire(List<Long> ids) {
    return rentals.endDue(ids).compose(ended -> timers.syncAll(ids));
  }

  /** PostgreSQL's view of every rental end, for the sweep and for re-seeding Redis. */
  public static SweepSource sweepSource(RentalRepository rentals) {
    return SweepSource.of(TimerKind.RENTAL, (grace, limit) -> rentals.ids(RentalSql.OVERDUE_ENDS, grace, limit),
        (afterId, limit) -> rentals.idsWithDue(RentalSql.LIVE_ENDS, afterId, limit));
  }
}
