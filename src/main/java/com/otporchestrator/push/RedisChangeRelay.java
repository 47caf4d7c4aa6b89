package com.otporchestrator.push;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-pod fan-out of order changes over Redis pub/sub. Publishing uses the shared pooled client;
 * receiving needs one dedicated connection (a subscribed connection takes no other command), owned
 * by its own single-connection client and replaced, with backoff, whenever Redis drops it. Notices
 * are hints: at most once, so streams also re-read on a slow fallback timer. Deployed as a verticle
 * so the subscriber's state lives on one event loop.
 *
 * <p>On Redis Cluster, classic PUBLISH is broadcast over the cluster bus to every node, so the
 * subscriber is one plain connection to any one node: {@code redisUrl} may list several nodes
 * (comma-separated) and each reconnection tries the next, so losing the subscribed node moves the
 * subscription to a live one.
 */
public final class RedisChangeRelay extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RedisChangeRelay.class);
  private static final long MIN_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final Redis publisher;
  private final java.util.List<String> endpoints;
  private int attempts = java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 16);
  private final String channel;
  private final OrderChangeHub hub;
  private final PushStats stats;
  private final String instance = java.util.UUID.randomUUID().toString().substring(0, 8);
  private volatile boolean publishing = true;
  private boolean stopped;
  private Redis subscriber;
  private long backoffMs = MIN_BACKOFF_MS;
  private long reconnectTimer = -1;
  private final java.util.concurrent.atomic.AtomicLong publishFailures = new java.util.concurrent.atomic.AtomicLong();

  RedisChangeRelay(Redis publisher, String redisUrl, String channel, OrderChangeHub hub, PushStats stats) {
    this.publisher = publisher;
    this.endpoints = java.util.Arrays.stream(redisUrl.split(",")).map(String::trim).filter(u -> !u.isEmpty()).toList();
    this.channel = channel;
    this.hub = hub;
    this.stats = stats;
  }

  /** Announces to every node that {@code orderId} changed; an {@link com.otporchestrator.activation.OrderEvents} listener. */
  public void publish(long orderId) {
    if (!publishing) return;
    publisher.send(Request.cmd(Command.PUBLISH).arg(channel).arg(orderId)).onComplete(done -> {
      if (done.succeeded()) {
        stats.noticesPublished.increment();
      } else if (publishFailures.getAndIncrement() % 1000 == 0) {
        LOG.warn("could not publish the change of order {} (streams fall back to re-reading): {}", orderId, done.cause().toString());
      }
    });
  }

  /** Test hook: a node that publishes nothing, so other nodes only learn of its changes by re-reading. */
  public void publishing(boolean enabled) {
    publishing = enabled;
  }

  /** Starts the subscriber; completes once first subscribed, or after a first failure (it keeps retrying). */
  @Override
  public Future<?> start() {
    Promise<Void> first = Promise.promise();
    vertx.setTimer(MAX_BACKOFF_MS, id -> first.tryComplete());
    subscribe(first);
    return first.future();
  }

  private void subscribe(Promise<Void> first) {
    if (stopped) {
      first.tryComplete();
      return;
    }
    String endpoint = endpoints.get(Math.floorMod(attempts++, endpoints.size()));
    Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(endpoint).setMaxPoolSize(1)
        .setPoolName("redis-pubsub").setMetricsName("redis-pubsub"));
    subscriber = client;
    client.connect().compose(conn -> {
      conn.handler(this::onMessage);
      conn.endHandler(v -> lost(client, "connection closed"));
      conn.exceptionHandler(e -> lost(client, e.toString()));
      return conn.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg(connectionName()))
          .compose(named -> conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel)));
    }).onComplete(done -> {
      if (done.succeeded()) {
        boolean reconnected = stats.subscriptions.sum() > 0;
        stats.subscriptions.increment();
        backoffMs = MIN_BACKOFF_MS;
        if (reconnected) {
          LOG.info("re-subscribed to {}; every stream re-reads", channel);
          hub.noticeAll();
        }
      } else {
        lost(client, done.cause().toString());
      }
      first.tryComplete();
    });
  }

  /** How this node's subscriber shows in CLIENT LIST: the channel and a per-process id. */
  public String connectionName() {
    return "orders-sub-" + channel.replaceAll("[^A-Za-z0-9:_.-]", "_") + "-" + instance;
  }

  private void onMessage(Response reply) {
    if (reply == null || reply.size() != 3 || !"message".equals(reply.get(0).toString())) return;
    try {
      long orderId = Long.parseLong(reply.get(2).toString());
      stats.noticesReceived.increment();
      hub.notice(orderId);
    } catch (NumberFormatException e) {
      LOG.warn("ignored a malformed notice on {}: {}", channel, reply.get(2));
    }
  }

  /** The subscriber connection is gone: close its client and open a new one after a backoff. */
  private void lost(Redis client, String why) {
    if (stopped || client != subscriber || reconnectTimer >= 0) return;
    LOG.warn("lost the subscription to {} ({}); reconnecting in {} ms", channel, why, backoffMs);
    client.close();
    reconnectTimer = vertx.setTimer(backoffMs, id -> {
      reconnectTimer = -1;
      subscribe(Promise.promise());
    });
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (reconnectTimer >= 0) vertx.cancelTimer(reconnectTimer);
    if (subscriber != null) subscriber.close();
    return Future.succeededFuture();
  }
}
