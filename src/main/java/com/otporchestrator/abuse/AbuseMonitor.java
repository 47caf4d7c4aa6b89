package com.otporchestrator.abuse;

import com.otporchestrator.abuse.AbuseSettings.Signal;
import com.otporchestrator.activation.OrderSignals;
import com.otporchestrator.store.LuaScript;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects systematic abuse of automatic refunds with sliding windows in Redis (one Lua call adds, trims and counts
 * atomically on Redis's clock) and records what trips in PostgreSQL with its evidence. Runs after the order change
 * committed and never fails or delays it: if Redis cannot answer, nothing is detected (like rate limits, abuse
 * controls protect the platform, never the ledger).
 */
public final class AbuseMonitor implements OrderSignals {
  private static final Logger LOG = LoggerFactory.getLogger(AbuseMonitor.class);
  private static final int EVIDENCE_ITEMS = 50;

  private final Redis redis;
  private final LuaScript script;
  private final AbuseRepository repository;
  private final String prefix;

  public AbuseMonitor(Redis redis, LuaScript script, AbuseRepository repository, String prefix) {
    this.redis = redis;
    this.script = script;
    this.repository = repository;
    this.prefix = prefix;
  }

  /** The settings and flags this monitor uses (one cache per process: admin changes reach it at once). */
  public AbuseRepository repository() {
    return repository;
  }

  @Override
  public void purchased(long accountId, long orderId, String clientAddress) {
    onPurchase(accountId, orderId).onFailure(e -> LOG.debug("abuse window not updated: {}", e.toString()));
    onPurchaseFrom(accountId, clientAddress).onFailure(e -> LOG.debug("shared_ip not updated: {}", e.toString()));
  }

  @Override
  public void cancelled(long accountId, long orderId) {
    onCancel(accountId, orderId).onFailure(e -> LOG.warn("abuse check of a cancel skipped: {}", e.toString()));
  }

  /** A purchase counts toward the refund ratio's denominator. */
  public Future<Void> onPurchase(long accountId, long orderId) {
    return repository.settings().compose(all -> {
      AbuseSettings ratio = all.get(Signal.REFUND_RATIO);
      if (ratio == null || !ratio.enabled()) return Future.succeededFuture();
      return window(List.of(key(accountId, "ratio-purchases")), ratio.windowMs(), String.valueOf(orderId), 0).mapEmpty();
    });
  }

  /** A purchase from a client IP: several accounts behind one address within the window trip shared_ip. */
  public Future<Void> onPurchaseFrom(long accountId, String ip) {
    if (ip == null || ip.isEmpty()) return Future.succeededFuture();
    return repository.settings().compose(all -> {
      AbuseSettings s = all.get(Signal.SHARED_IP);
      if (s == null || !s.enabled()) return Future.succeededFuture();
      return window(List.of(prefix + "abuse:{ip:" + ip + "}:accounts"), s.windowMs(), String.valueOf(accountId),
          EVIDENCE_ITEMS).compose(w -> {
            if (w.counts().get(0) < s.threshold()) return Future.succeededFuture();
            JsonObject evidence = new JsonObject().put("ip", ip).put("accounts", new JsonArray(w.members()))
                .put("windowSeconds", s.windowMs() / 1000);
            String observed = w.counts().get(0) + " accounts bought from " + ip + " within " + s.windowMs() / 1000 + " s";
            List<Future<Boolean>> flags = new ArrayList<>();
            for (String member : w.members()) flags.add(repository.flag(Long.parseLong(member), Signal.SHARED_IP, observed, evidence));
            return Future.all(flags).mapEmpty();
          });
    });
  }

  /** A customer's cancel (a refund by cancelling): counts cancels, and the refund ratio. */
  public Future<Void> onCancel(long accountId, long orderId) {
    return repository.settings().compose(all -> Future.all(cancels(all.get(Signal.CANCELS), accountId, orderId),
        ratio(all.get(Signal.REFUND_RATIO), accountId, orderId)).mapEmpty());
  }

  private Future<Void> cancels(AbuseSettings s, long accountId, long orderId) {
    if (s == null || !s.enabled()) return Future.succeededFuture();
    return window(List.of(key(accountId, "cancels")), s.windowMs(), String.valueOf(orderId), EVIDENCE_ITEMS).compose(w -> {
      long n = w.counts().get(0);
      if (n < s.threshold()) return Future.succeededFuture();
      return repository.flag(accountId, Signal.CANCELS, n + " purchases cancelled within " + s.windowMs() / 1000
          + " s (threshold " + s.threshold() + ")", new JsonObject().put("cancelledOrders", orders(w.members()))
          .put("count", n).put("threshold", s.threshold()).put("windowSeconds", s.windowMs() / 1000)).mapEmpty();
    });
  }

  private Future<Void> ratio(AbuseSettings s, long accountId, long orderId) {
    if (s == null || !s.enabled()) return Future.succeededFuture();
    return window(List.of(key(accountId, "ratio-cancels"), key(accountId, "ratio-purchases")), s.windowMs(),
        String.valueOf(orderId), EVIDENCE_ITEMS).compose(w -> {
          long cancels = w.counts().get(0);
          long purchases = w.counts().get(1);
          if (purchases < s.threshold() || !trips(cancels, purchases, s.ratio())) return Future.succeededFuture();
          BigDecimal observed = BigDecimal.valueOf(cancels).divide(BigDecimal.valueOf(purchases), 3, RoundingMode.HALF_UP);
          return repository.flag(accountId, Signal.REFUND_RATIO, cancels + " of " + purchases + " purchases refunded by"
              + " cancelling within " + s.windowMs() / 1000 + " s (ratio " + observed.toPlainString() + " >= "
              + s.ratio().toPlainString() + ")", new JsonObject().put("purchases", purchases).put("cancels", cancels)
              .put("ratio", observed.toPlainString()).put("threshold", s.ratio().toPlainString())
              .put("cancelledOrders", orders(w.members())).put("windowSeconds", s.windowMs() / 1000)).mapEmpty();
        });
  }

  /** cancels / purchases >= ratio, in exact decimal arithmetic. */
  static boolean trips(long cancels, long purchases, BigDecimal ratio) {
    return purchases > 0 && BigDecimal.valueOf(cancels).compareTo(ratio.multiply(BigDecimal.valueOf(purchases))) >= 0;
  }

  private record Window(List<Long> counts, List<String> members) {}

  private Future<Window> window(List<String> keys, long windowMs, String member, int evidence) {
    return script.run(redis, keys, List.of(String.valueOf(windowMs), member, String.valueOf(evidence))).map(r -> {
      List<Long> counts = new ArrayList<>();
      List<String> members = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        Response item = r.get(i);
        if (i < keys.size()) counts.add(item.toLong());
        else members.add(item.toString());
      }
      return new Window(counts, members);
    });
  }

  private String key(long accountId, String name) {
    return prefix + "abuse:{a" + accountId + "}:" + name;
  }

  private static JsonArray orders(List<String> members) {
    JsonArray out = new JsonArray();
    members.forEach(m -> out.add(Long.parseLong(m)));
    return out;
  }
}
