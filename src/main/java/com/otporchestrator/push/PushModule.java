package com.otporchestrator.push;

import com.otporchestrator.activation.ActivationModule;
import com.otporchestrator.config.AppConfig;
import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * Pushing order changes: every committed change is announced to the other pods over Redis pub/sub, and
 * {@code GET /v1/activations/{id}/events} streams an order's changes to its owner (server-sent events).
 */
public final class PushModule implements FeatureModule {
  private final OrderPush push;
  private final ActivationEventRoutes routes;

  public PushModule(Core core, ActivationModule activations) {
    AppConfig config = core.config();
    this.push = new OrderPush(activations.events(), core.redis(), config.redisUrl(), config.redisKeyPrefix());
    this.routes = new ActivationEventRoutes(activations.service(), push);
    core.metrics().gauge("otp.sse.streams.open", "Server-sent event streams open on this node", push.limits(),
        StreamLimits::open);
  }

  /** The node's push channel: its stream caps, counters and test hooks. */
  public OrderPush channel() {
    return push;
  }

  /** Receives the other pods' notices: only nodes that serve event streams need them. */
  public Future<Void> startSubscriber(Vertx vertx) {
    return push.startSubscriber(vertx);
  }

  public Future<Void> stop(Vertx vertx) {
    return push.stop(vertx);
  }

  /**
   * An event stream of one order for another front (the web console): each view of the order is sent as the text
   * {@code encoder} makes of it; the stream holds a place under the node's and the account's caps like the JSON API's.
   */
  public void stream(io.vertx.ext.web.RoutingContext ctx, long orderId, long accountId,
                     java.util.function.Function<com.otporchestrator.activation.Activation, String> encoder) {
    routes.stream(ctx, orderId, accountId, encoder);
  }

  @Override
  public void mount(Router router) {
    routes.mount(router);
  }
}
