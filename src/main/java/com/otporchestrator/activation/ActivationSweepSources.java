package com.otporchestrator.activation;

import com.otporchestrator.timer.SweepSource;
import com.otporchestrator.timer.TimerKind;
import java.util.List;

/** PostgreSQL's view of every activation timer, for the sweep and for re-seeding Redis. */
public final class ActivationSweepSources {
  private ActivationSweepSources() {}

  public static List<SweepSource> of(ActivationRepository activations) {
    return List.of(
        byDeadline(activations, TimerKind.EXPIRE, ActivationSql.OVERDUE_OPEN, ActivationSql.LIVE_EXPIRIES),
        byDeadline(activations, TimerKind.CLOSE, ActivationSql.OVERDUE_CLOSES, ActivationSql.LIVE_CLOSES),
        source(activations, TimerKind.POLL, ActivationSql.OVERDUE_POLLS, ActivationSql.LIVE_POLLS));
  }

  /** Expiries and closes are rebuilt earliest deadline first, so a Redis that lost them fires the due ones first. */
  private static SweepSource byDeadline(ActivationRepository activations, TimerKind kind, String overdueSql, String liveSql) {
    return SweepSource.byDeadline(kind, (grace, limit) -> activations.ids(overdueSql, grace.toMillis(), limit),
        (afterDueMicros, afterId, limit) -> activations.idsWithDueAfter(liveSql, afterDueMicros, afterId, limit));
  }

  private static SweepSource source(ActivationRepository activations, TimerKind kind, String overdueSql, String liveSql) {
    return SweepSource.of(kind, (grace, limit) -> activations.ids(overdueSql, grace.toMillis(), limit),
        (afterId, limit) -> activations.idsWithDue(liveSql, afterId, limit));
  }
}
