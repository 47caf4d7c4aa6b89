package com.otporchestrator.policy;

import java.time.Duration;

/** The parts of a policy the purchase statements read from columns, in milliseconds (null: not stated). */
record PolicyColumns(Long activationWindowMs, long cancelNotBeforeMs, Long rentalCancelWindowMs, Long payoutMinimum,
                     boolean cancelRefunds) {

  static PolicyColumns of(RefundPolicy p) {
    return new PolicyColumns(
        p.activation().window().map(Duration::toMillis).orElse(null),
        p.activation().cancelNotBefore().toMillis(),
        p.rental().flatMap(RefundPolicy.Rental::cancelWindow).map(Duration::toMillis).orElse(null),
        p.wallet().payoutMinimum().map(usd -> usd.movePointRight(6).longValueExact()).orElse(null),
        p.autoRefunds().contains(RefundPolicy.AutoRefundEvent.CANCEL_BEFORE_SMS));
  }
}
