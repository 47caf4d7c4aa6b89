package com.otporchestrator.timer;

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
}
