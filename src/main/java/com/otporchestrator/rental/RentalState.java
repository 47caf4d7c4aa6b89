package com.otporchestrator.rental;

/**
 * Where a rental stands; see V12__rentals.sql for the transitions. REFUNDED: ended by an automatic refund its policy
 * gives for an event (a dead number, an outage), in full or pro rata (V20).
 */
public enum RentalState {
  ALLOCATING, ACTIVE, FINISHED, ENDED, CANCELLED, FAILED, REFUNDED;

  /** Still holding money: not yet captured or voided. */
  public boolean open() {
    return this == ALLOCATING || this == ACTIVE;
  }

  /** Closed with the price captured (finished early or reached its end). */
  public boolean captured() {
    return this == FINISHED || this == ENDED;
  }
}
