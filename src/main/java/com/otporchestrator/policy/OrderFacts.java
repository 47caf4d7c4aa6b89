package com.otporchestrator.policy;

import com.otporchestrator.policy.RefundPolicy.AutoRefundEvent;
import com.otporchestrator.policy.RefundPolicy.OrderKind;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the engine knows about an order, as plain values.
 *
 * @param expiresAt the order's own activation deadline, used when the policy does not fix a window
 * @param firstSmsAt when the first SMS arrived, if any
 * @param upstreamEvents events the platform observed (broken number, allocation failure, outage); the customer-driven
 *     events NO_SMS_IN_WINDOW and CANCEL_BEFORE_SMS are derived from the times, not passed here
 * @param tags order attributes exclusions and evidence rules refer to, e.g. {@code telegram_2fa}, {@code via_api}
 * @param cancellableAt the order's own earliest cancel, when the platform sets one later than the policy's minimum
 *     delay (the operator's floor for upstreams that refuse early cancels)
 */
public record OrderFacts(
    OrderKind kind,
    Instant purchasedAt,
    Instant expiresAt,
    Optional<Instant> firstSmsAt,
    Set<AutoRefundEvent> upstreamEvents,
    Set<String> tags,
    Optional<Instant> cancellableAt) {

  public OrderFacts {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(purchasedAt);
    Objects.requireNonNull(expiresAt);
    firstSmsAt = firstSmsAt == null ? Optional.empty() : firstSmsAt;
    upstreamEvents = upstreamEvents == null ? Set.of() : Set.copyOf(upstreamEvents);
    tags = tags == null ? Set.of() : Set.copyOf(tags);
    cancellableAt = cancellableAt == null ? Optional.empty() : cancellableAt;
  }

  public static OrderFacts activation(Instant purchasedAt, Instant expiresAt) {
    return new OrderFacts(OrderKind.ACTIVATION, purchasedAt, expiresAt, Optional.empty(), Set.of(), Set.of(), Optional.empty());
  }

  public static OrderFacts rental(Instant purchasedAt, Instant expiresAt) {
    return new OrderFacts(OrderKind.RENTAL, purchasedAt, expiresAt, Optional.empty(), Set.of(), Set.of(), Optional.empty());
  }

  public OrderFacts withSmsAt(Instant at) {
    return new OrderFacts(kind, purchasedAt, expiresAt, Optional.of(at), upstreamEvents, tags, cancellableAt);
  }

  public OrderFacts withEvent(AutoRefundEvent e) {
    var s = new java.util.HashSet<>(upstreamEvents);
    s.add(e);
    return new OrderFacts(kind, purchasedAt, expiresAt, firstSmsAt, s, tags, cancellableAt);
  }

  public OrderFacts withTags(String... t) {
    var s = new java.util.HashSet<>(tags);
    s.addAll(java.util.List.of(t));
    return new OrderFacts(kind, purchasedAt, expiresAt, firstSmsAt, upstreamEvents, s, cancellableAt);
  }

  public OrderFacts withCancellableAt(Instant at) {
    return new OrderFacts(kind, purchasedAt, expiresAt, firstSmsAt, upstreamEvents, tags, Optional.of(at));
  }
}
