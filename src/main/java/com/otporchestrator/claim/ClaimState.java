package com.otporchestrator.claim;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A claim's lifecycle. SUBMITTED (waiting for a first response) or NEEDS_EVIDENCE (the policy requires proof not yet
 * uploaded, or support asked for more) -> IN_REVIEW -> ESCALATED (next level of review.escalation) -> APPROVED or
 * REJECTED. A REJECTED claim may be escalated again (an appeal) unless the policy's decisions are final.
 */
public enum ClaimState {
  SUBMITTED, NEEDS_EVIDENCE, IN_REVIEW, ESCALATED, APPROVED, REJECTED;

  public static final Set<ClaimState> OPEN = EnumSet.of(SUBMITTED, NEEDS_EVIDENCE, IN_REVIEW, ESCALATED);

  public boolean open() {
    return OPEN.contains(this);
  }

  static List<String> openNames() {
    return OPEN.stream().map(Enum::name).toList();
  }
}
