package com.otporchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.policy.RefundDecision.Action;
import com.otporchestrator.policy.RefundDecision.Option;
import com.otporchestrator.policy.RefundPolicy.AutoRefundEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OtpdeskRefundDecisionsTest extends RefundScenarios {
  static final String P = "otpdesk-refund-policy";

  @Test
  void cancelOpensTwoMinutesAfterOrdering() {
    // "You can manually cancel a purchase 2 minutes after ordering."
    RefundDecision before = eval(P, ACT, at(Duration.ofMinutes(2)).minus(S));
    assertThat(before.refundableNow()).isFalse();
    assertThat(before.rule()).isEqualTo("cancel_not_yet_open");
    assertThat(before.until()).contains(at(Duration.ofMinutes(2)));
    assertThat(before.options().get(0).action()).isEqualTo(Action.CANCEL);
    assertThat(before.options().get(0).notBefore()).contains(at(Duration.ofMinutes(2)));

    RefundDecision open = eval(P, ACT, at(Duration.ofMinutes(2)));
    assertThat(open.refundableNow()).isTrue();
    assertThat(open.rule()).isEqualTo("cancel_before_sms");
    assertThat(open.until()).contains(at(Duration.ofMinutes(20)));
    RefundDecision after = eval(P, ACT, at(Duration.ofMinutes(2)).plus(S));
    assertThat(after.rule()).isEqualTo("cancel_before_sms");
  }

  @Test
  void noCodeWithinTwentyMinutesRefundsAutomatically() {
    // "If no SMS code is delivered within the 20-minute window, the funds are automatically returned"
    OrderFacts longExpiry = OrderFacts.activation(T0, at(Duration.ofHours(1))); // the policy's 20 minutes win
    assertThat(eval(P, longExpiry, at(Duration.ofMinutes(20)).minus(S)).rule()).isEqualTo("cancel_before_sms");
    RefundDecision end = eval(P, longExpiry, at(Duration.ofMinutes(20)));
    assertThat(end.refundableNow()).isTrue();
    assertThat(end.rule()).isEqualTo("auto.no_sms_in_window");
    assertThat(eval(P, longExpiry, at(Duration.ofMinutes(20)).plus(S)).rule()).isEqualTo("auto.no_sms_in_window");
  }

  @Test
  void noRefundAfterCodeDelivery() {
    // "Once an OTP is received and displayed, the activation is marked as successful, and a refund is no longer possible."
    OrderFacts sms = ACT.withSmsAt(at(Duration.ofMinutes(5)));
    assertThat(eval(P, sms, at(Duration.ofMinutes(5)).minus(S)).refundableNow()).isTrue();
    RefundDecision d = eval(P, sms, at(Duration.ofMinutes(5)));
    assertThat(d.refundableNow()).isFalse();
    assertThat(d.rule()).isEqualTo("final.sms_received");
    // "refunds can be processed via our technical support team" for provider-side errors, no filing deadline stated
    assertThat(offersClaim(d, "provider_side_error")).isTrue();
    assertThat(claimUntil(d, "provider_side_error")).isEmpty();
  }

  @Test
  void rentalsRefundOnlyInTheFirstTwentyMinutesWhateverTheCode() {
    // "After 20 minutes, rent refunds are impossible, regardless of whether a code was received or not."
    OrderFacts rent = OrderFacts.rental(T0, at(Duration.ofDays(7))).withSmsAt(at(Duration.ofMinutes(1)));
    RefundDecision in = eval(P, rent, at(Duration.ofMinutes(20)).minus(S));
    assertThat(in.refundableNow()).isTrue();
    assertThat(in.rule()).isEqualTo("rental.cancel_window");
    assertThat(in.until()).contains(at(Duration.ofMinutes(20)));
    RefundDecision out = eval(P, rent, at(Duration.ofMinutes(20)));
    assertThat(out.refundableNow()).isFalse();
    assertThat(out.rule()).isEqualTo("rental.cancel_window_closed");
    assertThat(actions(out)).containsExactly(Action.NOTHING);
    assertThat(eval(P, rent, at(Duration.ofMinutes(20)).plus(S)).refundableNow()).isFalse();
  }

  @Test
  void upstreamBrokenNumberIsNotAnAutoRefundHere() {
    RefundDecision d = eval(P, ACT.withSmsAt(at(Duration.ofMinutes(3))).withEvent(AutoRefundEvent.NUMBER_BROKEN_UPSTREAM),
        at(Duration.ofMinutes(4)));
    assertThat(d.refundableNow()).isFalse();
    assertThat(offersClaim(d, "provider_side_error")).isTrue();
  }
}
