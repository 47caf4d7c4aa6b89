package com.otporchestrator.policy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One published, immutable version of a refund policy. An order records {@code id} and {@code version} at purchase and is
 * judged by that version for its whole life ("the policy in effect at the time of your purchase applies").
 * All collections are unmodifiable; optional parts are {@link Optional} rather than null.
 */
public record RefundPolicy(
    String id,
    int version,
    String source,
    Optional<LocalDate> effective,
    Activation activation,
    Optional<Rental> rental,
    Set<AutoRefundEvent> autoRefunds,
    List<ClaimType> claims,
    List<Exclusion> exclusions,
    Review review,
    Wallet wallet) {

  /** The events that refund on their own, with no ticket. */
  public enum AutoRefundEvent {
    NO_SMS_IN_WINDOW, CANCEL_BEFORE_SMS, NUMBER_BROKEN_UPSTREAM, ALLOCATION_FAILURE, PLATFORM_OUTAGE
  }

  public enum OrderKind { ACTIVATION, RENTAL }

  /** When a claim type may be filed, relative to the first SMS. */
  public enum ClaimCondition { ANY, NO_SMS, AFTER_SMS }

  /**
   * @param window activation window; empty means the order's own expiry (a seed that says "the allotted time" or
   *     "typically 20 minutes" does not fix a number)
   * @param cancelNotBefore minimum delay after purchase before the customer may cancel
   */
  public record Activation(Optional<Duration> window, Duration cancelNotBefore) {}

  /** @param cancelWindow refund-by-cancel window from purchase; after it a rental is never refunded by cancelling */
  public record Rental(Optional<Duration> minDuration, Optional<Duration> maxDuration, Optional<Duration> cancelWindow) {}

  /**
   * @param filingWindow time after purchase within which the claim must be filed; empty when the seed states none
   * @param resolutionWithin how long the platform reserves to resolve before refunding, if stated
   */
  public record ClaimType(
      String id,
      String description,
      Set<OrderKind> appliesTo,
      ClaimCondition when,
      Optional<Duration> filingWindow,
      List<Evidence> evidence,
      Optional<Duration> resolutionWithin,
      List<String> remedies) {}

  /** @param onlyIfTag evidence required only when the order carries this tag (e.g. {@code telegram_2fa}) */
  public record Evidence(String kind, Optional<String> onlyIfTag) {}

  /**
   * A case the policy refuses. {@code orderTag} makes it machine-checkable: an order carrying that tag loses the
   * listed claim types (all claim types when {@code claims} is empty). Without a tag the exclusion is a text rule
   * for human review.
   */
  public record Exclusion(String id, String text, Optional<String> orderTag, List<String> claims) {}

  /** Support deadlines; a {@link Deadline} may be in business days, which a Duration cannot say. */
  public record Review(
      Optional<Deadline> responseWithin,
      Optional<Deadline> resolutionWithin,
      List<String> escalation,
      boolean decisionsFinal) {}

  public record Wallet(
      String refundDestination,
      String currency,
      boolean topUpsRefundable,
      boolean balanceExpires,
      Optional<BigDecimal> payoutMinimum) {}

  /** Either a plain duration or a number of business days. */
  public record Deadline(Optional<Duration> duration, Optional<Integer> businessDaysMin, Optional<Integer> businessDaysMax) {}
}
