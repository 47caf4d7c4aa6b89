package com.otporchestrator.activation;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.routing.ProviderRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a customer can do to an order after buying it. Each action is one guarded statement; when
 * it changes nothing, the order's current state explains precisely why.
 */
public final class ActivationService {
  private static final Logger LOG = LoggerFactory.getLogger(ActivationService.class);

  private final ActivationRepository activations;
  private final ActivationTimers timers;
  private final ProviderRegistry providers;
  private final OrderEvents events;
  private volatile OrderSignals signals = OrderSignals.NONE;

  public ActivationService(ActivationRepository activations, ActivationTimers timers, ProviderRegistry providers,
                           OrderEvents events) {
    this.activations = activations;
    this.timers = timers;
    this.providers = providers;
    this.events = events;
  }

  public Future<Activation> get(long id, long accountId) {
    return activations.find(id, accountId).map(found -> found.orElseThrow(() -> notFound(id)));
  }

  public Future<List<Activation>> list(long accountId, ActivationState state, Long beforeId, int limit) {
    return activations.list(accountId, state, beforeId, limit);
  }

  /** Orders that hold a number and may still receive a code, newest first. */
  public Future<List<Activation>> live(long accountId, int limit) {
    return activations.live(accountId, limit);
  }

  /** A page of the live orders: the {@code offset} newest skipped. */
  public Future<List<Activation>> live(long accountId, int offset, int limit) {
    return activations.live(accountId, offset, limit);
  }

  /** Orders that got a number, bought between {@code from} and {@code to} (each optional), newest first. */
  public Future<List<Activation>> history(long accountId, java.time.OffsetDateTime from, java.time.OffsetDateTime to,
                                          int offset, int limit) {
    return activations.history(accountId, from, to, offset, limit);
  }

  /** Cancels and refunds an order still waiting for its code, once the minimum delay has passed. */
  public Future<Activation> cancel(long id, long accountId) {
    return activations.cancel(id, accountId).compose(done -> done
        ? changed(id).onComplete(v -> signals.cancelled(accountId, id)).compose(v -> get(id, accountId))
        : get(id, accountId).map(order -> explainRefusedCancel(order)));
  }

  /** Who is told of each committed customer cancel (abuse controls). */
  public void signals(OrderSignals listener) {
    this.signals = listener;
  }

  /** Confirms the code: the order finishes and its price is captured. */
  public Future<Activation> finish(long id, long accountId) {
    return activations.finish(id, accountId).compose(done -> done
        ? changed(id).compose(v -> get(id, accountId))
        : get(id, accountId).map(order -> explainRefused(order, ActivationState.FINISHED,
            "no code has been received yet; cancel the activation instead")));
  }

  /** Asks for another code on the same number, free of charge. */
  public Future<Activation> retry(long id, long accountId) {
    return activations.retry(id, accountId).compose(done -> {
      if (!done) {
        return get(id, accountId).map(order -> explainRefused(order, ActivationState.WAITING_RETRY,
            "another code can only be requested after a code was received"));
      }
      events.changed(id);
      return get(id, accountId).onSuccess(this::askSupplierForAnotherCode);
    });
  }

  private Future<Void> changed(long id) {
    events.changed(id);
    return timers.sync(id);
  }

  private void askSupplierForAnotherCode(Activation order) {
    providers.get(order.providerId()).ifPresent(provider -> activations.providerActivationId(order.id())
        .compose(ref -> ref == null ? Future.succeededFuture() : provider.requestAnotherCode(ref))
        .onFailure(e -> LOG.warn("supplier {} did not take the retry of order {}: {}", order.providerId(), order.id(), e.toString())));
  }

  private static Activation explainRefusedCancel(Activation order) {
    if (order.state() == ActivationState.WAITING_CODE && !order.cancellableAt().isBefore(order.expiresAt())) {
      throw new DomainException(Kind.TOO_EARLY, "under this order's refund policy it cannot be cancelled; without an SMS"
          + " its price comes back by itself when the window ends at " + order.expiresAt(),
          new JsonObject().put("cancellableAt", order.cancellableAt().toString()));
    }
    if (order.state() == ActivationState.WAITING_CODE) {
      throw new DomainException(Kind.TOO_EARLY,
          "an activation can be cancelled from " + order.cancellableAt() + ", " + "after the minimum delay",
          new JsonObject().put("cancellableAt", order.cancellableAt().toString()));
    }
    return explainRefused(order, ActivationState.CANCELLED,
        order.state().codeReceived() ? "a code was already received; finish the activation instead"
            : "the activation cannot be cancelled");
  }

  /** The action changed nothing: repeating it on an order already there is fine, anything else is a conflict. */
  private static Activation explainRefused(Activation order, ActivationState target, String whenOpen) {
    if (order.state() == target) return order;
    String detail = order.state() == ActivationState.ALLOCATING ? "the number is still being allocated"
        : order.state().open() ? whenOpen
        : "the activation is already " + order.state().name().toLowerCase();
    throw new DomainException(Kind.INVALID_STATE, detail, new JsonObject().put("state", order.state().name()));
  }

  private static DomainException notFound(long id) {
    return DomainException.notFound("activation " + id + " does not exist");
  }
}
