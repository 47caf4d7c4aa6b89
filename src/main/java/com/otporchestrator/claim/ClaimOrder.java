package com.otporchestrator.claim;

import com.otporchestrator.order.Channel;
import com.otporchestrator.policy.OrderFacts;
import com.otporchestrator.policy.RefundPolicy.AutoRefundEvent;
import com.otporchestrator.policy.RefundPolicy.OrderKind;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What a claim needs to know about its order, read in one query with the database clock.
 *
 * @param state the order's lifecycle state (FINISHED, EXPIRED...)
 * @param captured the price was captured (the order ended with a code): a claim refund is possible
 * @param refunded the price already went back (a void, or an earlier claim refund)
 * @param flagged the account has an open abuse flag that throttled or suspended it (the {@code fraud_flagged} tag)
 * @param channel how the order was placed (the JSON API, the compatible API, the web console)
 * @param dbNow the database's {@code now()} when the order was read
 */
public record ClaimOrder(long id, long accountId, OrderKind kind, String service, String state, long price,
                         Instant purchasedAt, Instant expiresAt, Instant cancellableAt, Optional<Instant> firstSmsAt,
                         boolean captured, boolean refunded, String accountStatus, boolean flagged,
                         String policyId, Integer policyVersion, Channel channel, Instant dbNow) {

  /** The facts the pure refund decision function takes. */
  public OrderFacts facts(Set<String> tags) {
    OrderFacts facts = (kind == OrderKind.RENTAL ? OrderFacts.rental(purchasedAt, expiresAt)
        : OrderFacts.activation(purchasedAt, expiresAt).withCancellableAt(cancellableAt))
        .withTags(tags.toArray(String[]::new));
    if (firstSmsAt.isPresent()) facts = facts.withSmsAt(firstSmsAt.get());
    if ("FAILED".equals(state)) facts = facts.withEvent(AutoRefundEvent.ALLOCATION_FAILURE);
    return facts;
  }
}
