package com.otporchestrator.timer;

/**
 * How many batches a lane keeps applying at once and how many timers each claims, adapted to what the stores
 * answer (a gradient limit, as in TCP Vegas): while batches come back as fast as the fastest seen lately, more of them
 * and larger ones are allowed; when their time grows (PostgreSQL or the CPU is the limit, or batches wait on each
 * other's row locks), the limit falls back towards what they sustain. Only a lane with a backlog (full batches) grows.
 * One instance per lane, used on the engine's event loop only.
 */
final class BatchSizing {
  /** A batch is "slow" past this: the size stops growing, and shrinks when four times over. */
  static final long TARGET_BATCH_MILLIS = 1_000;

  private final int minBatch;
  private final int maxBatch;
  private final int minInFlight;
  private final int maxInFlight;
  private final boolean adaptive;
  private double inFlight;
  private int batchSize;
  private double fastestMillis = Double.MAX_VALUE;
  private double averageMillis = -1;
  private long batches;

  /** A fixed sizing: {@code inFlight} batches of {@code batchSize}. */
  static BatchSizing fixed(int batchSize, int inFlight) {
    return new BatchSizing(batchSize, batchSize, inFlight, inFlight, false);
  }

  /**
   * Starts at {@code startInFlight} batches of {@code minBatch}, adapting up to the maxima and never below the start:
   * what the stores sustained before adapting stays the floor, so adapting only ever adds.
   */
  static BatchSizing adaptive(int minBatch, int maxBatch, int startInFlight, int maxInFlight) {
    return new BatchSizing(minBatch, Math.max(minBatch, maxBatch), Math.min(startInFlight, maxInFlight), maxInFlight, true);
  }

  private BatchSizing(int minBatch, int maxBatch, int startInFlight, int maxInFlight, boolean adaptive) {
    this.minBatch = Math.max(1, minBatch);
    this.maxBatch = maxBatch;
    this.maxInFlight = Math.max(1, maxInFlight);
    this.adaptive = adaptive;
    this.inFlight = Math.max(1, startInFlight);
    this.minInFlight = (int) this.inFlight;
    this.batchSize = this.minBatch;
  }

  int inFlight() {
    return (int) Math.floor(inFlight);
  }

  int batchSize() {
    return batchSize;
  }

  /**
   * One batch finished: {@code size} timers in {@code millis}; {@code full} when its claim took as many as it asked
   * for (more were due), {@code saturated} when every slot was busy as it finished.
   */
  void finished(int size, boolean full, long millis, boolean saturated) {
    if (!adaptive) return;
    batches++;
    double perTimer = Math.max(0.001, millis) / Math.max(1, size);
    averageMillis = averageMillis < 0 ? perTimer : 0.8 * averageMillis + 0.2 * perTimer;
    // forget the fastest slowly, so a lasting change of conditions is learnt
    fastestMillis = Math.min(fastestMillis * 1.02, perTimer);
    double gradient = Math.max(0.5, Math.min(1.0, fastestMillis / averageMillis));
    double target = inFlight * gradient + (full && saturated ? Math.sqrt(inFlight) : 0);
    inFlight = Math.max(minInFlight, Math.min(maxInFlight, 0.8 * inFlight + 0.2 * target));
    if (full && millis < TARGET_BATCH_MILLIS) {
      batchSize = Math.min(maxBatch, batchSize * 2);
    } else if (millis > 4 * TARGET_BATCH_MILLIS || !full) {
      batchSize = Math.max(minBatch, batchSize / 2);
    }
  }

  @Override
  public String toString() {
    return inFlight() + " x " + batchSize + " (after " + batches + " batches)";
  }
}
