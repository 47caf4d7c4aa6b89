package com.otporchestrator.timer;

/**
 * What a timer does when it fires; the letter prefixes its member in the due set ("x:123"), and the lane says whether
 * its handler calls out to other services ({@link TimerLane#EXTERNAL}) or only works on our stores.
 */
public enum TimerKind {
  /** End of an order's window: expire and refund, or finish and capture. */
  EXPIRE('x', TimerLane.INTERNAL),
  /** Ask a polled supplier for SMS. */
  POLL('p', TimerLane.EXTERNAL),
  /** Close the order with its supplier (finish or cancel), retried until it succeeds. */
  CLOSE('c', TimerLane.EXTERNAL),
  /** Post a customer webhook event; the id is the event's, not an order's. */
  WEBHOOK('w', TimerLane.INTERNAL),
  /**
   * A rental's end (or allocation watchdog) while it is open. Rentals share the order id space with activations, so
   * "r:<id>" never collides.
   */
  RENTAL('r', TimerLane.INTERNAL),
  /** Close a closed rental with its supplier (finish or cancel), retried until it succeeds. */
  RENTAL_CLOSE('k', TimerLane.EXTERNAL),
  /** A claim's next support deadline (first response, resolution); the id is the claim's, not an order's. */
  CLAIM_DEADLINE('d', TimerLane.INTERNAL);

  private final char letter;
  private final TimerLane lane;

  TimerKind(char letter, TimerLane lane) {
    this.letter = letter;
    this.lane = lane;
  }

  public TimerLane lane() {
    return lane;
  }

  public String member(long id) {
    return letter + ":" + id;
  }

  public static TimerKind ofLetter(char letter) {
    for (TimerKind kind : values()) {
      if (kind.letter == letter) return kind;
    }
    throw new IllegalArgumentException("unknown timer kind '" + letter + "'");
  }
}
