package com.otporchestrator.webhook;

import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.timer.TimerService;
import io.vertx.core.Future;
import java.util.List;

/**
 * Arms the first attempt of events written where no code can schedule them (the state-change triggers of the order
 * tables): every run reads the pending events after the last one it saw, in id order, and puts their timers at their
 * due time, a batch of statements' worth at once, so the order statements pay no extra round trip. It re-reads a
 * margin of ids before its mark, since ids are drawn before their transaction commits; what it still misses, the
 * webhook sweep source finds after its grace. Arming an event twice is harmless (one timer per event).
 */
final class WebhookPickup {
  private static final int BATCH = 1_000;
  private static final long MARGIN = 500;

  private final WebhookRepository repository;
  private final TimerService timers;
  private long seen;

  WebhookPickup(WebhookRepository repository, TimerService timers) {
    this.repository = repository;
    this.timers = timers;
  }

  Future<Void> run() {
    long from = Math.max(0, seen - MARGIN);
    return repository.pendingAfter(from, BATCH).compose(pending -> {
      if (pending.isEmpty()) return Future.succeededFuture();
      List<Timer> due = pending.stream().map(p -> new Timer(TimerKind.WEBHOOK, p[0], p[1])).toList();
      long last = pending.get(pending.size() - 1)[0];
      return timers.scheduleAll(due).onSuccess(v -> seen = Math.max(seen, last)).mapEmpty();
    });
  }
}
