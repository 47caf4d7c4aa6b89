package com.otporchestrator.upstream.smsactivate;

import com.otporchestrator.common.Money;
import java.math.BigDecimal;
import java.math.BigInteger;

/** Reads values whose JSON type drifts between upstreams (ids and prices as strings or numbers). */
final class FlexJson {
  private FlexJson() {}

  /** The value as text; integers never go through a double, so long ids stay exact. Null when absent. */
  static String text(Object value) {
    String text = switch (value) {
      case null -> null;
      case String s -> s.strip();
      case Integer i -> i.toString();
      case Long l -> l.toString();
      case BigInteger b -> b.toString();
      case BigDecimal d -> d.toPlainString();
      case Double d -> BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
      case Float f -> new BigDecimal(f.toString()).stripTrailingZeros().toPlainString();
      case Number n -> n.toString();
      case Boolean b -> b.toString();
      default -> null;
    };
    return text == null || text.isEmpty() ? null : text;
  }

  /** Null when absent or not a whole number. */
  static Integer integer(Object value) {
    String text = text(value);
    if (text == null) return null;
    try {
      return new BigDecimal(text).intValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  /** An upstream price in micro-units; null when absent or unreadable. */
  static Long micros(Object value) {
    String text = text(value);
    if (text == null) return null;
    try {
      return Money.fromUpstreamDecimal(text);
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }
}
