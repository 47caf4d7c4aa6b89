package com.otporchestrator.timer;

import com.otporchestrator.metrics.Meters;
import com.otporchestrator.metrics.NodeMetrics;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the timer engine, shared by every engine instance of a process. */
public final class TimerStats {
  public final LongAdder claimed = new LongAdder();
  public final LongAdder applied = new LongAdder();
  public final LongAdder failedBatches = new LongAdder();
  public final LongAdder reaped = new LongAdder();
  public final LongAdder swept = new LongAdder();
  public final LongAdder reseeded = new LongAdder();
  /** Batches that passed their deadline; their unfinished timers went back to the due set. */
  public final LongAdder pastDeadline = new LongAdder();
  /** Timers sent back to the due set by their batch (failed, or unfinished at the deadline). */
  public final LongAdder retried = new LongAdder();
  /** Sleeping lanes woken early because a timer was scheduled before their next look. */
  public final LongAdder wakeUps = new LongAdder();
  /** Index rebuilds started because a claim found a shard's seeded marker gone. */
  public final LongAdder rebuilds = new LongAdder();
  public final AtomicLong maxLatenessMillis = new AtomicLong();
  private volatile LatenessListener latenessListener = (kind, millis) -> {};

  /** Receives each claimed timer's lateness (Redis time at claim minus due time), for the histogram. */
  @FunctionalInterface
  public interface LatenessListener {
    void lateness(TimerKind kind, long millis);
  }

  public void onLateness(LatenessListener listener) {
    this.latenessListener = listener;
  }

  void recordLateness(TimerKind kind, long millis) {
    maxLatenessMillis.accumulateAndGet(millis, Math::max);
    latenessListener.lateness(kind, millis);
  }

  /** Exposes these counters on the node's metrics, and the lateness of each claimed timer as a histogram. */
  public void bindTo(NodeMetrics metrics) {
    metrics.counter("otp.timers.claimed", "Timers claimed from Redis by this process's engines", claimed);
    metrics.counter("otp.timers.applied", "Claimed timers whose batch committed and was acknowledged", applied);
    metrics.counter("otp.timer.batches.failed", "Claimed batches in which some timers failed (they fire again after a pause)",
        failedBatches);
    metrics.counter("otp.timers.requeued", "Timers re-queued from expired leases by the reaper", reaped);
    metrics.counter("otp.timer.sweep.found", "Overdue timers the PostgreSQL sweep found and fired (Redis missed them)", swept);
    metrics.counter("otp.timer.batches.past.deadline",
        "Timer batches that passed their deadline; their unfinished timers went back to the due set", pastDeadline);
    metrics.counter("otp.timers.retried", "Timers sent back to the due set by their batch (failed or unfinished)", retried);
    metrics.counter("otp.timer.wakeups", "Sleeping timer lanes woken early by a timer scheduled before their next look", wakeUps);
    metrics.counter("otp.timer.index.rebuilds", "Timer index rebuilds started when Redis was found to have lost it", rebuilds);
    metrics.counter("otp.timers.reseeded", "Timers re-seeded into Redis from PostgreSQL after the index was lost", reseeded);
    onLateness((kind, millis) -> metrics.meters().timerLateness(Meters.label(kind), millis));
  }
}
