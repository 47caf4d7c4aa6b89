package com.otporchestrator.ratelimit;

/**
 * One rate-limit decision: allowed or not, and what the RateLimit-* headers should say ({@code refillPerSecond} is the
 * plan's refill rate, 0 when unknown).
 */
public record Decision(boolean allowed, int limit, long remaining, long retryAfterMillis, long resetMillis,
                       double refillPerSecond) {
  static Decision unlimited(int limit) {
    return new Decision(true, limit, limit, 0, 0, 0);
  }
}
