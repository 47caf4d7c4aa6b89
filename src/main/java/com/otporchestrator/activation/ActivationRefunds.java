package com.otporchestrator.activation;

import com.otporchestrator.policy.OrderFacts;
import com.otporchestrator.policy.Policies;
import com.otporchestrator.policy.RefundDecision;
import com.otporchestrator.policy.RefundDecisions;
import com.otporchestrator.policy.RefundPolicy;
import com.otporchestrator.policy.RefundPolicy.AutoRefundEvent;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Explains an activation's refund position under the policy version it was bought under: refundable now or not, by
 * which rule, until when, and what the customer can still do.
 */
public final class ActivationRefunds {
  private final ActivationService activations;
  private final Policies policies;

  public ActivationRefunds(ActivationService activations, Policies policies) {
    this.activations = activations;
    this.policies = policies;
  }

  /**
   * @param refunded the price already went back to the wallet (the order closed with a void)
   * @param policy the version that judged the order
   */
  public record Position(Activation order, RefundPolicy policy, boolean refunded, RefundDecision decision) {}

  public Future<Position> position(long id, long accountId, Instant now) {
    return activations.get(id, accountId).compose(order -> policyOf(order).map(policy -> position(order, policy, now)));
  }

  /** Orders bought before policies were recorded are judged by the policy in force now. */
  Future<RefundPolicy> policyOf(Activation order) {
    return order.policy() == null
        ? policies.inForce().map(Policies.InForce::policy)
        : policies.version(order.policy().id(), order.policy().version());
  }

  /** The position of an order already read, under its policy version (also for a stream that re-reads the order). */
  public static Position position(Activation order, RefundPolicy policy, Instant now) {
    if (order.refundHeld()) return new Position(order, policy, false, RefundDecision.settled("held_for_review"));
    if (!order.state().open() && order.state() != ActivationState.FINISHED) {
      return new Position(order, policy, true, RefundDecision.settled("refunded." + order.state().name().toLowerCase()));
    }
    return new Position(order, policy, false, RefundDecisions.evaluate(policy, facts(order), now));
  }

  static OrderFacts facts(Activation order) {
    OrderFacts facts = OrderFacts.activation(order.createdAt().toInstant(), order.expiresAt().toInstant())
        .withCancellableAt(order.cancellableAt().toInstant());
    Optional<Instant> firstSms = order.sms().stream().map(s -> OffsetDateTime.parse(s.receivedAt()).toInstant())
        .min(Instant::compareTo);
    if (firstSms.isPresent()) facts = facts.withSmsAt(firstSms.get());
    if (order.state() == ActivationState.FAILED) facts = facts.withEvent(AutoRefundEvent.ALLOCATION_FAILURE);
    return facts;
  }
}
