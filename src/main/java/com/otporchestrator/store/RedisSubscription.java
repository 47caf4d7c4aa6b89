package com.otporchestrator.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis pub/sub subscription that stays up: a dedicated connection (a subscribed connection takes no other
 * command), owned by its own single-connection client and replaced, with backoff, whenever Redis drops it. Each message
 * is handed to {@code onMessage} on this verticle's event loop; {@code onSubscribed} runs after each subscription, told
 * whether it is a reconnection: messages published while the subscription was down are lost (pub/sub is at most once),
 * so callers keep a fallback and may catch up then.
 *
 * <p>{@code redisUrl} may list several nodes (comma-separated): on Redis Cluster a classic PUBLISH reaches every node, so
 * one plain connection to any node is enough, and each reconnection tries the next one.
 */
public final class RedisSubscription extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSubscription.class);
  private static final long MIN_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final List<String> endpoints;
  private final String channel;
  private final String name;
  private final Consumer<String> onMessage;
  private final Consumer<Boolean> onSubscribed;
  private int attempts = ThreadLocalRandom.current().nextInt(1 << 16);
  private long subscriptions;
  private boolean stopped;
  private Redis subscriber;
  private long backoffMs = MIN_BACKOFF_MS;
  private long reconnectTimer = -1;

  /** @param namePrefix how the connection shows in Redis's CLIENT LIST, followed by the channel and a process id */
  public RedisSubscription(String redisUrl, String channel, String namePrefix, Consumer<String> onMessage,
                           Consumer<Boolean> onSubscribed) {
    this.endpoints = Arrays.stream(redisUrl.split(",")).map(String::trim).filter(u -> !u.isEmpty()).toList();
    this.channel = channel;
    this.name = namePrefix + "-" + channel.replaceAll("[^A-Za-z0-9:_.-]", "_") + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.onMessage = onMessage;
    this.onSubscribed = onSubscribed;
  }

  /** The connection's name in CLIENT LIST. */
  public String connectionName() {
    return name;
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
      conn.handler(this::onReply);
      conn.endHandler(v -> lost(client, "connection closed"));
      conn.exceptionHandler(e -> lost(client, e.toString()));
      return conn.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg(name))
          .compose(named -> conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel)));
    }).onComplete(done -> {
      if (done.succeeded()) {
        backoffMs = MIN_BACKOFF_MS;
        boolean again = subscriptions++ > 0;
        if (again) LOG.info("re-subscribed to {}", channel);
        onSubscribed.accept(again);
      } else {
        lost(client, done.cause().toString());
      }
      first.tryComplete();
    });
  }

  private void onReply(Response reply) {
    if (reply == null || reply.size() != 3 || !"message".equals(reply.get(0).toString())) return;
    onMessage.accept(reply.get(2).toString());
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
