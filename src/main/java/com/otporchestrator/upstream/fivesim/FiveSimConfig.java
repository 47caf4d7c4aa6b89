package com.otporchestrator.upstream.fivesim;

import java.time.Duration;

/** One 5sim account: {@code baseUrl} up to and including {@code /v1} (e.g. {@code https://5sim.net/v1}). */
public record FiveSimConfig(String id, String baseUrl, String apiKey, Duration requestTimeout) {
  public FiveSimConfig {
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }
}
