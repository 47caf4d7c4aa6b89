package com.otporchestrator.rental;

import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.timer.TimerService;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each rental's one timer ({@link TimerKind#RENTAL}) in line with its row: due at its end while open, at its next
 * supplier close while closing, gone otherwise. Failures are logged and left to the PostgreSQL sweep.
 */
public final class RentalTimers {
  private static final Logger LOG = LoggerFactory.getLogger(RentalTimers.class);

  private final RentalRepository rentals;
  private final TimerService timers;

  public RentalTimers(RentalRepository rentals, TimerService timers) {
    this.rentals = rentals;
    this.timers = timers;
  }

  public Future<Void> sync(long id) {
    return syncAll(List.of(id));
  }

  public Future<Void> syncAll(List<Long> ids) {
    if (ids.isEmpty()) return Future.succeededFuture();
    return rentals.timerStates(ids).compose(states -> {
      List<Timer> due = new ArrayList<>();
      List<Long> done = new ArrayList<>();
      for (RentalRepository.TimerState s : states) {
        if (s.state().open()) {
          due.add(new Timer(TimerKind.RENTAL, s.id(), s.endsMillis()));
        } else if ("CLOSING".equals(s.upstreamState()) && s.upstreamNextMillis() != null) {
          due.add(new Timer(TimerKind.RENTAL, s.id(), s.upstreamNextMillis()));
        } else {
          done.add(s.id());
        }
      }
      return Future.all(timers.scheduleAll(due), timers.cancelAll(TimerKind.RENTAL, done)).<Void>mapEmpty();
    }).recover(error -> {
      LOG.warn("could not schedule timers of {} rentals; the sweep will catch them: {}", ids.size(), error.toString());
      return Future.succeededFuture();
    });
  }

  /** A deadline known without reading the row (the allocation watchdog). */
  public Future<Void> schedule(long id, long dueMillis) {
    return timers.schedule(new Timer(TimerKind.RENTAL, id, dueMillis)).recover(error -> Future.succeededFuture());
  }
}
