package com.otporchestrator.activation;

import com.otporchestrator.timer.TimerHandler;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fires when orders' windows end: resolves every due one in one transaction, then schedules the
 * supplier close of each order it closed (EXPIRE_LOCKED set it due now: no need to read the row back)
 * and re-syncs only the orders it did not close (their deadline moved, for instance because their
 * allocation completed after the watchdog was set, or another path closed them first).
 */
public final class ExpiryHandler implements TimerHandler {
  private final ActivationRepository activations;
  private final ActivationTimers timers;
  private final OrderEvents events;

  public ExpiryHandler(ActivationRepository activations, ActivationTimers timers, OrderEvents events) {
    this.activations = activations;
    this.timers = timers;
    this.events = events;
  }

  @Override
  public Future<Void> fire(List<Long> ids) {
    return activations.expireDue(ids).compose(batch -> {
      events.changedAll(batch.closed());
      Set<Long> closed = new HashSet<>(batch.closed());
      List<Long> notClosed = ids.stream().filter(id -> !closed.contains(id)).toList();
      return Future.all(timers.closeNow(batch.closing()), timers.syncAll(notClosed)).mapEmpty();
    });
  }
}
