package com.otporchestrator.push;

import com.otporchestrator.store.RedisSubscription;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-pod fan-out of order changes over Redis pub/sub. Publishing uses the shared pooled client; receiving is one
 * {@link RedisSubscription} (a dedicated connection, replaced with backoff whenever Redis drops it), deployed as a
 * verticle so the subscriber's state lives on one event loop. Notices are hints: at most once, so streams also re-read
 * on a slow fallback timer, and every stream re-reads after a re-subscription.
 */
public final class RedisChangeRelay {
  private static final Logger LOG = LoggerFactory.getLogger(RedisChangeRelay.class);

  private final Redis publisher;
  private final String channel;
  private final OrderChangeHub hub;
  private final PushStats stats;
  private final RedisSubscription subscription;
  private volatile boolean publishing = true;
  private final AtomicLong publishFailures = new AtomicLong();

  RedisChangeRelay(Redis publisher, String redisUrl, String channel, OrderChangeHub hub, PushStats stats) {
    this.publisher = publisher;
    this.channel = channel;
    this.hub = hub;
    this.stats = stats;
    this.subscription = new RedisSubscription(redisUrl, channel, "orders-sub", this::onMessage, this::subscribed);
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

  /** The verticle that receives the other nodes' notices. */
  RedisSubscription subscription() {
    return subscription;
  }

  /** How this node's subscriber shows in CLIENT LIST: the channel and a per-process id. */
  public String connectionName() {
    return subscription.connectionName();
  }

  private void subscribed(boolean again) {
    stats.subscriptions.increment();
    if (again) {
      LOG.info("re-subscribed to {}; every stream re-reads", channel);
      hub.noticeAll();
    }
  }

  private void onMessage(String message) {
    try {
      long orderId = Long.parseLong(message);
      stats.noticesReceived.increment();
      hub.notice(orderId);
    } catch (NumberFormatException e) {
      LOG.warn("ignored a malformed notice on {}: {}", channel, message);
    }
  }
}
