package com.otporchestrator.routing;

import com.otporchestrator.config.BreakerSettings;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * One supplier's health as this process saw it: a ring of its last calls (failed or not, latency,
 * timed out or not) and a breaker. CLOSED routes; OPEN does not, until {@code openFor} passed;
 * HALF_OPEN lets one purchase through as a probe and the next call result decides. Synchronized:
 * calls complete on every event loop, and each critical section is a few field updates.
 */
final class CircuitBreaker {
  enum State { CLOSED, OPEN, HALF_OPEN }

  private final String providerId;
  private final BreakerSettings settings;
  private final LongSupplier clock;
  private final boolean[] failed;
  private final boolean[] timedOut;
  private final long[] latencyMillis;
  private int size;
  private int next;
  private int consecutiveFailures;
  private long totalCalls;
  private long totalFailures;
  private State state = State.CLOSED;
  private long openedAt;
  private long probeStartedAt = -1;
  private String lastError;

  CircuitBreaker(String providerId, BreakerSettings settings, LongSupplier clock) {
    this.providerId = providerId;
    this.settings = settings;
    this.clock = clock;
    this.failed = new boolean[settings.windowCalls()];
    this.timedOut = new boolean[settings.windowCalls()];
    this.latencyMillis = new long[settings.windowCalls()];
  }

  /** Records one call; answers true when this call opened the breaker (closed or half-open before). */
  synchronized boolean record(boolean failure, boolean timeout, long millis, String error) {
    failed[next] = failure;
    timedOut[next] = timeout;
    latencyMillis[next] = millis;
    next = (next + 1) % failed.length;
    size = Math.min(size + 1, failed.length);
    totalCalls++;
    if (failure) {
      totalFailures++;
      consecutiveFailures++;
      lastError = error;
    } else {
      consecutiveFailures = 0;
    }
    return switch (state) {
      case OPEN -> false; // results while open are kept for the view but decide nothing
      case HALF_OPEN -> {
        probeStartedAt = -1;
        if (failure) yield open();
        state = State.CLOSED;
        yield false;
      }
      case CLOSED -> failure && tripped() && open();
    };
  }

  private boolean tripped() {
    if (consecutiveFailures >= settings.consecutiveFailures()) return true;
    return size >= settings.minCalls() && failures() >= settings.failureRate() * size;
  }

  private boolean open() {
    state = State.OPEN;
    openedAt = clock.getAsLong();
    return true;
  }

  /**
   * May a purchase go to this supplier now? An open breaker whose cool-down passed turns half-open
   * and admits one probe at a time (a probe that never reported back is replaced after the cool-down).
   */
  synchronized boolean admits() {
    long now = clock.getAsLong();
    if (state == State.OPEN && now - openedAt >= settings.openFor().toMillis()) state = State.HALF_OPEN;
    if (state == State.CLOSED) return true;
    if (state == State.OPEN) return false;
    if (probeStartedAt >= 0 && now - probeStartedAt < settings.openFor().toMillis()) return false;
    probeStartedAt = now;
    return true;
  }

  synchronized State state() {
    return state;
  }

  private int failures() {
    int n = 0;
    for (int i = 0; i < size; i++) if (failed[i]) n++;
    return n;
  }

  synchronized JsonObject view() {
    int timeouts = 0;
    long latencySum = 0;
    long latencyMax = 0;
    for (int i = 0; i < size; i++) {
      if (timedOut[i]) timeouts++;
      latencySum += latencyMillis[i];
      latencyMax = Math.max(latencyMax, latencyMillis[i]);
    }
    int failures = failures();
    return new JsonObject().put("provider", providerId).put("breaker", state.name())
        .put("openedAt", state == State.CLOSED ? null : Instant.ofEpochMilli(openedAt).toString())
        .put("windowCalls", size).put("windowFailures", failures).put("windowTimeouts", timeouts)
        .put("errorRate", size == 0 ? 0.0 : Math.round(1000.0 * failures / size) / 1000.0)
        .put("latencyAvgMs", size == 0 ? 0 : latencySum / size).put("latencyMaxMs", latencyMax)
        .put("consecutiveFailures", consecutiveFailures).put("totalCalls", totalCalls)
        .put("totalFailures", totalFailures).put("lastError", lastError);
  }
}
