package com.otporchestrator.push;

import io.vertx.core.Context;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's local fan-out: which streams watch which order. A notice for an order runs each
 * watcher's callback on the watcher's own event loop; a stream removes itself when it ends.
 */
public final class OrderChangeHub {
  private final ConcurrentHashMap<Long, Set<Watcher>> watchers = new ConcurrentHashMap<>();

  private record Watcher(Context context, Runnable onNotice) {}

  /** Watches {@code orderId}; run the answer to stop watching. */
  public Runnable watch(long orderId, Context context, Runnable onNotice) {
    Watcher watcher = new Watcher(context, onNotice);
    watchers.compute(orderId, (id, set) -> {
      Set<Watcher> next = set == null ? ConcurrentHashMap.newKeySet() : set;
      next.add(watcher);
      return next;
    });
    return () -> watchers.computeIfPresent(orderId, (id, set) -> {
      set.remove(watcher);
      return set.isEmpty() ? null : set;
    });
  }

  /** A notice that {@code orderId} changed, from any node. */
  public void notice(long orderId) {
    Set<Watcher> set = watchers.get(orderId);
    if (set != null) set.forEach(w -> w.context().runOnContext(v -> w.onNotice().run()));
  }

  /** Every watcher re-reads, for instance after the subscriber reconnected and may have missed notices. */
  public void noticeAll() {
    watchers.keySet().forEach(this::notice);
  }

  /** How many orders are watched on this node. */
  public int watchedOrders() {
    return watchers.size();
  }
}
