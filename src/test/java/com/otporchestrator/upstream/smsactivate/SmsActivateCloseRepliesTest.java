package com.otporchestrator.upstream.smsactivate;

import static com.otporchestrator.upstream.smsactivate.SmsActivateSamples.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.upstream.CloseOutcome;
import com.otporchestrator.upstream.smsactivate.SmsActivateReply.Garbage;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("sms-activate replies to a close")
class SmsActivateCloseRepliesTest {
  private final SmsActivateReplies replies = new SmsActivateReplies(SmsActivateConfig.MOSCOW);

  private CloseOutcome close(SmsActivateReply reply) {
    return replies.closeOutcome(reply);
  }

  @Test
  @DisplayName("ACCESS_ACTIVATION, ACCESS_CANCEL and HTTP 204 mean closed")
  void closed() {
    assertThat(close(ok("ACCESS_ACTIVATION"))).isEqualTo(CloseOutcome.closed());
    assertThat(close(ok("ACCESS_CANCEL"))).isEqualTo(CloseOutcome.closed());
    assertThat(close(reply(204, ""))).isEqualTo(CloseOutcome.closed());
  }

  @Test
  @DisplayName("an activation the upstream already closed counts as closed")
  void alreadyClosed() {
    assertThat(close(reply(409, "{\"title\":\"ACTIVATION_NOT_ACTIVE\",\"details\":\"\"}"))).isEqualTo(CloseOutcome.closed());
    assertThat(close(ok("NO_ACTIVATION"))).isEqualTo(CloseOutcome.closed());
    assertThat(close(ok("STATUS_CANCEL"))).isEqualTo(CloseOutcome.closed());
  }

  @Test
  @DisplayName("EARLY_CANCEL_DENIED waits Hero's minActivationTime, else 120 seconds")
  void earlyCancel() {
    assertThat(close(reply(409, "{\"title\":\"EARLY_CANCEL_DENIED\",\"details\":\"\",\"info\":{\"minActivationTime\":90}}")))
        .isEqualTo(new CloseOutcome.TooEarly(Duration.ofSeconds(90), "EARLY_CANCEL_DENIED"));
    assertThat(close(ok("EARLY_CANCEL_DENIED")))
        .isEqualTo(new CloseOutcome.TooEarly(Duration.ofSeconds(120), "EARLY_CANCEL_DENIED"));
  }

  @Test
  @DisplayName("OTP_RECEIVED, FREE_CANCELLATION_EXPIRED and BAD_STATUS are refusals")
  void refusals() {
    assertThat(close(reply(409, "{\"title\":\"OTP_RECEIVED\",\"details\":\"\"}"))).isEqualTo(new CloseOutcome.Refused("OTP_RECEIVED"));
    assertThat(close(ok("FREE_CANCELLATION_EXPIRED"))).isEqualTo(new CloseOutcome.Refused("FREE_CANCELLATION_EXPIRED"));
    assertThat(close(ok("BAD_STATUS"))).isEqualTo(new CloseOutcome.Refused("BAD_STATUS"));
  }

  @Test
  @DisplayName("NEW_OTP_RECEIVED retries shortly")
  void unreadOtp() {
    assertThat(close(reply(409, "{\"title\":\"NEW_OTP_RECEIVED\",\"info\":{\"data\":[]}}")))
        .isEqualTo(new CloseOutcome.RetryLater(Duration.ofSeconds(5), "NEW_OTP_RECEIVED"));
  }

  @Test
  @DisplayName("HTML, an empty 200 and no reply at all retry later")
  void garbageRetries() {
    assertThat(close(reply(502, HTML_502))).isInstanceOf(CloseOutcome.RetryLater.class);
    assertThat(close(ok(""))).isInstanceOf(CloseOutcome.RetryLater.class);
    assertThat(close(new Garbage(0, "no reply"))).isInstanceOf(CloseOutcome.RetryLater.class);
  }
}
