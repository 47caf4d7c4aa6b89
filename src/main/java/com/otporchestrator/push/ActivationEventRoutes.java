package com.otporchestrator.push;

import com.otporchestrator.activation.ActivationService;
import com.otporchestrator.api.CustomerAuth;
import com.otporchestrator.api.Requests;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/activations/{id}/events}: the order's changes as server-sent events, a push
 * alternative to polling. Each stream holds a place under the node's and the account's caps.
 */
final class ActivationEventRoutes {
  private final ActivationService activations;
  private final OrderPush push;

  ActivationEventRoutes(ActivationService activations, OrderPush push) {
    this.activations = activations;
    this.push = push;
  }

  void mount(Router router) {
    router.get("/v1/activations/:id/events").handler(this::events);
  }

  /**
   * Streams order {@code id} of {@code accountId} with each view encoded by {@code encoder} (the web console's cards),
   * under the same caps as the JSON API's streams; a missing or foreign order fails the context (404).
   */
  void stream(RoutingContext ctx, long id, long accountId, java.util.function.Function<com.otporchestrator.activation.Activation, String> encoder) {
    String refused = push.limits().tryAcquire(accountId);
    if (refused != null) {
      ctx.response().putHeader("Retry-After", "5");
      ctx.fail(new DomainException(Kind.TOO_MANY_REQUESTS, refused));
      return;
    }
    new ActivationEventStream(ctx, id, () -> activations.get(id, accountId), push,
        () -> push.limits().release(accountId), encoder).open();
  }

  private void events(RoutingContext ctx) {
    long id;
    try {
      id = Requests.pathId(ctx, "id", "activation");
    } catch (DomainException e) {
      ctx.fail(e);
      return;
    }
    long accountId = CustomerAuth.account(ctx).id();
    String refused = push.limits().tryAcquire(accountId);
    if (refused != null) {
      ctx.response().putHeader("Retry-After", "5");
      ctx.fail(new DomainException(Kind.TOO_MANY_REQUESTS, refused));
      return;
    }
    new ActivationEventStream(ctx, id, () -> activations.get(id, accountId), push,
        () -> push.limits().release(accountId)).open();
  }
}
