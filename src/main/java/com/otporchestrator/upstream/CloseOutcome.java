package com.otporchestrator.upstream;

import java.time.Duration;

/** Result of closing an activation upstream. */
public sealed interface CloseOutcome {
  /** The supplier accepted the close (or already had it closed). */
  record Closed() implements CloseOutcome {}

  /** Try again later (unreachable, throttled, an unexpected answer); counts as a failed attempt. */
  record RetryLater(Duration after, String reason) implements CloseOutcome {}

  /**
   * Not a failure: the supplier will not close an activation younger than {@code minimumAge}
   * (sms-activate's EARLY_CANCEL_DENIED, 5sim's "you need to wait time"). The close is rescheduled
   * for when the activation reaches that age, without spending an attempt.
   */
  record TooEarly(Duration minimumAge, String reason) implements CloseOutcome {}

  /** The supplier will never accept it; the money it keeps is recorded as our cost. */
  record Refused(String reason) implements CloseOutcome {}

  static CloseOutcome closed() {
    return new Closed();
  }
}
