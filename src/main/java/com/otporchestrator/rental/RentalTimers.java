package com.otporchestrator.rental;

import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.timer.TimerService;
import com.otporchestrator.timer.TimerSync;
import io.vertx.core.Future;
import java.util.List;

/**
 * Keeps each rental's timer in line with its row ({@link TimerSync}): {@link TimerKind#RENTAL} due at its end while open,
 * {@link TimerKind#RENTAL_CLOSE} due at its next supplier close while closing, none otherwise. Failures are logged and
 * left to the PostgreSQL sweep.
 */
public final class RentalTimers {
  private final TimerSync sync;

  public RentalTimers(RentalRepository rentals, TimerService timers) {
    this.sync = new TimerSync(timers, TimerKind.RENTAL, "rentals",
        ids -> rentals.timerStates(ids).map(states -> states.stream().map(RentalTimers::due).toList()));
  }

  public Future<Void> sync(long id) {
    return sync.sync(id);
  }

  public Future<Void> syncAll(List<Long> ids) {
    return sync.syncAll(ids);
  }

  /** A deadline known without reading the row (the allocation watchdog). */
  public Future<Void> schedule(long id, long dueMillis) {
    return sync.schedule(new Timer(TimerKind.RENTAL, id, dueMillis));
  }

  private static TimerSync.Due due(RentalRepository.TimerState s) {
    if (s.state().open()) return new TimerSync.Due(s.id(), List.of(new Timer(TimerKind.RENTAL, s.id(), s.endsMillis())), false);
    if ("CLOSING".equals(s.upstreamState()) && s.upstreamNextMillis() != null) {
      return new TimerSync.Due(s.id(), List.of(new Timer(TimerKind.RENTAL_CLOSE, s.id(), s.upstreamNextMillis())), true);
    }
    return new TimerSync.Due(s.id(), List.of(), true);
  }
}
