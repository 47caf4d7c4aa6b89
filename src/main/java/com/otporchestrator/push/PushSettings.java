package com.otporchestrator.push;

import java.time.Duration;

/**
 * Tuning of server-sent event streams: heartbeat period, the fallback re-read that makes up for a
 * lost pub/sub notice, and the caps on concurrent streams per node and per account.
 */
public record PushSettings(Duration heartbeat, Duration fallbackReread, int maxStreamsPerNode, int maxStreamsPerAccount) {
  public static final PushSettings DEFAULTS = new PushSettings(Duration.ofSeconds(15), Duration.ofSeconds(5), 10_000, 100);
}
