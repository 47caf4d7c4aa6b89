package com.otporchestrator.staff;

/**
 * Hashes and checks operators' passwords. The stored text names its own algorithm and parameters, so a stronger
 * hasher can take over and still check older hashes. Both methods are slow on purpose: never call them on an event
 * loop ({@link StaffService} runs them on a worker).
 */
public interface PasswordHasher {
  String hash(String password);

  boolean verify(String password, String stored);
}
