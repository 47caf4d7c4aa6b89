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

class SmsactivatorRefundDecisionsTest extends RefundScenarios {
  static final String P = "smsactivator-refund-policy";

  @Test
  void cancelBeforeAnySmsIsRefundedInstantlyFromTheFirstSecond() {
    // "You cancel the order before any SMS arrives — full refund, processed instantly."
    RefundDecision d = eval(P, ACT, T0);
    assertThat(d.refundableNow()).isTrue();
    assertThat(d.rule()).isEqualTo("cancel_before_sms");
    assertThat(d.options().get(0).notBefore()).isEmpty();
  }

  @Test
  void noSmsWithinTheTwentyMinuteSla() {
    // "No SMS within the 20-minute SLA — the order auto-cancels and the full price is credited back to the wallet."
    assertThat(eval(P, ACT, at(Duration.ofMinutes(20)).minus(S)).rule()).isEqualTo("cancel_before_sms");
    assertThat(eval(P, ACT, at(Duration.ofMinutes(20))).rule()).isEqualTo("auto.no_sms_in_window");
    assertThat(eval(P, ACT, at(Duration.ofMinutes(20)).plus(S)).refundableNow()).isTrue();
  }

  @Test
  void brokenNumberAndAllocationFailureRefundEvenAfterAnSms() {
    // "The allocated number is reported broken / dead by the upstream — full refund."
    RefundDecision broken = eval(P, ACT.withSmsAt(at(Duration.ofMinutes(1))).withEvent(AutoRefundEvent.NUMBER_BROKEN_UPSTREAM),
        at(Duration.ofMinutes(2)));
    assertThat(broken.refundableNow()).isTrue();
    assertThat(broken.rule()).isEqualTo("auto.number_broken_upstream");
    // "Allocation failure on our side (the order was never actually fulfilled) — full refund."
    assertThat(eval(P, ACT.withEvent(AutoRefundEvent.ALLOCATION_FAILURE), T0).rule()).isEqualTo("auto.allocation_failure");
  }

  @Test
  void afterAnSmsOnlyTicketsRemainWithoutDeadline() {
    // "You received an SMS but the destination service rejected it" / "You received the wrong service's SMS"
    RefundDecision d = eval(P, ACT.withSmsAt(at(Duration.ofMinutes(1))), at(Duration.ofDays(30)));
    assertThat(d.rule()).isEqualTo("final.sms_received");
    assertThat(d.options()).extracting(o -> o.claimType().orElseThrow())
        .containsExactly("sms_rejected_by_destination", "wrong_service_sms");
    assertThat(d.options()).allSatisfy(o -> assertThat(o.until()).isEmpty());
  }

  @Test
  void rentalsHaveOnlyTheTicketForUndetectedIssues() {
    // "Long-term rental issues that did not auto-detect" -- no rental cancel window in this seed (its rental rule says
    // only how a dead number refunds a rental)
    RefundDecision d = eval(P, OrderFacts.rental(T0, at(Duration.ofDays(30))), at(Duration.ofMinutes(1)));
    assertThat(d.refundableNow()).isFalse();
    assertThat(d.rule()).isEqualTo("rental.no_cancel_refund");
    assertThat(d.options()).extracting(o -> o.claimType().orElseThrow()).containsExactly("rental_issue");
  }

  @Test
  void aupTerminationLosesEveryClaim() {
    // "AUP violations resulting in account termination — wallet balance is forfeited per /aup."
    RefundDecision d = eval(P, ACT.withSmsAt(at(Duration.ofMinutes(1))).withTags("aup_terminated"), at(Duration.ofMinutes(2)));
    assertThat(actions(d)).containsExactly(Action.NOTHING);
  }
}
