package com.otporchestrator.console;

import com.otporchestrator.common.Money;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the console's templates write amounts and times: formatting only, no rule. */
public final class Show {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private Show() {}

  /** "1.50" from micro-USD. */
  public static String usd(long micros) {
    return Money.format(micros);
  }

  /** A signed amount: "+1.50", "-0.20". */
  public static String signed(long micros) {
    return (micros > 0 ? "+" : "") + Money.format(micros);
  }

  public static String usd(Long micros) {
    return micros == null ? "" : Money.format(micros);
  }

  /** UTC, to the second; empty for none. */
  public static String time(OffsetDateTime t) {
    return t == null ? "" : t.withOffsetSameInstant(ZoneOffset.UTC).format(TIME);
  }

  /** The instant as ISO-8601, for machine-readable attributes. */
  public static String iso(OffsetDateTime t) {
    return t == null ? "" : t.toInstant().toString();
  }

  /** "senior support" from "senior_support", "IN REVIEW" from "IN_REVIEW". */
  public static String words(String code) {
    return code == null ? "" : code.replace('_', ' ');
  }

  /** The CSS badge of a state (the layout's badge colours). */
  public static String badge(String state) {
    if (state == null) return "badge";
    return "badge badge-" + switch (state.toUpperCase()) {
      case "SUBMITTED", "NEEDS_EVIDENCE", "IN_REVIEW", "ESCALATED", "SUSPECTED", "REQUESTED", "WAITING_CODE",
           "ALLOCATING", "WAITING_RETRY", "REFUNDING", "SUSPENDED" -> "pending";
      case "APPROVED", "FINISHED", "DONE", "RELEASED", "PAID", "ACTIVE", "CODE_RECEIVED", "CLOSED" -> "approved";
      case "REJECTED", "FAILED", "DENIED", "TERMINATED", "OPEN", "HALF_OPEN" -> "rejected";
      default -> "expired";
    };
  }
}
