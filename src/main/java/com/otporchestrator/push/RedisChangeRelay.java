package com.otporchestrator.push;

import com.otporchestrator.store.RedisSubscription;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
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

  /**
   * Announces to every node that {@code orderId} changed; an {@link com.otporchestrator.activation.OrderEvents} listener.
   * On an event loop the notices of one turn of the loop travel together, at its end: one PUBLISH of up to
   * {@link #IDS_PER_NOTICE} comma-separated ids, so an expiry batch of hundreds of orders costs one command, not one per
   * order. Elsewhere the notice goes at once.
   */
  public void publish(long orderId) {
    if (!publishing) return;
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) {
      send(String.valueOf(orderId), 1);
      return;
    }
    Pending turn = pending.get();
    if (turn.ids.length() == 0) context.runOnContext(v -> flush(turn));
    else turn.ids.append(',');
    turn.ids.append(orderId);
    if (++turn.count == IDS_PER_NOTICE) flush(turn);
  }

  /** At most this many ids in one notice (about 10 kB). */
  static final int IDS_PER_NOTICE = 1_000;

  /** The ids noticed on one event-loop thread during the current turn of its loop. */
  private static final class Pending {
    final StringBuilder ids = new StringBuilder();
    int count;
  }

  private final ThreadLocal<Pending> pending = ThreadLocal.withInitial(Pending::new);

  private void flush(Pending turn) {
    if (turn.count == 0) return;
    String ids = turn.ids.toString();
    int count = turn.count;
    turn.ids.setLength(0);
    turn.count = 0;
    send(ids, count);
  }

  private void send(String ids, int count) {
    publisher.send(Request.cmd(Command.PUBLISH).arg(channel).arg(ids)).onComplete(done -> {
      if (done.succeeded()) {
        stats.noticesPublished.add(count);
      } else if (publishFailures.getAndIncrement() % 1000 == 0) {
        LOG.warn("could not publish the change of {} orders (streams fall back to re-reading): {}", count, done.cause().toString());
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

  /** A notice: one order id, or several separated by commas. */
  private void onMessage(String message) {
    int from = 0;
    while (from <= message.length()) {
      int comma = message.indexOf(',', from);
      int to = comma < 0 ? message.length() : comma;
      try {
        long orderId = Long.parseLong(message, from, to, 10);
        stats.noticesReceived.increment();
        hub.notice(orderId);
      } catch (NumberFormatException e) {
        LOG.warn("ignored a malformed notice on {}: {}", channel, message.length() > 100 ? message.substring(0, 100) : message);
        return;
      }
      from = to + 1;
    }
  }
}
