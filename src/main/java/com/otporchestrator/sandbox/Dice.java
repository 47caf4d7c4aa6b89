package com.otporchestrator.sandbox;

import java.util.Random;

/** The sandbox's one seeded source of randomness, so a seed replays the same run. Event-loop confined. */
final class Dice {
  private final Random random;

  Dice(long seed) {
    this.random = new Random(seed);
  }

  /** True with probability {@code rate}; 0 and 1 are exact and draw nothing. */
  boolean roll(double rate) {
    return rate >= 1.0 || (rate > 0.0 && random.nextDouble() < rate);
  }

  int nextInt(int bound) {
    return random.nextInt(bound);
  }
}
