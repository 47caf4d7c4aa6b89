package com.otporchestrator.policy;

import com.otporchestrator.policy.RefundDecision.Action;
import com.otporchestrator.policy.RefundDecision.Option;
import com.otporchestrator.policy.RefundPolicy.AutoRefundEvent;
import com.otporchestrator.policy.RefundPolicy.ClaimCondition;
import com.otporchestrator.policy.RefundPolicy.ClaimType;
import com.otporchestrator.policy.RefundPolicy.Exclusion;
import com.otporchestrator.policy.RefundPolicy.OrderKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pure refund decisions: same policy, facts and instant give the same answer; no I/O, no clock.
 *
 * <p>Windows are half-open: a window of W from purchase P is open for {@code P <= now < P + W}; at exactly P + W it is
 * closed. Rule order: upstream events the policy refunds automatically win; then for activations the first SMS makes the
 * sale final (only claims remain); without SMS the activation window decides between cancel-for-refund and the
 * no-SMS auto-refund. Rentals are refundable by cancelling only inside the rental cancel window.
 */
public final class RefundDecisions {
  private RefundDecisions() {}

  /** Upstream events in the order they are checked, most specific first. */
  private static final List<AutoRefundEvent> UPSTREAM =
      List.of(AutoRefundEvent.ALLOCATION_FAILURE, AutoRefundEvent.NUMBER_BROKEN_UPSTREAM, AutoRefundEvent.PLATFORM_OUTAGE);

  public static RefundDecision evaluate(RefundPolicy policy, OrderFacts facts, Instant now) {
    for (AutoRefundEvent e : UPSTREAM) {
      if (facts.upstreamEvents().contains(e) && refundsAutomatically(policy, facts.kind(), e)) {
        return new RefundDecision(true, "auto." + e.name().toLowerCase(), Optional.empty(), List.of(Option.nothing()));
      }
    }
    return facts.kind() == OrderKind.RENTAL ? rental(policy, facts, now) : activation(policy, facts, now);
  }

  private static RefundDecision activation(RefundPolicy policy, OrderFacts facts, Instant now) {
    Instant windowEnd = policy.activation().window().map(w -> facts.purchasedAt().plus(w)).orElse(facts.expiresAt());
    Optional<Instant> sms = facts.firstSmsAt().filter(t -> !t.isAfter(now));
    if (sms.isPresent()) {
      return withClaims(new RefundDecision(false, "final.sms_received", Optional.empty(), List.of()), policy, facts, now,
          true);
    }
    if (!now.isBefore(windowEnd)) {
      boolean auto = policy.autoRefunds().contains(AutoRefundEvent.NO_SMS_IN_WINDOW);
      RefundDecision d = auto
          ? new RefundDecision(true, "auto.no_sms_in_window", Optional.empty(), List.of())
          : new RefundDecision(false, "window_closed.no_auto_refund", Optional.empty(), List.of());
      return withClaims(d, policy, facts, now, false);
    }
    Instant policyCancelFrom = facts.purchasedAt().plus(policy.activation().cancelNotBefore());
    Instant cancelFrom = facts.cancellableAt().filter(policyCancelFrom::isBefore).orElse(policyCancelFrom);
    boolean cancelRefunds = policy.autoRefunds().contains(AutoRefundEvent.CANCEL_BEFORE_SMS);
    // NO_SMS_IN_WINDOW alone (esimpy, instaotp): "returned once the activation is cancelled" after the allotted time;
    // cancelling earlier is not promised a refund, so the engine does not let the customer cancel before the window
    // ends (activations.cancellable_at = expires_at) and the refund comes by itself when it does.
    Option cancel = new Option(Action.CANCEL, Optional.empty(),
        now.isBefore(cancelFrom) ? Optional.of(cancelFrom) : Optional.empty(), Optional.of(windowEnd));
    RefundDecision d;
    if (!cancelRefunds) {
      d = new RefundDecision(false, "waiting.refund_after_window", Optional.of(windowEnd), List.of());
    } else if (now.isBefore(cancelFrom)) {
      d = new RefundDecision(false, "cancel_not_yet_open", Optional.of(cancelFrom), List.of(cancel));
    } else {
      d = new RefundDecision(true, "cancel_before_sms", Optional.of(windowEnd), List.of(cancel));
    }
    return withClaims(d, policy, facts, now, false);
  }

  private static RefundDecision rental(RefundPolicy policy, OrderFacts facts, Instant now) {
    Optional<Instant> cancelEnd = policy.rental()
        .flatMap(r -> r.cancelWindow())
        .map(w -> facts.purchasedAt().plus(w));
    RefundDecision d;
    if (policy.rental().isEmpty()) {
      d = new RefundDecision(false, "rental.no_rule", Optional.empty(), List.of());
    } else if (cancelEnd.isPresent() && now.isBefore(cancelEnd.get())) {
      d = new RefundDecision(true, "rental.cancel_window", cancelEnd,
          List.of(new Option(Action.CANCEL, Optional.empty(), Optional.empty(), cancelEnd)));
    } else {
      d = new RefundDecision(false, cancelEnd.isPresent() ? "rental.cancel_window_closed" : "rental.no_cancel_refund",
          Optional.empty(), List.of());
    }
    return withClaims(d, policy, facts, now, facts.firstSmsAt().filter(t -> !t.isAfter(now)).isPresent());
  }

  /** Adds the claim types still open to this order; NOTHING when no option at all remains. */
  private static RefundDecision withClaims(RefundDecision d, RefundPolicy policy, OrderFacts facts, Instant now,
      boolean smsReceived) {
    List<Option> options = new ArrayList<>(d.options());
    if (!d.refundableNow() || !d.options().isEmpty()) {
      for (ClaimType c : policy.claims()) {
        if (!c.appliesTo().contains(facts.kind())) continue;
        if (c.when() == ClaimCondition.NO_SMS && smsReceived) continue;
        if (c.when() == ClaimCondition.AFTER_SMS && !smsReceived) continue;
        if (excluded(policy, facts, c)) continue;
        Optional<Instant> until = c.filingWindow().map(w -> facts.purchasedAt().plus(w));
        if (until.isPresent() && !now.isBefore(until.get())) continue;
        options.add(new Option(Action.FILE_CLAIM, Optional.of(c.id()), Optional.empty(), until));
      }
    }
    if (options.isEmpty()) options.add(Option.nothing());
    return new RefundDecision(d.refundableNow(), d.rule(), d.until(), List.copyOf(options));
  }

  /**
   * Whether the event refunds this kind of order with no ticket: an activation when {@code autoRefunds} lists it, a
   * rental when {@code rental.refunds} does (which also says how). A rental that never got its number is always voided
   * (nothing was delivered), whatever the policy.
   */
  public static boolean refundsAutomatically(RefundPolicy policy, OrderKind kind, AutoRefundEvent event) {
    if (kind != OrderKind.RENTAL) return policy.autoRefunds().contains(event);
    if (event == AutoRefundEvent.ALLOCATION_FAILURE) return true;
    return policy.rental().map(r -> r.refunds().containsKey(event)).orElse(false);
  }

  static boolean excluded(RefundPolicy policy, OrderFacts facts, ClaimType c) {
    for (Exclusion x : policy.exclusions()) {
      if (x.orderTag().isEmpty() || !facts.tags().contains(x.orderTag().get())) continue;
      if (x.claims().isEmpty() || x.claims().contains(c.id())) return true;
    }
    return false;
  }
}
