package com.otporchestrator.sandbox;

/** One number handed out by GET_NUMBER; {@code finishStatus} stays null until FINISH_ACTIVATION. */
final class SandboxActivation {
  final long id;
  final String country;
  final String service;
  final String phone;
  Integer finishStatus;
  Long pendingSmsTimer;

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
