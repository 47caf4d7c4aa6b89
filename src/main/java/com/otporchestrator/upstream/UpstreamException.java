package com.otporchestrator.upstream;

/** Failures of a supplier call, split by what we know about the outcome. */
public sealed class UpstreamException extends RuntimeException {
  private final String providerId;

  protected UpstreamException(String providerId, String message, Throwable cause) {
    super(message, cause, false, false);
    this.providerId = providerId;
  }

  public String providerId() {
    return providerId;
  }

  /** The supplier has no number for this request; nothing was allocated. */
  public static final class NoNumbers extends UpstreamException {
    public NoNumbers(String providerId) {
      super(providerId, "NO_NUMBERS", null);
    }
  }

  /** The supplier definitely refused (bad service, its balance, banned...); nothing was allocated. */
  public static final class Rejected extends UpstreamException {
    private final String token;

    public Rejected(String providerId, String token) {
      super(providerId, "supplier refused: " + token, null);
      this.token = token;
    }

    public String token() {
      return token;
    }
  }

  /** We cannot tell whether the supplier acted: timeout, garbled body, 5xx. Reconcile, never retry. */
  public static final class UnknownOutcome extends UpstreamException {
    public UnknownOutcome(String providerId, String message, Throwable cause) {
      super(providerId, message, cause);
    }
  }
}
