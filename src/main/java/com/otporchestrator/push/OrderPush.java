package com.otporchestrator.push;

import com.otporchestrator.activation.OrderEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.function.LongConsumer;

/**
 * One node's push channel: publishes every committed order change to the other pods, receives
 * theirs on one dedicated Redis subscription, and admits the local event streams that watch them.
 */
public final class OrderPush {
  private final OrderEvents events;
  private final OrderChangeHub hub = new OrderChangeHub();
  private final PushStats stats = new PushStats();
  private final RedisChangeRelay relay;
  private final StreamLimits limits;
  private final LongConsumer publisher;
  private volatile PushSettings settings = PushSettings.DEFAULTS;
  private String deployment;

  public OrderPush(OrderEvents events, Redis redis, String redisUrl, String keyPrefix) {
    this.events = events;
    this.relay = new RedisChangeRelay(redis, redisUrl, keyPrefix + "orders:changed", hub, stats);
    this.limits = new StreamLimits(() -> settings.maxStreamsPerNode(), () -> settings.maxStreamsPerAccount());
    this.publisher = relay::publish;
    events.subscribe(publisher);
  }

  /** Starts receiving other pods' notices (nodes that serve streams only). */
  public Future<Void> startSubscriber(Vertx vertx) {
    return vertx.deployVerticle(relay.subscription()).onSuccess(id -> deployment = id).mapEmpty();
  }

  public Future<Void> stop(Vertx vertx) {
    events.unsubscribe(publisher);
    return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
  }

  public OrderChangeHub hub() {
    return hub;
  }

  public StreamLimits limits() {
    return limits;
  }

  public PushStats stats() {
    return stats;
  }

  public PushSettings settings() {
    return settings;
  }

  /** Test hook: new settings apply to streams opened from now on. */
  public void tune(PushSettings settings) {
    this.settings = settings;
  }

  /** The name of this node's subscriber connection in Redis's CLIENT LIST. */
  public String subscriberName() {
    return relay.connectionName();
  }

  /** Test hook: stop announcing this node's changes, as if every notice were lost. */
  public void publishing(boolean enabled) {
    relay.publishing(enabled);
  }
}
