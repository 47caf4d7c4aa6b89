package com.otporchestrator.timer;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * The PostgreSQL safety net for one timer kind: ids whose deadline passed more than {@code grace}
 * ago and that are still open, i.e. timers Redis forgot. They are fired straight from PostgreSQL.
 */
public interface SweepSource {
  TimerKind kind();

  Future<List<Long>> overdue(Duration grace, int limit);

  /** Every live timer of this kind, read from PostgreSQL, to rebuild a Redis that lost its data. */
  Future<List<Timer>> live(long afterId, int limit);
}
