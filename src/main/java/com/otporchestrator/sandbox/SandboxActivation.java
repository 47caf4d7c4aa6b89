package com.otporchestrator.sandbox;

/** One number handed out by GET_NUMBER; {@code finishStatus} stays null until FINISH_ACTIVATION. */
final class SandboxActivation {
  final long id;
  final String country;
  final String service;
  final String phone;
  Integer finishStatus;
  Long pendingSmsTimer;
  /** Hours of a rental (GET_NUMBER with rentTime); null for an activation. */
  Integer rentHours;
  /** A rental number the sandbox was told to kill: SMS stop and FINISH_ACTIVATION answers NUMBER_DEAD. */
  boolean dead;

  SandboxActivation(long id, String country, String service, String phone) {
    this.id = id;
    this.country = country;
    this.service = service;
    this.phone = phone;
  }

  boolean open() {
    return finishStatus == null;
  }
}
