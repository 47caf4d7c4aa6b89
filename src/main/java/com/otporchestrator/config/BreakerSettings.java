package com.otporchestrator.config;

import java.time.Duration;

/**
 * When a supplier's circuit breaker opens: {@code consecutiveFailures} failed calls in a row, or a
 * failure rate of at least {@code failureRate} over the last {@code windowCalls} calls once there are
 * {@code minCalls} of them. It stays open for {@code openFor}, then lets one probe through (half-open).
 */
public record BreakerSettings(int windowCalls, int minCalls, double failureRate, int consecutiveFailures,
                              Duration openFor) {
  public static BreakerSettings defaults() {
    return new BreakerSettings(20, 10, 0.5, 5, Duration.ofSeconds(30));
  }
}
