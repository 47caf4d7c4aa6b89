package com.otporchestrator.timer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records which engine fired which timer, for the "several engines, every timer exactly once" tests.
 * Each engine's handler takes a few milliseconds per batch, like a PostgreSQL apply.
 */
final class FiringRecorder {
  private final Map<Long, AtomicInteger> total = new ConcurrentHashMap<>();
  private final List<Set<Long>> perEngine = new ArrayList<>();

  /** A handler for one more engine. */
  TimerHandler newEngine() {
    Set<Long> mine = ConcurrentHashMap.newKeySet();
    perEngine.add(mine);
    return batch -> {
      for (long id : batch) {
        mine.add(id);
        total.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      }
      Promise<Void> done = Promise.promise();
      Vertx.currentContext().owner().setTimer(1 + ThreadLocalRandom.current().nextInt(5), t -> done.complete());
      return done.future();
    };
  }

  int distinctFired() {
    return total.size();
  }

  List<Integer> claimsPerEngine() {
    return perEngine.stream().map(Set::size).toList();
  }

  /** Every timer fired once, every engine took part, and no timer was claimed by two engines. */
  Set<Long> assertEachFiredOnceByOneEngine(int expected) {
    assertThat(total).hasSize(expected);
    assertThat(total.values()).as("fires per id").allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    Set<Long> union = new HashSet<>();
    for (Set<Long> mine : perEngine) {
      assertThat(mine).as("every engine took part").isNotEmpty();
      for (long id : mine) assertThat(union.add(id)).as("id %d claimed by two engines", id).isTrue();
    }
    assertThat(union).hasSize(expected);
    return union;
  }
}
