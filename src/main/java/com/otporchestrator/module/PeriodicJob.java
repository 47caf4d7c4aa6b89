package com.otporchestrator.module;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Recurring work of a feature. A run must be safe to repeat and to run on several nodes at once
 * (correctness rests on PostgreSQL, never on one node being the only one running it); a run that
 * fails is logged by its owner and retried on the next one.
 *
 * @param first delay before the first run (unused for {@link When#WITH_TIMER_SWEEP})
 * @param every period between runs (unused for {@link When#WITH_TIMER_SWEEP})
 */
public record PeriodicJob(String name, When when, Duration first, Duration every, Supplier<Future<?>> run) {

  /** Where and when a job runs. */
  public enum When {
    /** On every node, whatever its roles (keeps in-memory state of the node fresh). */
    EVERY_NODE,
    /** On nodes with the timers role only, on its own period. */
    TIMERS_NODES,
    /** On nodes with the timers role, after each pass of the timer safety net (housekeeping). */
    WITH_TIMER_SWEEP
  }

  public static PeriodicJob everyNode(String name, Duration first, Duration every, Supplier<Future<?>> run) {
    return new PeriodicJob(name, When.EVERY_NODE, first, every, run);
  }

  public static PeriodicJob timersNodes(String name, Duration first, Duration every, Supplier<Future<?>> run) {
    return new PeriodicJob(name, When.TIMERS_NODES, first, every, run);
  }

  public static PeriodicJob withTimerSweep(String name, Supplier<Future<?>> run) {
    return new PeriodicJob(name, When.WITH_TIMER_SWEEP, Duration.ZERO, Duration.ZERO, run);
  }
}
