package com.otporchestrator.policy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The answer for one order at one moment.
 *
 * @param refundableNow true when a refund is due now (automatically) or follows at once from an action open now (cancel)
 * @param rule the rule that decided, e.g. {@code auto.no_sms_in_window}, {@code cancel_before_sms}, {@code final.sms_received}
 * @param until the end of the current state of affairs, if it has one (end of the cancel window, etc.)
 * @param options what the customer can still do; {@code [NOTHING]} when nothing
 */
public record RefundDecision(boolean refundableNow, String rule, Optional<Instant> until, List<Option> options) {

  /** A position with nothing left to do and nothing due: the order was refunded, or its refund waits for review. */
  public static RefundDecision settled(String rule) {
    return new RefundDecision(false, rule, Optional.empty(), List.of(Option.nothing()));
  }

  public enum Action { CANCEL, FILE_CLAIM, NOTHING }

  /** @param claimType set for FILE_CLAIM; notBefore/until bound when the action is open (empty = unbounded) */
  public record Option(Action action, Optional<String> claimType, Optional<Instant> notBefore, Optional<Instant> until) {
    static Option nothing() {
      return new Option(Action.NOTHING, Optional.empty(), Optional.empty(), Optional.empty());
    }
  }
}
