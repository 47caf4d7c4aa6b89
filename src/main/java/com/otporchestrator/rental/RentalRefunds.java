package com.otporchestrator.rental;

import com.otporchestrator.policy.OrderFacts;
import com.otporchestrator.policy.RefundDecision;
import com.otporchestrator.policy.RefundDecisions;
import com.otporchestrator.policy.RefundPolicy;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Explains a rental's refund position under the policy version it was bought under, with {@link RefundDecisions} and
 * {@code OrderKind.RENTAL}. The cancel window judged is the rental's own (stored at purchase: the policy's, or the
 * platform's default when the policy has none), so the answer always agrees with what cancelling would do.
 */
public final class RentalRefunds {
  private final RentalService rentals;

  public RentalRefunds(RentalService rentals) {
    this.rentals = rentals;
  }

  public record Position(Rental rental, RefundPolicy policy, boolean refunded, RefundDecision decision) {}

  public Future<Position> position(long id, long accountId, Instant now) {
    return rentals.get(id, accountId).compose(rental -> rentals.policyOf(rental).map(policy -> position(rental, policy, now)));
  }

  static Position position(Rental rental, RefundPolicy policy, Instant now) {
    if (rental.state() == RentalState.CANCELLED || rental.state() == RentalState.FAILED) {
      return new Position(rental, policy, true, RefundDecision.settled("refunded." + rental.state().name().toLowerCase()));
    }
    if (rental.state() == RentalState.REFUNDED) {
      // refunded by the automatic rule its policy gives for the event (in full, or the unused part)
      return new Position(rental, policy, true, RefundDecision.settled("auto." + rental.refundEvent()));
    }
    RefundPolicy judged = withOwnCancelWindow(policy, rental);
    return new Position(rental, judged, false, RefundDecisions.evaluate(judged, facts(rental), now));
  }

  private static RefundPolicy withOwnCancelWindow(RefundPolicy p, Rental rental) {
    Duration window = Duration.between(rental.createdAt(), rental.cancelUntil());
    RefundPolicy.Rental rule = p.rental().orElse(new RefundPolicy.Rental(Optional.empty(), Optional.empty(), Optional.empty()));
    RefundPolicy.Rental own = new RefundPolicy.Rental(rule.minDuration(), rule.maxDuration(), Optional.of(window),
        rule.refunds());
    return new RefundPolicy(p.id(), p.version(), p.source(), p.effective(), p.activation(), Optional.of(own), p.autoRefunds(),
        p.claims(), p.exclusions(), p.review(), p.wallet());
  }

  static OrderFacts facts(Rental rental) {
    OrderFacts facts = OrderFacts.rental(rental.createdAt().toInstant(), rental.endsAt().toInstant());
    Optional<Instant> firstSms = rental.sms().stream().map(s -> OffsetDateTime.parse(s.receivedAt()).toInstant())
        .min(Instant::compareTo);
    return firstSms.isPresent() ? facts.withSmsAt(firstSms.get()) : facts;
  }
}
