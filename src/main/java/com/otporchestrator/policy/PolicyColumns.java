package com.otporchestrator.policy;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The parts of a policy the purchase and batch statements read from columns, in milliseconds and micro-USD (null: not
 * stated); {@code rentalRefunds} as JSON ({@code {"platform_outage": "unused_pro_rata"}}).
 */
record PolicyColumns(Long activationWindowMs, long cancelNotBeforeMs, Long rentalCancelWindowMs, Long payoutMinimum,
                     boolean cancelRefunds, JsonObject rentalRefunds, boolean serviceCreditsOutagesOnly) {

  static PolicyColumns of(RefundPolicy p) {
    JsonObject rentalRefunds = new JsonObject();
    p.rental().ifPresent(r -> r.refunds().forEach((event, how) ->
        rentalRefunds.put(event.name().toLowerCase(Locale.ROOT), how.name().toLowerCase(Locale.ROOT))));
    return new PolicyColumns(
        p.activation().window().map(Duration::toMillis).orElse(null),
        p.activation().cancelNotBefore().toMillis(),
        p.rental().flatMap(RefundPolicy.Rental::cancelWindow).map(Duration::toMillis).orElse(null),
        p.wallet().payoutMinimum().map(usd -> usd.movePointRight(6).longValueExact()).orElse(null),
        p.autoRefunds().contains(RefundPolicy.AutoRefundEvent.CANCEL_BEFORE_SMS),
        rentalRefunds,
        p.wallet().serviceCreditsOutagesOnly());
  }

  /** The columns after (policy_id, version, document, sha, [published_by]), in the order the statements bind them. */
  List<Object> values() {
    return Arrays.asList(activationWindowMs, cancelNotBeforeMs, rentalCancelWindowMs, payoutMinimum, cancelRefunds,
        rentalRefunds, serviceCreditsOutagesOnly);
  }
}
