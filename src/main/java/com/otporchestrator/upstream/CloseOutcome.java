package com.otporchestrator.upstream;

import java.time.Duration;

/** Result of closing an activation upstream. */
public sealed interface CloseOutcome {
  /** The supplier accepted the close (or already had it closed). */
  record Closed() implements CloseOutcome {}

  /** Try again later, e.g. EARLY_CANCEL_DENIED with the supplier's minimum activation time. */
  record RetryLater(Duration after, String reason) implements CloseOutcome {}

  /** The supplier will never accept it; the money it keeps is recorded as our cost. */
  record Refused(String reason) implements CloseOutcome {}

  static CloseOutcome closed() {
    return new Closed();
  }
}
