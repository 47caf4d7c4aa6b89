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

  /**
   * The live timers after {@code after}, earliest deadline first (then id), at most {@code limit}: a rebuild
   * serves what is due first. A source that cannot read its timers in deadline order pages by id (the default).
   */
  default Future<List<Live>> liveByDeadline(Live after, int limit) {
    return live(after.id(), limit).map(timers -> timers.stream().map(t -> new Live(t.id(), t.dueMillis() * 1_000)).toList());
  }

  /** A live timer as PostgreSQL has it: its id and deadline in epoch microseconds (a rebuild's exact cursor). */
  record Live(long id, long dueMicros) {
    /** Before every timer: where a rebuild starts. */
    public static final Live FIRST = new Live(0, Long.MIN_VALUE);

    /** The timer of {@code kind}, due at the first millisecond not before its deadline (never early). */
    Timer timer(TimerKind kind) {
      return new Timer(kind, id, Math.floorDiv(dueMicros + 999, 1_000));
    }
  }

  /** A feature's query of the ids overdue by more than a grace, at most {@code limit}. */
  interface OverdueQuery {
    Future<List<Long>> ids(Duration grace, int limit);
  }

  /** A feature's query of live timers after an id, as (id, due epoch ms) pairs in id order. */
  interface LiveQuery {
    Future<List<long[]>> idsWithDue(long afterId, int limit);
  }

  /**
   * A feature's query of live timers after (deadline, id), as (id, due epoch µs) pairs in deadline order, then id;
   * {@code afterDueMicros} is {@link Long#MIN_VALUE} for the first page.
   */
  interface DeadlineQuery {
    Future<List<long[]>> idsWithDue(long afterDueMicros, long afterId, int limit);
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

  /** The sweep source of {@code kind} whose live timers are read in deadline order. */
  static SweepSource byDeadline(TimerKind kind, OverdueQuery overdue, DeadlineQuery live) {
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
      public Future<List<Live>> liveByDeadline(Live after, int limit) {
        return live.idsWithDue(after.dueMicros(), after.id(), limit)
            .map(rows -> rows.stream().map(r -> new Live(r[0], r[1])).toList());
      }

      @Override
      public Future<List<Timer>> live(long afterId, int limit) {
        return Future.failedFuture(new UnsupportedOperationException(kind + " timers are read in deadline order"));
      }
    };
  }
}
