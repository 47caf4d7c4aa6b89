package com.otporchestrator.upstream.smsactivate;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * One sms-activate compatible upstream. {@code upstreamZone} is the zone of the upstream's zone-less
 * timestamps ("2026-04-26 19:57:12"); the sms-activate family reports Moscow time.
 */
public record SmsActivateConfig(String id, String baseUrl, String apiKey, Duration requestTimeout,
                                ZoneId upstreamZone) {
  public static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final String HANDLER_PATH = "/stubs/handler_api.php";

  public SmsActivateConfig {
    requireText(id, "id");
    requireText(baseUrl, "baseUrl");
    requireText(apiKey, "apiKey");
    baseUrl = baseUrl.strip().replaceAll("/+$", "");
    requestTimeout = requestTimeout == null ? DEFAULT_TIMEOUT : requestTimeout;
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
    upstreamZone = upstreamZone == null ? MOSCOW : upstreamZone;
  }

  public SmsActivateConfig(String id, String baseUrl, String apiKey, Duration requestTimeout) {
    this(id, baseUrl, apiKey, requestTimeout, MOSCOW);
  }

  public String endpoint() {
    return baseUrl + HANDLER_PATH;
  }

  /** Never prints the key: configs end up in logs. */
  @Override
  public String toString() {
    return "SmsActivateConfig[id=" + id + ", baseUrl=" + baseUrl + ", apiKey=***, requestTimeout="
        + requestTimeout + ", upstreamZone=" + upstreamZone + "]";
  }

  private static void requireText(String value, String name) {
    if (Objects.requireNonNull(value, name + " is required").isBlank()) {
      throw new IllegalArgumentException(name + " is blank");
    }
  }
}
