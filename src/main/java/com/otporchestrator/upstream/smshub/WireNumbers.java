package com.otporchestrator.upstream.smshub;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/** Reads the protocol's integer fields (phones, ids), which should be JSON numbers but sometimes are strings. */
final class WireNumbers {
  private static final Pattern DIGITS = Pattern.compile("\\+?\\d+");

  private WireNumbers() {}

  /** The decimal digits of a non-negative integer given as a JSON number or numeric string; null otherwise. */
  static String integerDigits(Object value) {
    try {
      if (value instanceof Number number) {
        BigDecimal decimal = new BigDecimal(number.toString());
        return decimal.signum() < 0 ? null : decimal.toBigIntegerExact().toString();
      }
      if (value instanceof String text && DIGITS.matcher(text.strip()).matches()) {
        return new BigInteger(text.strip().replace("+", "")).toString();
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
    return null;
  }

  /** The value as a JSON number when it is a plain integer that fits a long, else the text itself. */
  static Object asJsonNumberIfPossible(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return text;
    }
  }
}
