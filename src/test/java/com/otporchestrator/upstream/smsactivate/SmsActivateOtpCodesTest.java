package com.otporchestrator.upstream.smsactivate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("sms-activate code extraction")
class SmsActivateOtpCodesTest {
  @Test
  @DisplayName("finds 4 to 8 digits or ddd-ddd, and skips phone numbers")
  void extracts() {
    assertThat(OtpCodes.extract("Your code is 4821")).isEqualTo("4821");
    assertThat(OtpCodes.extract("Code: 123-456.")).isEqualTo("123-456");
    assertThat(OtpCodes.extract("Call +79001234567 then enter 55555")).isEqualTo("55555");
    assertThat(OtpCodes.extract("no digits here")).isNull();
    assertThat(OtpCodes.extract(null)).isNull();
  }
}
