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

  /** A feature's query of the ids overdue by more than a grace, at most {@code limit}. */
  interface OverdueQuery {
    Future<List<Long>> ids(Duration grace, int limit);
  }

  /** A feature's query of live timers after an id, as (id, due epoch ms) pairs in id order. */
  interface LiveQuery {
    Future<List<long[]>> idsWithDue(long afterId, int limit);
  }

  /** The sweep source of {@code kind} made of a feature's two queries. */
  static SweepSource of(TimerKind kind, OverdueQuery overdue, LiveQuery live) {
    return new SweepSource() {
      @Override
      public TimerKind kind() {
        return kind;
      }

      @Override
      public Future<List<Long>> overdue(Duration grace, int limit) {
        return overdue.ids(grace, limit);
      }

      @Override
      public Future<List<Timer>> live(long afterId, int limit) {
        return live.idsWithDue(afterId, limit).map(rows -> rows.stream().map(r -> new Timer(kind, r[0], r[1])).toList());
      }
    };
  }
}
