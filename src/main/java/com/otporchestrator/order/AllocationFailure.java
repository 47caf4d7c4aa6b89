package com.otporchestrator.order;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.upstream.UpstreamException;

/**
 * What a supplier's failed allocation means for the order that asked, activation or rental alike: the order fails
 * with a close reason and what we know of the supplier's side ({@code NONE}: nothing was allocated; {@code UNKNOWN}: a
 * number may be held there, to be handed back once known), its hold is voided, and the customer is told why.
 *
 * @param upstreamState NONE or UNKNOWN, as stored on the order
 * @param answer what the customer is told: never charged
 */
public record AllocationFailure(String reason, String upstreamState, DomainException answer) {
  /** The customer's words for the two definite refusals, which name what was being bought. */
  public record Wording(String noNumbers, String refused) {}

  public static AllocationFailure of(Throwable cause, Wording wording) {
    if (cause instanceof UpstreamException.NoNumbers) {
      return new AllocationFailure("no numbers", "NONE", notCharged(Kind.NO_NUMBERS, wording.noNumbers()));
    }
    if (cause instanceof UpstreamException.Rejected rejected) {
      return new AllocationFailure("supplier refused: " + rejected.token(), "NONE", notCharged(Kind.NO_NUMBERS, wording.refused()));
    }
    return new AllocationFailure("supplier outcome unknown", "UNKNOWN",
        notCharged(Kind.UPSTREAM_FAILED, "the supplier did not answer clearly"));
  }

  /** True when the supplier may hold a number for the order: it is reconciled, never offered elsewhere. */
  public boolean outcomeUnknown() {
    return "UNKNOWN".equals(upstreamState);
  }

  /** The answer when the number came after the order had already failed (it is handed back upstream). */
  public static DomainException tooLate() {
    return notCharged(Kind.UPSTREAM_FAILED, "the supplier answered too late");
  }

  private static DomainException notCharged(Kind kind, String why) {
    return new DomainException(kind, why + "; you were not charged");
  }
}
