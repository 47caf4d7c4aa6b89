package com.otporchestrator.activation;

import com.otporchestrator.timer.TimerHandler;
import io.vertx.core.Future;
import java.util.List;

/**
 * Fires when orders' windows end: resolves every due one in one transaction, then re-syncs the
 * timers of the whole batch (supplier closes for the closed ones; a new expiry for any order whose
 * deadline moved, for instance because its allocation completed after the watchdog was set).
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
    return activations.expireDue(ids).compose(closed -> {
      events.changedAll(closed);
      return timers.syncAll(ids);
    });
  }
}
