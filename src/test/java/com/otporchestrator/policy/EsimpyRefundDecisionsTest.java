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

class EsimpyRefundDecisionsTest extends RefundScenarios {
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
