package com.otporchestrator.activation;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Admission control for purchases (docs/activations.md, overload): a node takes at most {@code PURCHASES_IN_FLIGHT}
 * orders in flight (a batch counts its numbers; a batch larger than the bound is admitted alone) and answers the rest at
 * once with 503 and {@code Retry-After}, before anything is read or written. So an overloaded node keeps the latency of
 * what it admits bounded instead of queueing every request until clients time out, and the timer engine (its own event
 * loop and connections) keeps its share of the machine.
 */
public final class PurchaseAdmission {
  static final long RETRY_AFTER_SECONDS = 1;

  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder rejected = new LongAdder();

  public PurchaseAdmission(int limit) {
    this.limit = limit;
  }

  /**
   * Admits {@code orders} orders and releases them when the answer is sent (or the connection closes); false, with the
   * 503 sent, when the node is full.
   */
  boolean admit(RoutingContext ctx, int orders) {
    if (!tryAdmit(orders)) {
      ctx.response().putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
      ctx.fail(new DomainException(Kind.OVERLOADED, "this node is at its limit of " + limit
          + " purchases in flight; retry in " + RETRY_AFTER_SECONDS + " s", new JsonObject().put("retryAfter", RETRY_AFTER_SECONDS)));
      return false;
    }
    ctx.addEndHandler(done -> release(orders));
    return true;
  }

  /**
   * Admits {@code orders} orders for a front that answers a refusal its own way (the sms-activate compatible API);
   * false, counted as refused, when the node is full. The caller {@link #release}s what was admitted once answered.
   */
  public boolean tryAdmit(int orders) {
    while (true) {
      int now = inFlight.get();
      if (now > 0 && now + orders > limit) {
        rejected.increment();
        return false;
      }
      if (inFlight.compareAndSet(now, now + orders)) return true;
    }
  }

  public void release(int orders) {
    inFlight.addAndGet(-orders);
  }

  /** How long a refused client is asked to wait, in seconds ({@code Retry-After}). */
  public static long retryAfterSeconds() {
    return RETRY_AFTER_SECONDS;
  }

  /** Orders admitted and not yet answered. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Purchase requests refused for want of room so far. */
  public long rejected() {
    return rejected.sum();
  }
}
