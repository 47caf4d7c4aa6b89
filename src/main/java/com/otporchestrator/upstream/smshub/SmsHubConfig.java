package com.otporchestrator.upstream.smshub;

import java.time.Duration;
import java.util.Objects;

/**
 * One SMSHub-protocol supplier ("agent"): where we call it and the protocol key it expects.
 * {@code requestTimeout} bounds every call; past it the outcome is unknown.
 */
public record SmsHubConfig(String id, String agentUrl, String key, Duration requestTimeout) {
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  public SmsHubConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(agentUrl, "agentUrl");
    Objects.requireNonNull(key, "key");
    requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
  }

  public SmsHubConfig(String id, String agentUrl, String key) {
    this(id, agentUrl, key, DEFAULT_REQUEST_TIMEOUT);
  }

  /** Keeps the key out of logs and toString-based error messages. */
  @Override
  public String toString() {
    return "SmsHubConfig[id=" + id + ", agentUrl=" + agentUrl + ", requestTimeout=" + requestTimeout + "]";
  }
}
