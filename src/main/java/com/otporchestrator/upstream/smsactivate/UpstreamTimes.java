package com.otporchestrator.upstream.smsactivate;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Upstream timestamps: "yyyy-MM-dd HH:mm:ss" without a zone, ISO with an offset, or epoch seconds. */
final class UpstreamTimes {
  private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private UpstreamTimes() {}

  /** The instant when the text carries its own zone or is epoch seconds; else null. */
  static Instant absolute(String text) {
    if (text == null) return null;
    if (text.matches("\\d{9,11}")) return Instant.ofEpochSecond(Long.parseLong(text));
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static LocalDateTime local(String text) {
    if (text == null) return null;
    try {
      return LocalDateTime.parse(text.replace('T', ' '), SPACED);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Null when unreadable. */
  static Instant parse(String text, ZoneId zone) {
    Instant absolute = absolute(text);
    if (absolute != null) return absolute;
    LocalDateTime local = local(text);
    return local == null ? null : local.atZone(zone).toInstant();
  }
}
