package com.otporchestrator.api;

/**
 * Who a customer request comes from, as {@link CustomerAuth} found it behind the API key (an account).
 * The HTTP layer needs no more of an account than this, so it depends on no feature.
 */
public interface Caller {
  long id();

  /**
   * active, suspended, terminated or closed (left the platform with a payout): the effective status (a suspension that
   * has ended reads as active).
   */
  String status();

  default boolean active() {
    return "active".equals(status());
  }

  /** A terminated or closed account: its keys no longer authenticate. */
  default boolean gone() {
    return "terminated".equals(status()) || "closed".equals(status());
  }
}
