package com.otporchestrator.activation;

import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.timer.TimerService;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an order's timers in line with its row: reads where each order stands in PostgreSQL and
 * schedules its expiry, its supplier close and its polls accordingly. A failure here is logged and
 * left to the PostgreSQL sweep; it never fails the customer's request.
 */
public final class ActivationTimers {
  private static final Logger LOG = LoggerFactory.getLogger(ActivationTimers.class);
  static final long FIRST_POLL_DELAY_MS = 2_000;

  private final ActivationRepository activations;
  private final TimerService timers;

  public ActivationTimers(ActivationRepository activations, TimerService timers) {
    this.activations = activations;
    this.timers = timers;
  }

  public Future<Void> sync(long id) {
    return syncAll(List.of(id));
  }

  public Future<Void> syncAll(List<Long> ids) {
    if (ids.isEmpty()) return Future.succeededFuture();
    return activations.timerStates(ids).compose(states -> {
      List<Timer> due = new ArrayList<>();
      List<Long> closed = new ArrayList<>();
      for (TimerState s : states) {
        due.addAll(timersFor(s));
        if (!s.state().open()) closed.add(s.id());
      }
      return Future.all(timers.scheduleAll(due), timers.cancelAll(TimerKind.EXPIRE, closed)).<Void>mapEmpty();
    }).recover(error -> {
      LOG.warn("could not schedule timers of {} orders; the sweep will catch them: {}", ids.size(), error.toString());
      return Future.succeededFuture();
    });
  }

  /** Schedules the end of a freshly opened order's window. */
  public Future<Void> expiry(Activation order) {
    return timers.schedule(new Timer(TimerKind.EXPIRE, order.id(), order.expiresAt().toInstant().toEpochMilli()))
        .recover(error -> {
          LOG.warn("could not schedule the expiry of order {}; the sweep will catch it: {}", order.id(), error.toString());
          return Future.succeededFuture();
        });
  }

  /** Schedules the first poll of a freshly allocated order of a polled supplier. */
  public Future<Void> firstPoll(long id) {
    return timers.schedule(new Timer(TimerKind.POLL, id, System.currentTimeMillis() + FIRST_POLL_DELAY_MS))
        .recover(error -> Future.succeededFuture());
  }

  private static List<Timer> timersFor(TimerState s) {
    List<Timer> list = new ArrayList<>(2);
    if (s.state().open()) list.add(new Timer(TimerKind.EXPIRE, s.id(), s.expiresMillis()));
    if ("CLOSING".equals(s.upstreamState()) && s.upstreamNextMillis() != null) {
      list.add(new Timer(TimerKind.CLOSE, s.id(), s.upstreamNextMillis()));
    }
    return list;
  }
}
