package com.otporchestrator.claim;

import com.otporchestrator.timer.SweepSource;
import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerHandler;
import com.otporchestrator.timer.TimerKind;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/** Claim deadlines on the timer engine: the handler, and PostgreSQL's view for the sweep and re-seeding. */
public final class ClaimDeadlines {
  private ClaimDeadlines() {}

  public static TimerHandler handler(ClaimService claims) {
    return claims::fireDeadlines;
  }

  public static SweepSource sweepSource(ClaimRepository claims) {
    return new SweepSource() {
      @Override
      public TimerKind kind() {
        return TimerKind.CLAIM_DEADLINE;
      }

      @Override
      public Future<List<Long>> overdue(Duration grace, int limit) {
        return claims.overdue(grace.toMillis(), limit);
      }

      @Override
      public Future<List<Timer>> live(long afterId, int limit) {
        return claims.live(afterId, limit);
      }
    };
  }
}
