package com.otporchestrator.catalog;

import com.otporchestrator.store.RedisSubscription;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's copy of the ranked offers per (service, country), so a purchase does not read them from PostgreSQL.
 * Whatever changes what {@link CatalogSql#RANKED_OFFERS} answers (an offer written, a stock refresh, a supplier
 * configured, enabled or disabled, delivery rates folded) calls {@link #changed}: this node forgets every entry before
 * the call returns, the others when the Redis pub/sub notice arrives (milliseconds). A lost notice (Redis down, a node
 * re-subscribing) leaves the entries' age limit as the fallback: {@link #MAX_AGE_MILLIS}.
 *
 * <p>An answer that names a supplier with a channels limit is never kept: whether that supplier is at its limit is a
 * count of live orders, fresh at every purchase. A load that started before a change is not kept either (the
 * generation it started in is gone), so a slow read cannot put back what a notice just removed.
 */
public final class OffersCache {
  private static final Logger LOG = LoggerFactory.getLogger(OffersCache.class);
  /** How long an entry is used at most, should a change notice be lost. */
  static final long MAX_AGE_MILLIS = 10_000;

  /** What RANKED_OFFERS answered for a pair, and whether it may be reused. */
  record Ranked(List<CatalogRepository.RankedOffer> offers, boolean reusable) {}

  private record Entry(List<CatalogRepository.RankedOffer> offers, long generation, long loadedAtNanos) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final Redis redis;
  private final String channel;
  private final RedisSubscription subscription;
  private String deployment;

  public OffersCache(Redis redis, String redisUrl, String keyPrefix) {
    this.redis = redis;
    this.channel = keyPrefix + "offers:changed";
    this.subscription = new RedisSubscription(redisUrl, channel, "offers-sub", message -> forget(), again -> forget());
  }

  /** The pair's ranked offers: this node's copy while it is current, else {@code load}'s answer (kept if reusable). */
  Future<List<CatalogRepository.RankedOffer>> get(String service, int country, Supplier<Future<Ranked>> load) {
    String key = service + '\u0000' + country;
    long current = generation.get();
    Entry entry = entries.get(key);
    if (entry != null && entry.generation == current
        && System.nanoTime() - entry.loadedAtNanos < MAX_AGE_MILLIS * 1_000_000L) {
      return Future.succeededFuture(entry.offers);
    }
    long loadedAt = System.nanoTime();
    return load.get().map(ranked -> {
      if (ranked.reusable() && generation.get() == current) {
        entries.put(key, new Entry(ranked.offers(), current, loadedAt));
      }
      return ranked.offers();
    });
  }

  /** Offers changed: forget them here now, and on every other node as soon as they hear of it. */
  public Future<Void> changed() {
    forget();
    return redis.send(Request.cmd(Command.PUBLISH).arg(channel).arg("*")).<Void>mapEmpty().recover(e -> {
      LOG.warn("could not announce an offers change; other nodes notice it within {} ms: {}", MAX_AGE_MILLIS, e.toString());
      return Future.succeededFuture();
    });
  }

  private void forget() {
    generation.incrementAndGet();
    entries.clear();
  }

  /** Starts hearing the other nodes' notices (nodes that sell). */
  public Future<Void> start(Vertx vertx) {
    return vertx.deployVerticle(subscription).onSuccess(id -> deployment = id).mapEmpty();
  }

  public Future<Void> stop(Vertx vertx) {
    return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
  }
}
