package com.otporchestrator.common;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Money is a long count of micro-USD (1 USD = 1,000,000). Conversions to and from decimal text
 * live here so that no other class ever touches floating point.
 */
public final class Money {
  public static final long MICROS_PER_USD = 1_000_000L;
  private static final int SCALE = 6;
  /** Plain ASCII digits with an optional fraction: no sign, no exponent, no other script's digits. */
  private static final Pattern PLAIN_DECIMAL = Pattern.compile("[0-9]{1,30}(\\.[0-9]{1,30})?");

  private Money() {}

  /** Parses "25", "25.5", "0.0608" into micro-USD. Rejects more than six decimals, signs and junk. */
  public static long parseUsd(String text) {
    if (text == null || text.isBlank()) throw new IllegalArgumentException("amount is empty");
    String trimmed = text.trim();
    if (!PLAIN_DECIMAL.matcher(trimmed).matches()) {
      throw new IllegalArgumentException("amount is not a plain decimal number such as 0.50: " + shorten(trimmed));
    }
    BigDecimal value;
    try {
      value = new BigDecimal(trimmed);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("amount is not a decimal number: " + text);
    }
    if (value.scale() > SCALE && value.stripTrailingZeros().scale() > SCALE) {
      throw new IllegalArgumentException("amount has more than 6 decimals: " + text);
    }
    try {
      return value.movePointRight(SCALE).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
    } catch (ArithmeticException e) {
      throw new OutOfRange("amount is out of range (beyond 64-bit micro-USD): " + shorten(trimmed));
    }
  }

  /** A well-formed amount too large to count in micro-USD at all. */
  public static final class OutOfRange extends IllegalArgumentException {
    OutOfRange(String message) {
      super(message);
    }
  }

  private static String shorten(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }

  /** Parses a decimal from an upstream (possibly more decimals, a JSON number) rounding half up. */
  public static long fromUpstreamDecimal(String text) {
    return new BigDecimal(text.trim()).movePointRight(SCALE).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  /** Formats micro-USD as a decimal string without trailing zeros beyond two decimals: "0.0608", "25.00". */
  public static String format(long micros) {
    BigDecimal value = BigDecimal.valueOf(micros, SCALE).stripTrailingZeros();
    if (value.scale() < 2) value = value.setScale(2, RoundingMode.UNNECESSARY);
    return value.toPlainString();
  }
}
