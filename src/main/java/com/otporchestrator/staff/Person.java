package com.otporchestrator.staff;

import java.time.OffsetDateTime;

/** One operator: who acts in the console, recorded as {@code staff:<email>} on every decision. */
public record Person(long id, String email, String name, Role role, OffsetDateTime createdAt, OffsetDateTime disabledAt) {
  /** How decisions record this person. */
  public String actor() {
    return "staff:" + email;
  }

  public boolean active() {
    return disabledAt == null;
  }
}
