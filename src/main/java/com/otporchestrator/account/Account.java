package com.otporchestrator.account;

/** The caller behind an API key. */
public record Account(long id, String name, String status) {
  public boolean active() {
    return "active".equals(status);
  }
}
