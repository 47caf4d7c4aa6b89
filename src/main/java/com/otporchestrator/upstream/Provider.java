package com.otporchestrator.upstream;

import io.vertx.core.Future;
import java.util.List;

/**
 * One upstream number supplier, whatever protocol it speaks. Every method is non-blocking.
 *
 * <p>Failure contract of {@link #allocate}: a failed Future carries {@link UpstreamException.NoNumbers}
 * when the supplier definitely allocated nothing because it has no stock,
 * {@link UpstreamException.Rejected} when it definitely allocated nothing for another reason, and
 * {@link UpstreamException.UnknownOutcome} when we cannot tell (timeout, garbled reply, 5xx): such a
 * purchase must be reconciled, never retried blindly.
 */
public interface Provider {

  String id();

  /** True when the supplier pushes SMS to us (SMSHub agents); false when we must poll it. */
  boolean pushesSms();

  /** Current stock (and cost where the protocol tells it) per service, country and operator. */
  Future<List<StockLine>> stock();

  Future<Allocation> allocate(AllocationRequest request);

  /** Reads the activation's SMS; only meaningful for polled providers. */
  Future<PollResult> poll(String providerActivationId);

  /** Asks the supplier for another code on the same number (sms-activate setStatus 3). */
  Future<Void> requestAnotherCode(String providerActivationId);

  /** Closes the activation upstream: finished when a code was delivered, cancelled otherwise. */
  Future<CloseOutcome> close(String providerActivationId, boolean codeDelivered);

  /**
   * True when {@link #allocate} honours {@link AllocationRequest#rentHours()}: the number stays ours for that long and
   * every SMS on it is forwarded. Adapters that cannot rent answer false and are never asked for a rental.
   */
  default boolean rents() {
    return false;
  }

  /**
   * True when {@link #allocate} can honour {@link AllocationRequest#reusePhone()}: hand out the same number again
   * (a reactivation, an additional service). Adapters that cannot answer false and are never asked.
   */
  default boolean reusesNumbers() {
    return false;
  }

  /** The supplier's ids of activations it considers open, for reconciling unknown outcomes. */
  Future<List<String>> openActivationIds();
}
