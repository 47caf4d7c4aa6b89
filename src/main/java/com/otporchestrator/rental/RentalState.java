package com.otporchestrator.rental;

/** Where a rental stands; see V12__rentals.sql for the transitions. */
public enum RentalState {
  ALLOCATING, ACTIVE, FINISHED, ENDED, CANCELLED, FAILED;

  /** Still holding money: not yet captured or voided. */
  public boolean open() {
    return this == ALLOCATING || this == ACTIVE;
  }

  /** Closed with the price captured (finished early or reached its end). */
  public boolean captured() {
    return this == FINISHED || this == ENDED;
  }
}
