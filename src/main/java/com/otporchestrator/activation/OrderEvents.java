package com.otporchestrator.activation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process notice that an order changed (state or a new SMS), raised after the change committed.
 * It is a hint for push channels (server-sent events, cross-pod fan-out): listeners re-read the
 * order from PostgreSQL, so a lost or repeated notice never shows anything false.
 */
public final class OrderEvents {
  private static final Logger LOG = LoggerFactory.getLogger(OrderEvents.class);
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

  public void subscribe(LongConsumer listener) {
    listeners.add(listener);
  }

  public void unsubscribe(LongConsumer listener) {
    listeners.remove(listener);
  }

  public void changed(long orderId) {
    for (LongConsumer listener : listeners) {
      try {
        listener.accept(orderId);
      } catch (RuntimeException e) {
        LOG.warn("order event listener failed for {}: {}", orderId, e.toString());
      }
    }
  }

  public void changedAll(List<Long> orderIds) {
    orderIds.forEach(this::changed);
  }
}
