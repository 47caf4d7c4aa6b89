package com.otporchestrator.web;

import com.otporchestrator.activation.Activation;
import com.otporchestrator.activation.ActivationRefunds;
import com.otporchestrator.activation.ActivationState;
import com.otporchestrator.common.Money;
import com.otporchestrator.policy.RefundDecision;
import com.otporchestrator.policy.RefundDecision.Action;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an activation card shows, computed from the order and its refund position (the policy engine's decision):
 * the template only lays it out. {@code cancelFrom} is when the cancel button becomes active (null: it is active now,
 * or there is no cancel button when {@code cancellable} is false).
 */
public record ActivationCard(long id, String service, int country, String countryName, String phone, String price, String state,
                             boolean open, String code, List<Activation.ReceivedSms> sms, String windowEnd,
                             boolean cancellable, String cancelFrom, boolean canFinish, boolean canRetry,
                             String refundWords, List<String> claimWords, String policy, String serverNow) {

  static ActivationCard of(ActivationRefunds.Position position, Instant now, CountryNames countries) {
    Activation a = position.order();
    RefundDecision d = position.decision();
    Optional<RefundDecision.Option> cancel = d.options().stream().filter(o -> o.action() == Action.CANCEL).findFirst();
    boolean open = a.state().open();
    boolean cancellable = open && !a.state().codeReceived() && cancel.isPresent();
    String cancelFrom = cancel.flatMap(RefundDecision.Option::notBefore).filter(now::isBefore)
        .map(Instant::toString).orElse(null);
    String policy = a.policy() == null ? position.policy().id() + " v" + position.policy().version()
        : a.policy().id() + " v" + a.policy().version();
    return new ActivationCard(a.id(), a.service(), a.country(), countries.of(a.country()), a.phone(), Money.format(a.price()),
        a.state().name().toLowerCase(), open, a.lastCode(), a.sms(),
        a.expiresAt() == null ? null : a.expiresAt().toInstant().toString(),
        cancellable, cancelFrom, a.state().codeReceived(), a.state() == ActivationState.CODE_RECEIVED,
        RefundWords.position(d, position.refunded(), now), RefundWords.claims(d, now), policy, now.toString());
  }

  /** The page of the policy version the order was bought under. */
  public String policyHref() {
    String[] parts = policy.split(" v");
    return "/app/policy/" + parts[0] + "/" + parts[1];
  }

  /** The state in words for the badge. */
  public String stateLabel() {
    return switch (state) {
      case "allocating" -> "getting a number";
      case "waiting_code" -> "waiting for the code";
      case "code_received" -> "code received";
      case "waiting_retry" -> "waiting for another code";
      default -> state;
    };
  }
}
