package com.otporchestrator.routing;

import com.otporchestrator.config.BreakerSettings;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.upstream.UpstreamException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A supplier's circuit breaker")
class CircuitBreakerTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final List<String> opened = new ArrayList<>();
  private final ProviderHealth health = healthWith(new BreakerSettings(10, 4, 0.5, 3, Duration.ofSeconds(30)));

  private ProviderHealth healthWith(BreakerSettings settings) {
    ProviderHealth h = new ProviderHealth(settings, now::get);
    h.onOpen(opened::add);
    return h;
  }

  private static final RuntimeException UNKNOWN = new UpstreamException.UnknownOutcome("p", "HTTP 500", null);

  @Test
  @DisplayName("opens after N consecutive failures, and tells its listener once")
  void opensOnConsecutiveFailures() {
    health.record("p", UNKNOWN, 10);
    health.record("p", UNKNOWN, 10);
    assertThat(health.admits("p")).isTrue();
    health.record("p", UNKNOWN, 10);
    assertThat(health.admits("p")).isFalse();
    assertThat(health.state("p")).isEqualTo("OPEN");
    health.record("p", UNKNOWN, 10);
    assertThat(opened).containsExactly("p");
  }

  @Test
  @DisplayName("opens on the failure rate of its window once it has enough calls, even without a streak")
  void opensOnFailureRate() {
    for (int i = 0; i < 2; i++) {
      health.record("p", null, 5);
      health.record("p", UNKNOWN, 5);
    }
    assertThat(health.state("p")).as("2 of 4 failed: 50%").isEqualTo("OPEN");
  }

  @Test
  @DisplayName("treats NO_NUMBERS and definite refusals as a supplier that answers")
  void noNumbersAndRefusalsAreHealthy() {
    for (int i = 0; i < 10; i++) {
      health.record("p", new UpstreamException.NoNumbers("p"), 5);
      health.record("p", new UpstreamException.Rejected("p", "CHANNELS_LIMIT"), 5);
    }
    assertThat(health.state("p")).isEqualTo("CLOSED");
    assertThat(health.view().getJsonObject(0).getInteger("windowFailures")).isZero();
  }

  @Test
  @DisplayName("after its cool-down lets exactly one probe through; a good probe closes it, a bad one opens it again")
  void halfOpenProbe() {
    for (int i = 0; i < 3; i++) health.record("p", UNKNOWN, 10);
    now.addAndGet(29_999);
    assertThat(health.admits("p")).as("still cooling down").isFalse();
    now.addAndGet(1);
    assertThat(health.admits("p")).as("the probe").isTrue();
    assertThat(health.state("p")).isEqualTo("HALF_OPEN");
    assertThat(health.admits("p")).as("one probe at a time").isFalse();
    health.record("p", UNKNOWN, 10);
    assertThat(health.state("p")).isEqualTo("OPEN");
    assertThat(opened).containsExactly("p", "p");

    now.addAndGet(30_000);
    assertThat(health.admits("p")).isTrue();
    health.record("p", null, 10);
    assertThat(health.state("p")).isEqualTo("CLOSED");
    assertThat(health.admits("p")).isTrue();
  }

  @Test
  @DisplayName("counts timeouts and latency in its view")
  void viewCountsTimeoutsAndLatency() {
    health.record("p", new UpstreamException.UnknownOutcome("p", "no reply", new TimeoutException("took too long")), 1000);
    health.record("p", null, 200);
    var view = health.view().getJsonObject(0);
    assertThat(view.getInteger("windowTimeouts")).isEqualTo(1);
    assertThat(view.getLong("latencyAvgMs")).isEqualTo(600);
    assertThat(view.getLong("latencyMaxMs")).isEqualTo(1000);
    assertThat(view.getDouble("errorRate")).isEqualTo(0.5);
  }
}
