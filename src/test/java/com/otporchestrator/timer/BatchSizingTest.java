package com.otporchestrator.timer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The internal lane's sizing, fed batch outcomes as the engine feeds it (no clock: each outcome is given). */
@DisplayName("Batch sizing adapts to what the database sustains")
class BatchSizingTest {

  @Test
  @DisplayName("grows the batch and the batches in flight while full batches come back fast, up to the maxima")
  void growsUnderABacklogOfFastBatches() {
    BatchSizing sizing = BatchSizing.adaptive(256, 2000, 4, 16);
    for (int i = 0; i < 200; i++) sizing.finished(sizing.batchSize(), true, 40, true);
    assertThat(sizing.batchSize()).isEqualTo(2000);
    assertThat(sizing.inFlight()).isEqualTo(16);
  }

  @Test
  @DisplayName("falls back when batches slow down, but never below where it started")
  void fallsBackWhenBatchesSlowDown() {
    BatchSizing sizing = BatchSizing.adaptive(256, 2000, 4, 16);
    for (int i = 0; i < 200; i++) sizing.finished(sizing.batchSize(), true, 40, true);
    for (int i = 0; i < 200; i++) sizing.finished(sizing.batchSize(), true, 40L * sizing.batchSize(), true);
    assertThat(sizing.batchSize()).isEqualTo(256);
    assertThat(sizing.inFlight()).isEqualTo(4);
  }

  @Test
  @DisplayName("returns to its smallest batch when claims come back partly empty (no backlog), and a fixed sizing never moves")
  void shrinksWithoutABacklog() {
    BatchSizing sizing = BatchSizing.adaptive(256, 2000, 4, 16);
    for (int i = 0; i < 10; i++) sizing.finished(sizing.batchSize(), true, 40, true);
    assertThat(sizing.batchSize()).isGreaterThan(256);
    for (int i = 0; i < 10; i++) sizing.finished(30, false, 5, false);
    assertThat(sizing.batchSize()).isEqualTo(256);

    BatchSizing fixed = BatchSizing.fixed(64, 8);
    for (int i = 0; i < 50; i++) fixed.finished(64, true, 10, true);
    assertThat(fixed.batchSize()).isEqualTo(64);
    assertThat(fixed.inFlight()).isEqualTo(8);
  }
}
