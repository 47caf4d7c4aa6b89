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

  void recordLateness(long millis) {
    maxLatenessMillis.accumulateAndGet(millis, Math::max);
  }
}
