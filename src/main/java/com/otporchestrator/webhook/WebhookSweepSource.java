package com.otporchestrator.webhook;

import com.otporchestrator.timer.SweepSource;
import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerKind;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * PostgreSQL's view of the webhook timers: pending events whose next attempt is overdue (a
 * schedule lost between the SMS commit and Redis, or a pod that died mid-post), and every pending
 * event, to re-seed a Redis that lost its index.
 */
public final class WebhookSweepSource implements SweepSource {
  private final WebhookRepository repository;

  public WebhookSweepSource(WebhookRepository repository) {
    this.repository = repository;
  }

  @Override
  public TimerKind kind() {
    return TimerKind.WEBHOOK;
  }

  @Override
  public Future<List<Long>> overdue(Duration grace, int limit) {
    return repository.overdue(grace, limit);
  }

  @Override
  public Future<List<Timer>> live(long afterId, int limit) {
    return repository.live(afterId, limit)
        .map(rows -> rows.stream().map(r -> new Timer(TimerKind.WEBHOOK, r[0], r[1])).toList());
  }
}
