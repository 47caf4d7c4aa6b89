package com.otporchestrator.console;

import com.otporchestrator.ledger.Invariants;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether any money invariant is violated, for the red banner on every console page: the ledger's own check, run at
 * most once per {@link #TTL_MS} per process (it sums the ledger; a page view must not), the last answer shared.
 */
final class InvariantWatch {
  static final long TTL_MS = 2_000;

  /** The violated invariants, by name, with their counts; empty when all hold. */
  record State(Map<String, Long> violated) {
    boolean broken() {
      return !violated.isEmpty();
    }
  }

  private final Invariants invariants;
  private volatile State last = new State(Map.of());
  private volatile long checkedAt;
  private volatile Future<State> running;

  InvariantWatch(Invariants invariants) {
    this.invariants = invariants;
  }

  Future<State> state() {
    long now = System.currentTimeMillis();
    if (checkedAt != 0 && now - checkedAt < TTL_MS) return Future.succeededFuture(last);
    Future<State> current = running;
    if (current != null) return current;
    Future<State> started = invariants.check().map(InvariantWatch::violated).onComplete(done -> {
      if (done.succeeded()) {
        last = done.result();
        checkedAt = System.currentTimeMillis();
      }
      running = null;
    }).recover(error -> Future.succeededFuture(last));
    running = started;
    return started;
  }

  private static State violated(JsonObject result) {
    Map<String, Long> violated = new TreeMap<>();
    result.getJsonObject("violations").forEach(e -> {
      long count = ((Number) e.getValue()).longValue();
      if (count != 0) violated.put(e.getKey(), count);
    });
    return new State(violated);
  }
}
