package com.otporchestrator.order;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The code extractor, finding the verification code in an SMS text")
class CodeExtractorTest {

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(delimiter = '|', value = {
      "Telegram code 61034. Do not share it.|61034",
      "1234 is your code|1234",
      "Your code: 12345678|12345678",
      "G-482910 is your Google verification code.|482910",
      "code:987654!|987654",
      "WhatsApp code 123-456|123456",
      "Your code is 123-456. Valid for 10 minutes, ref 99887766|123456",
      "Код подтверждения: 5521|5521",
      "(4821)|4821"})
  void findsTheCode(String text, String code) {
    assertThat(CodeExtractor.extract(text)).isEqualTo(code);
  }

  @ParameterizedTest(name = "no code in \"{0}\"")
  @ValueSource(strings = {
      "",
      "Welcome to the service!",
      "Your code is 123",
      "Call us at +79281234567 for help",
      "79281234567",
      "order 123456789 shipped",
      "12-34-56",
      "1-800-555"})
  void findsNoCodeWhereThereIsNone(String text) {
    assertThat(CodeExtractor.extract(text)).isNull();
  }

  @ParameterizedTest
  @NullSource
  void answersNullForNoText(String text) {
    assertThat(CodeExtractor.extract(text)).isNull();
  }

  @Test
  @DisplayName("skips a phone-like long number and still finds the real code after it")
  void skipsPhoneNumbersBeforeTheCode() {
    assertThat(CodeExtractor.extract("From +79281234567: your code is 4711")).isEqualTo("4711");
  }

  @Test
  @DisplayName("prefers a ddd-ddd group over an earlier plain run of digits")
  void prefersTheDashedGroup() {
    assertThat(CodeExtractor.extract("Order 2024: code 321-654")).isEqualTo("321654");
  }

  @Test
  @DisplayName("takes the first of several plain codes")
  void takesTheFirstPlainCode() {
    assertThat(CodeExtractor.extract("code 1111, previous 2222")).isEqualTo("1111");
  }
}
