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

/** Scenario tests following each seed's sentences; every window is probed one second before and at/after its end. */
class RefundDecisionsTest {
  static final Instant T0 = Instant.parse("2026-07-01T10:00:00Z");
  static final Duration S = Duration.ofSeconds(1);

  static Instant at(Duration d) {
    return T0.plus(d);
  }

  static RefundDecision eval(String preset, OrderFacts f, Instant now) {
    return RefundDecisions.evaluate(PolicyLoader.preset(preset), f, now);
  }

  static List<Action> actions(RefundDecision d) {
    return d.options().stream().map(Option::action).toList();
  }

  static Optional<Instant> claimUntil(RefundDecision d, String claim) {
    return d.options().stream().filter(o -> o.claimType().equals(Optional.of(claim))).findFirst()
        .flatMap(Option::until);
  }

  static boolean offersClaim(RefundDecision d, String claim) {
    return d.options().stream().anyMatch(o -> o.claimType().equals(Optional.of(claim)));
  }

  /** An activation whose own expiry is 20 minutes (used where the policy fixes no window). */
  static final OrderFacts ACT = OrderFacts.activation(T0, at(Duration.ofMinutes(20)));

  @Nested
  class Otpdesk {
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

  @Nested
  class Smsactivator {
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
      // "Long-term rental issues that did not auto-detect" -- no rental cancel window in this seed
      RefundDecision d = eval(P, OrderFacts.rental(T0, at(Duration.ofDays(30))), at(Duration.ofMinutes(1)));
      assertThat(d.refundableNow()).isFalse();
      assertThat(d.rule()).isEqualTo("rental.no_rule");
      assertThat(d.options()).extracting(o -> o.claimType().orElseThrow()).containsExactly("rental_issue");
    }

    @Test
    void aupTerminationLosesEveryClaim() {
      // "AUP violations resulting in account termination — wallet balance is forfeited per /aup."
      RefundDecision d = eval(P, ACT.withSmsAt(at(Duration.ofMinutes(1))).withTags("aup_terminated"), at(Duration.ofMinutes(2)));
      assertThat(actions(d)).containsExactly(Action.NOTHING);
    }
  }

  @Nested
  class Smssb {
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

  @Nested
  class Esimpy {
    static final String P = "esimpy-return-policy";

    @Test
    void refundOnlyOnceTheAllottedTimeHasPassed() {
      // "If you do not receive an SMS within the allotted time, the funds ... will be automatically returned ... once
      //  the activation is cancelled."
      RefundDecision early = eval(P, ACT, at(Duration.ofMinutes(20)).minus(S));
      assertThat(early.refundableNow()).isFalse();
      assertThat(early.rule()).isEqualTo("waiting.refund_after_window");
      assertThat(early.until()).contains(at(Duration.ofMinutes(20)));
      assertThat(eval(P, ACT, at(Duration.ofMinutes(20))).rule()).isEqualTo("auto.no_sms_in_window");
      assertThat(eval(P, ACT, at(Duration.ofMinutes(20)).plus(S)).refundableNow()).isTrue();
    }

    @Test
    void invalidNumberClaimWithinFiveDaysOfPurchase() {
      // "submit proof of the invalid number (e.g. a 2FA screenshot). Claims must be submitted within 5 days."
      OrderFacts sms = ACT.withSmsAt(at(Duration.ofMinutes(2)));
      RefundDecision before = eval(P, sms, at(Duration.ofDays(5)).minus(S));
      assertThat(before.rule()).isEqualTo("final.sms_received");
      assertThat(claimUntil(before, "invalid_number")).contains(at(Duration.ofDays(5)));
      assertThat(claimUntil(before, "major_defect")).contains(at(Duration.ofDays(5)));
      assertThat(offersClaim(before, "sms_not_received")).isFalse();
      assertThat(actions(eval(P, sms, at(Duration.ofDays(5))))).containsExactly(Action.NOTHING);
      assertThat(actions(eval(P, sms, at(Duration.ofDays(5)).plus(S)))).containsExactly(Action.NOTHING);
    }

    @Test
    void smsNotReceivedClaimRunsFiveDaysFromPurchaseAndIsMootOnceAutoRefunded() {
      // "Claims must be submitted within 5 days of the purchase date. After this period, the product is considered activated."
      RefundDecision waiting = eval(P, ACT, at(Duration.ofMinutes(10)));
      assertThat(claimUntil(waiting, "sms_not_received")).contains(at(Duration.ofDays(5)));
      // once the no-SMS auto-refund has happened there is nothing left to claim
      RefundDecision refunded = eval(P, ACT, at(Duration.ofDays(5)).minus(S));
      assertThat(refunded.refundableNow()).isTrue();
      assertThat(actions(refunded)).containsExactly(Action.NOTHING);
      // an order whose own expiry outlives the 5 days: the claim closes at exactly purchase + 5 days
      OrderFacts longOrder = OrderFacts.activation(T0, at(Duration.ofDays(7)));
      assertThat(claimUntil(eval(P, longOrder, at(Duration.ofDays(5)).minus(S)), "sms_not_received"))
          .contains(at(Duration.ofDays(5)));
      assertThat(offersClaim(eval(P, longOrder, at(Duration.ofDays(5))), "sms_not_received")).isFalse();
      assertThat(offersClaim(eval(P, longOrder, at(Duration.ofDays(5)).plus(S)), "sms_not_received")).isFalse();
    }

    @Test
    void telegramTwoFaBoughtViaApiIsNotEligible() {
      // "Telegram 2FA numbers purchased via API are not eligible for a refund."
      OrderFacts f = ACT.withSmsAt(at(Duration.ofMinutes(2))).withTags("telegram_2fa", "telegram_2fa_api");
      assertThat(actions(eval(P, f, at(Duration.ofHours(1))))).containsExactly(Action.NOTHING);
    }
  }

  @Nested
  class Instaotp {
    static final String P = "instaotp-refund-policy";

    @Test
    void noSmsRefundAfterTheSpecifiedTime() {
      // "If you do not receive an SMS within the specified time, your funds will be automatically refunded after activation is canceled."
      assertThat(eval(P, ACT, at(Duration.ofMinutes(20)).minus(S)).refundableNow()).isFalse();
      assertThat(eval(P, ACT, at(Duration.ofMinutes(20))).rule()).isEqualTo("auto.no_sms_in_window");
    }

    @Test
    void invalidNumberClaimForFiveDaysThenConsideredActivated() {
      // "Requests must be submitted within 5 days of purchase. Late submissions will be considered activated"
      OrderFacts sms = ACT.withSmsAt(at(Duration.ofMinutes(1)));
      assertThat(claimUntil(eval(P, sms, at(Duration.ofDays(5)).minus(S)), "invalid_virtual_number"))
          .contains(at(Duration.ofDays(5)));
      assertThat(actions(eval(P, sms, at(Duration.ofDays(5))))).containsExactly(Action.NOTHING);
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
}
