package com.otporchestrator.activation;

import java.util.EnumSet;
import java.util.Set;

/** The lifecycle of docs/activations.md; WAITING_RETRY is CODE_RECEIVED after the customer asked for another code. */
public enum ActivationState {
  ALLOCATING, WAITING_CODE, CODE_RECEIVED, WAITING_RETRY, FINISHED, CANCELLED, EXPIRED, FAILED;

  public static final Set<ActivationState> OPEN = EnumSet.of(ALLOCATING, WAITING_CODE, CODE_RECEIVED, WAITING_RETRY);

  public boolean open() {
    return OPEN.contains(this);
  }

  public boolean codeReceived() {
    return this == CODE_RECEIVED || this == WAITING_RETRY;
  }
}
