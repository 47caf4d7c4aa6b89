package com.otporchestrator.account;

import com.otporchestrator.api.Caller;
import java.time.OffsetDateTime;

/**
 * The caller behind an API key. {@code status} is the effective one: a suspension whose
 * {@code suspendedUntil} has passed reads as active. {@code suspendedUntil} is null unless the
 * account is suspended for a limited time.
 */
public record Account(long id, String name, String status, OffsetDateTime suspendedUntil) implements Caller {
  public Account(long id, String name, String status) {
    this(id, name, status, null);
  }

  @Override
  public boolean active() {
    return "active".equals(status);
  }

  public boolean suspended() {
    return "suspended".equals(status);
  }
}
