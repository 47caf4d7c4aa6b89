package com.otporchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.policy.RefundDecision.Action;
import com.otporchestrator.policy.RefundDecision.Option;
import com.otporchestrator.policy.RefundPolicy.AutoRefundEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Shared facts and helpers for the per-preset refund scenario tests; every window is probed one second before, at and after its end. */
abstract class RefundScenarios {
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

}
