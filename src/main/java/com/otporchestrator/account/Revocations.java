package com.otporchestrator.account;

import com.otporchestrator.store.RedisSubscription;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every node that an account's status changed (suspended, reactivated, terminated, closed), so its API key acts
 * on the new status at once everywhere: this node's {@link Authenticator} forgets the account before the call returns,
 * the others when the Redis pub/sub notice arrives (milliseconds). A lost notice (Redis down, a node re-subscribing)
 * leaves the key cache's expiry as the fallback: a few seconds.
 */
public final class Revocations {
  private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);

  private final Authenticator authenticator;
  private final Redis redis;
  private final String channel;
  private final RedisSubscription subscription;
  private String deployment;

  public Revocations(Authenticator authenticator, Redis redis, String redisUrl, String keyPrefix) {
    this.authenticator = authenticator;
    this.redis = redis;
    this.channel = keyPrefix + "accounts:status";
    this.subscription = new RedisSubscription(redisUrl, channel, "accounts-sub", this::onNotice, again -> {});
  }

  /** The account's status changed: forget it here now, and on every other node as soon as they hear of it. */
  public Future<Void> revoke(long accountId) {
    authenticator.revoke(accountId);
    return redis.send(Request.cmd(Command.PUBLISH).arg(channel).arg(accountId)).<Void>mapEmpty().recover(e -> {
      LOG.warn("could not announce the status change of account {}; other nodes notice it within {} ms: {}", accountId,
          Authenticator.TTL_MILLIS, e.toString());
      return Future.succeededFuture();
    });
  }

  private void onNotice(String message) {
    try {
      authenticator.revoke(Long.parseLong(message));
    } catch (NumberFormatException e) {
      LOG.warn("ignored a malformed notice on {}: {}", channel, message);
    }
  }

  /** Starts hearing the other nodes' notices (nodes that authenticate customers). */
  public Future<Void> start(Vertx vertx) {
    return vertx.deployVerticle(subscription).onSuccess(id -> deployment = id).mapEmpty();
  }

  public Future<Void> stop(Vertx vertx) {
    return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
  }

  /** The subscriber's name in Redis's CLIENT LIST. */
  public String subscriberName() {
    return subscription.connectionName();
  }
}
