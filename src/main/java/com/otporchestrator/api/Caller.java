package com.otporchestrator.api;

/**
 * Who a customer request comes from, as {@link CustomerAuth} found it behind the API key (an account).
 * The HTTP layer needs no more of an account than this, so it depends on no feature.
 */
public interface Caller {
  long id();

  /** active, suspended or terminated: the effective status (a suspension that has ended reads as active). */
  String status();

  default boolean active() {
    return "active".equals(status());
  }
}
