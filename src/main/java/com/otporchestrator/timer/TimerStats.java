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
    metrics.counter("otp.timer.batches.failed", "Claimed batches that failed or timed out (the reaper re-queues them)",
        failedBatches);
    metrics.counter("otp.timers.requeued", "Timers re-queued from expired leases by the reaper", reaped);
    metrics.counter("otp.timer.sweep.found", "Overdue timers the PostgreSQL sweep found and fired (Redis missed them)", swept);
    metrics.counter("otp.timers.reseeded", "Timers re-seeded into Redis from PostgreSQL after the index was lost", reseeded);
    onLateness((kind, millis) -> metrics.meters().timerLateness(Meters.label(kind), millis));
  }
}
