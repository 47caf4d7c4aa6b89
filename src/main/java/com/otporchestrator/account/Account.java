package com.otporchestrator.account;

import java.time.OffsetDateTime;

/**
 * The caller behind an API key. {@code status} is the effective one: a suspension whose
 * {@code suspendedUntil} has passed reads as active. {@code suspendedUntil} is null unless the
 * account is suspended for a limited time.
 */
public record Account(long id, String name, String status, OffsetDateTime suspendedUntil) {
  public Account(long id, String name, String status) {
    this(id, name, status, null);
  }

  public boolean active() {
    return "active".equals(status);
  }

  public boolean suspended() {
    return "suspended".equals(status);
  }
}
