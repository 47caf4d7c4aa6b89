package com.otporchestrator.timer;

/**
 * Which of the engine's two lanes fires a kind. Each lane has its own due sets, claims, batches in flight and batch
 * deadline, so work that waits on another party's servers never holds the batches of work that only needs our stores.
 */
public enum TimerLane {
  /** Work on our own stores (PostgreSQL, Redis): fast and bounded; its batches size themselves to the database. */
  INTERNAL(""),
  /** Work that calls out to other services (suppliers): as slow as they are, so it never shares batches with the rest. */
  EXTERNAL("ext:");

  private final String keyInfix;

  TimerLane(String keyInfix) {
    this.keyInfix = keyInfix;
  }

  /** What the lane's key names carry after the shard tag ("" for the internal lane, whose keys predate lanes). */
  String keyInfix() {
    return keyInfix;
  }

  /** A short label for logs and metrics. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
