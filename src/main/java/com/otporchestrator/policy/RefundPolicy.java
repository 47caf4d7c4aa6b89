package com.otporchestrator.policy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
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

  /**
   * What a claim type applies to: an order of one kind, or the account itself (a deposit or billing problem naming a
   * deposit reference, with no order).
   */
  public enum OrderKind { ACTIVATION, RENTAL, ACCOUNT }

  /** How an automatic event refunds a rental: its whole price (extensions included), or the unused part pro rata. */
  public enum RentalRefund { FULL, UNUSED_PRO_RATA }

  /** Who picks the remedy among a claim type's remedies: support (the default), or the customer. */
  public enum RemedyChoice { SUPPORT, CUSTOMER }

  /** When a claim type may be filed, relative to the first SMS. */
  public enum ClaimCondition { ANY, NO_SMS, AFTER_SMS }

  /**
   * @param window activation window; empty means the order's own expiry (a seed that says "the allotted time" or
   *     "typically 20 minutes" does not fix a number)
   * @param cancelNotBefore minimum delay after purchase before the customer may cancel
   */
  public record Activation(Optional<Duration> window, Duration cancelNotBefore) {}

  /**
   * @param cancelWindow refund-by-cancel window from purchase; after it a rental is never refunded by cancelling
   * @param refunds how each automatic event (listed in {@code autoRefunds} too) refunds a rental; an event not listed
   *     leaves the rental to a claim
   */
  public record Rental(Optional<Duration> minDuration, Optional<Duration> maxDuration, Optional<Duration> cancelWindow,
                       Map<AutoRefundEvent, RentalRefund> refunds) {
    public Rental(Optional<Duration> minDuration, Optional<Duration> maxDuration, Optional<Duration> cancelWindow) {
      this(minDuration, maxDuration, cancelWindow, Map.of());
    }
  }

  /**
   * @param filingWindow time after purchase within which the claim must be filed; empty when the seed states none
   * @param resolutionWithin how long the platform reserves to resolve before refunding, if stated
   * @param remedyChoice who picks among {@code remedies}; with CUSTOMER the claim carries the customer's choice
   */
  public record ClaimType(
      String id,
      String description,
      Set<OrderKind> appliesTo,
      ClaimCondition when,
      Optional<Duration> filingWindow,
      List<Evidence> evidence,
      Optional<Duration> resolutionWithin,
      List<String> remedies,
      RemedyChoice remedyChoice) {

    public ClaimType(String id, String description, Set<OrderKind> appliesTo, ClaimCondition when,
                     Optional<Duration> filingWindow, List<Evidence> evidence, Optional<Duration> resolutionWithin,
                     List<String> remedies) {
      this(id, description, appliesTo, when, filingWindow, evidence, resolutionWithin, remedies, RemedyChoice.SUPPORT);
    }

    /** The remedies an approval may use: those listed, or a full refund when none is. */
    public List<String> offeredRemedies() {
      return remedies.isEmpty() ? List.of("full_refund") : remedies;
    }
  }

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

  /**
   * @param payouts whether (and how) the balance can be paid out
   * @param serviceCreditsOutagesOnly service credits only for orders of a declared outage (its scope and time range)
   */
  public record Wallet(
      String refundDestination,
      String currency,
      boolean topUpsRefundable,
      boolean balanceExpires,
      Payouts payouts,
      boolean serviceCreditsOutagesOnly) {

    /** The payout minimum, when payouts are allowed and one is stated. */
    public Optional<BigDecimal> payoutMinimum() {
      return payouts.allowed() ? payouts.minimum() : Optional.empty();
    }
  }

  /**
   * @param allowed a payout of the balance is possible at all
   * @param minimum the smallest payout, in USD
   * @param closesAccount a payout is leaving the platform: it pays out the whole balance and closes the account
   */
  public record Payouts(boolean allowed, Optional<BigDecimal> minimum, boolean closesAccount) {
    public static final Payouts NONE = new Payouts(false, Optional.empty(), false);
  }

  /** Either a plain duration or a number of business days. */
  public record Deadline(Optional<Duration> duration, Optional<Integer> businessDaysMin, Optional<Integer> businessDaysMax) {}
}
