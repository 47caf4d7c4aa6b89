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

class SmssbRefundDecisionsTest extends RefundScenarios {
  static final String P = "smssb-refund-policy";

  @Test
  void activationWindowIsTheOrdersOwn() {
    // "within the activation window (typically 20 minutes)": an order expiring after 15 minutes refunds at 15
    OrderFacts f = OrderFacts.activation(T0, at(Duration.ofMinutes(15)));
    assertThat(eval(P, f, at(Duration.ofMinutes(15)).minus(S)).rule()).isEqualTo("cancel_before_sms");
    assertThat(eval(P, f, at(Duration.ofMinutes(15))).rule()).isEqualTo("auto.no_sms_in_window");
    assertThat(eval(P, f, at(Duration.ofMinutes(15)).plus(S)).refundableNow()).isTrue();
  }

  @Test
  void serviceOutageAndActivationFailureRefundAutomatically() {
    // "Service outage — if a Platform-wide disruption affects your active order, it will be automatically refunded."
    assertThat(eval(P, ACT.withSmsAt(at(Duration.ofMinutes(1))).withEvent(AutoRefundEvent.PLATFORM_OUTAGE),
        at(Duration.ofMinutes(2))).rule()).isEqualTo("auto.platform_outage");
    // "if a purchased number (one-time or rental) fails to become active ... the full cost is refunded immediately"
    assertThat(eval(P, OrderFacts.rental(T0, at(Duration.ofDays(7))).withEvent(AutoRefundEvent.ALLOCATION_FAILURE), T0)
        .refundableNow()).isTrue();
    // a broken number is not in this seed's list
    assertThat(eval(P, ACT.withSmsAt(at(Duration.ofMinutes(1))).withEvent(AutoRefundEvent.NUMBER_BROKEN_UPSTREAM),
        at(Duration.ofMinutes(2))).refundableNow()).isFalse();
  }

  @Test
  void deliveredSmsIsFinalButTheBillingDisputeStaysOpen() {
    // "once a verification code is received on the purchased number and visible in your account, the transaction is final."
    RefundDecision d = eval(P, ACT.withSmsAt(at(Duration.ofMinutes(3))), at(Duration.ofMinutes(3)));
    assertThat(d.refundableNow()).isFalse();
    assertThat(d.rule()).isEqualTo("final.sms_received");
    assertThat(offersClaim(d, "refund_not_applied")).isTrue();
  }

  @Test
  void rentalsAreNotRefundedByCancelling() {
    // "Cancelled before delivery — if you cancel an active one-time number ..." (one-time only)
    RefundDecision d = eval(P, OrderFacts.rental(T0, at(Duration.ofDays(7))), at(Duration.ofMinutes(1)));
    assertThat(d.refundableNow()).isFalse();
    assertThat(d.rule()).isEqualTo("rental.no_cancel_refund");
  }
}
