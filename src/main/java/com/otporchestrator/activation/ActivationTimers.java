package com.otporchestrator.activation;

import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.timer.TimerService;
import com.otporchestrator.timer.TimerSync;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps an order's timers in line with its row ({@link TimerSync}): its expiry while it is open, its
 * supplier close while closing, its polls. A failure here is logged and left to the PostgreSQL sweep;
 * it never fails the customer's request.
 */
public final class ActivationTimers {
  static final long FIRST_POLL_DELAY_MS = 2_000;

  private final TimerSync sync;

  public ActivationTimers(ActivationRepository activations, TimerService timers) {
    this.sync = new TimerSync(timers, TimerKind.EXPIRE, "orders",
        ids -> activations.timerStates(ids).map(states -> states.stream().map(ActivationTimers::due).toList()));
  }

  public Future<Void> sync(long id) {
    return sync.sync(id);
  }

  public Future<Void> syncAll(List<Long> ids) {
    return sync.syncAll(ids);
  }

  /**
   * Arms the allocation watchdog of orders just held: their expiry timer at the allocation deadline, one pipelined call
   * for them all. Opening an order moves the same timer to its window's end ({@link #expiry}).
   */
  public Future<Void> watchdogs(List<Optional<ActivationRepository.Created>> created) {
    List<Timer> due = new ArrayList<>(created.size());
    for (Optional<ActivationRepository.Created> order : created) {
      order.ifPresent(c -> due.add(new Timer(TimerKind.EXPIRE, c.id(), c.watchdogMillis())));
    }
    return due.isEmpty() ? Future.succeededFuture() : sync.scheduleAll(due);
  }

  /** Schedules the end of a freshly opened order's window (it replaces the order's watchdog). */
  public Future<Void> expiry(Activation order) {
    return sync.schedule(new Timer(TimerKind.EXPIRE, order.id(), Timer.dueMillis(order.expiresAt().toInstant())));
  }

  /** Schedules the supplier close, due now, of orders just closed (their row says CLOSING, due now). */
  public Future<Void> closeNow(List<Long> ids) {
    if (ids.isEmpty()) return Future.succeededFuture();
    long now = System.currentTimeMillis();
    return sync.scheduleAll(ids.stream().map(id -> new Timer(TimerKind.CLOSE, id, now)).toList());
  }

  /** Schedules the first poll of a freshly allocated order of a polled supplier. */
  public Future<Void> firstPoll(long id) {
    return sync.schedule(new Timer(TimerKind.POLL, id, System.currentTimeMillis() + FIRST_POLL_DELAY_MS));
  }

  /** An open order expires at its window's end; a closing one is closed with its supplier; a closed one expires no more. */
  private static TimerSync.Due due(TimerState s) {
    List<Timer> list = new ArrayList<>(2);
    if (s.state().open()) list.add(new Timer(TimerKind.EXPIRE, s.id(), s.expiresMillis()));
    if ("CLOSING".equals(s.upstreamState()) && s.upstreamNextMillis() != null) {
      list.add(new Timer(TimerKind.CLOSE, s.id(), s.upstreamNextMillis()));
    }
    return new TimerSync.Due(s.id(), list, !s.state().open());
  }
}
