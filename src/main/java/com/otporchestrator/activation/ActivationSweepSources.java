package com.otporchestrator.activation;

import com.otporchestrator.timer.SweepSource;
import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerKind;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/** PostgreSQL's view of every activation timer, for the sweep and for re-seeding Redis. */
public final class ActivationSweepSources {
  private ActivationSweepSources() {}

  public static List<SweepSource> of(ActivationRepository activations) {
    return List.of(
        source(activations, TimerKind.EXPIRE, ActivationSql.OVERDUE_OPEN, ActivationSql.LIVE_EXPIRIES),
        source(activations, TimerKind.CLOSE, ActivationSql.OVERDUE_CLOSES, ActivationSql.LIVE_CLOSES),
        source(activations, TimerKind.POLL, ActivationSql.OVERDUE_POLLS, ActivationSql.LIVE_POLLS));
  }

  private static SweepSource source(ActivationRepository activations, TimerKind kind, String overdueSql, String liveSql) {
    return new SweepSource() {
      @Override
      public TimerKind kind() {
        return kind;
      }

      @Override
      public Future<List<Long>> overdue(Duration grace, int limit) {
        return activations.ids(overdueSql, grace.toMillis(), limit);
      }

      @Override
      public Future<List<Timer>> live(long afterId, int limit) {
        return activations.idsWithDue(liveSql, afterId, limit)
            .map(rows -> rows.stream().map(r -> new Timer(kind, r[0], r[1])).toList());
      }
    };
  }
}
