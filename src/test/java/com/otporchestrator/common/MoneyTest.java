package com.otporchestrator.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Money, a long count of micro-USD read from and written as decimal text")
class MoneyTest {

  @ParameterizedTest(name = "\"{0}\" is {1} micro-USD")
  @CsvSource({
      "25, 25000000",
      "25.5, 25500000",
      "0.0608, 60800",
      "0.000001, 1",
      "0, 0",
      "0.50, 500000",
      "1.0000000, 1000000",
      "' 7.25 ', 7250000",
      "9223372036854.775807, 9223372036854775807"})
  void parsesDecimalText(String text, long micros) {
    assertThat(Money.parseUsd(text)).isEqualTo(micros);
  }

  @Test
  @DisplayName("keeps every micro of amounts that a double would round (0.1 + 0.2, 16 significant digits)")
  void neverGoesThroughFloatingPoint() {
    assertThat(Money.parseUsd("0.1") + Money.parseUsd("0.2")).isEqualTo(Money.parseUsd("0.3"));
    assertThat(Money.parseUsd("1234567890.123457")).isEqualTo(1_234_567_890_123_457L);
    assertThat(Money.format(1_234_567_890_123_457L)).isEqualTo("1234567890.123457");
    assertThat(Money.parseUsd("9007199254.740993")).isEqualTo(9_007_199_254_740_993L);
  }

  @ParameterizedTest(name = "{0} micro-USD is \"{1}\"")
  @CsvSource({
      "25000000, 25.00",
      "25500000, 25.50",
      "60800, 0.0608",
      "1, 0.000001",
      "0, 0.00",
      "-500000, -0.50",
      "9223372036854775807, 9223372036854.775807"})
  void formatsWithAtLeastTwoDecimals(long micros, String text) {
    assertThat(Money.format(micros)).isEqualTo(text);
  }

  @Test
  void formatAndParseAreInverses() {
    for (long micros : new long[] {0, 1, 10, 999_999, 1_000_000, 60_800, 123_456_789, Long.MAX_VALUE}) {
      assertThat(Money.parseUsd(Money.format(micros))).isEqualTo(micros);
    }
  }

  @Test
  void refusesMoreThanSixDecimals() {
    assertThatThrownBy(() -> Money.parseUsd("0.0000001"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 6 decimals");
    assertThatThrownBy(() -> Money.parseUsd("1.1234567"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 6 decimals");
  }

  @ParameterizedTest(name = "refuses \"{0}\"")
  @ValueSource(strings = {"-1", "-0.01", "+1", "abc", "1,50", "1.2.3", "$1", "1 USD", "NaN", "Infinity", "0x10",
      "1e3", "1E+2", "2e-3", ".5", "5.", "١٢", "12\u00a0"})
  void refusesSignsExponentsAndJunk(String text) {
    assertThatThrownBy(() -> Money.parseUsd(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "refuses empty \"{0}\"")
  @ValueSource(strings = {"", "   "})
  void refusesEmptyText(String text) {
    assertThatThrownBy(() -> Money.parseUsd(text))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> Money.parseUsd(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAmountsBeyondALong() {
    assertThatThrownBy(() -> Money.parseUsd("9223372036854.775808"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    assertThatThrownBy(() -> Money.parseUsd("99999999999999999999999"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
  }

  @Test
  @DisplayName("refuses a huge exponent at once instead of expanding it digit by digit")
  void refusesHugeExponentsQuickly() {
    long started = System.nanoTime();
    assertThatThrownBy(() -> Money.parseUsd("1e100000000")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Money.parseUsd("1e-100000000")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
  }

  @Test
  @DisplayName("reads upstream decimals, which may carry more digits, rounding half up")
  void roundsUpstreamDecimalsHalfUp() {
    assertThat(Money.fromUpstreamDecimal("0.0000005")).isEqualTo(1);
    assertThat(Money.fromUpstreamDecimal("0.0000004")).isEqualTo(0);
    assertThat(Money.fromUpstreamDecimal("12.5")).isEqualTo(12_500_000);
  }
}
