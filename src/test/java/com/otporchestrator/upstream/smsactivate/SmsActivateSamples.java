package com.otporchestrator.upstream.smsactivate;

import java.time.Instant;

/** Shared reply samples for the parser tests. */
final class SmsActivateSamples {
  static final Instant NOW = Instant.parse("2026-04-26T16:57:12Z");
  static final String HTML_502 =
      "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";

  private SmsActivateSamples() {}

  static SmsActivateReply reply(int status, String body) {
    return SmsActivateReply.of(status, body);
  }

  static SmsActivateReply ok(String body) {
    return reply(200, body);
  }
}
