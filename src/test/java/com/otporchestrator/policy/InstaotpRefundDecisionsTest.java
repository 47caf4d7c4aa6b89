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

class InstaotpRefundDecisionsTest extends RefundScenarios {
  static final String P = "instaotp-refund-policy";

  @Test
  void noSmsRefundAfterTheSpecifiedTime() {
    // "If you do not receive an SMS within the specified time, your funds will be automatically refunded after activation is canceled."
    assertThat(eval(P, ACT, at(Duration.ofMinutes(20)).minus(S)).refundableNow()).isFalse();
    assertThat(eval(P, ACT, at(Duration.ofMinutes(20))).rule()).isEqualTo("auto.no_sms_in_window");
    assertThat(eval(P, ACT, at(Duration.ofMinutes(20)).plus(S)).refundableNow()).isTrue();
  }

  @Test
  void invalidNumberClaimForFiveDaysThenConsideredActivated() {
    // "Requests must be submitted within 5 days of purchase. Late submissions will be considered activated"
    OrderFacts sms = ACT.withSmsAt(at(Duration.ofMinutes(1)));
    assertThat(claimUntil(eval(P, sms, at(Duration.ofDays(5)).minus(S)), "invalid_virtual_number"))
        .contains(at(Duration.ofDays(5)));
    assertThat(actions(eval(P, sms, at(Duration.ofDays(5))))).containsExactly(Action.NOTHING);
    assertThat(actions(eval(P, sms, at(Duration.ofDays(5)).plus(S)))).containsExactly(Action.NOTHING);
  }

  @Test
  void majorDefectReportedWithinFiveDaysOnRentalsToo() {
    // "Contact our support team within 5 days" / "We reserve the right to resolve the issue within 5 days"
    OrderFacts rent = OrderFacts.rental(T0, at(Duration.ofDays(30)));
    assertThat(claimUntil(eval(P, rent, at(Duration.ofDays(5)).minus(S)), "major_defect")).contains(at(Duration.ofDays(5)));
    assertThat(offersClaim(eval(P, rent, at(Duration.ofDays(5))), "major_defect")).isFalse();
    assertThat(offersClaim(eval(P, rent, at(Duration.ofDays(5)).plus(S)), "major_defect")).isFalse();
  }

  @Test
  void nonReceiptClaimOnlyWithoutSms() {
    // "If you do not receive an SMS due to server-related issues ... Claims must be submitted within 5 days of purchase."
    RefundDecision d = eval(P, ACT, at(Duration.ofDays(5)).minus(S));
    assertThat(d.rule()).isEqualTo("auto.no_sms_in_window");
    RefundDecision sms = eval(P, ACT.withSmsAt(at(Duration.ofMinutes(1))), at(Duration.ofMinutes(2)));
    assertThat(offersClaim(sms, "non_receipt_of_sms")).isFalse();
  }
}
