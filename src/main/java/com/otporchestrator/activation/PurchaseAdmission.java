package com.otporchestrator.activation;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Admission control for purchases (docs/activations.md, overload): a node takes at most {@code PURCHASES_IN_FLIGHT}
 * orders in flight (a batch counts its numbers; a batch larger than the bound is admitted alone) and answers the rest at
 * once with 503 and {@code Retry-After}, before anything is read or written. So an overloaded node keeps the latency of
 * what it admits bounded instead of queueing every request until clients time out, and the timer engine (its own event
 * loop and connections) keeps its share of the machine.
 *
 * <p>The {@code Retry-After} it names is the time this node needs to answer what it holds, at the rate it answered
 * purchases over the last one to two seconds, from 1 to {@value #MAX_RETRY_AFTER_SECONDS} s: a node that answers fast
 * asks for a second, a node that stalls (a peer's load moved to it, its machine busy) asks its clients to stay away
 * until it has caught up, so their retries do not meet the same full node again.
 */
public final class PurchaseAdmission {
  static final long MIN_RETRY_AFTER_SECONDS = 1;
  static final long MAX_RETRY_AFTER_SECONDS = 10;
  private static final long SECOND_NANOS = 1_000_000_000L;

  private final int limit;
  private final LongSupplier nanoClock;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder rejected = new LongAdder();
  /** Orders answered in the current and in the previous second of {@link #nanoClock}; guarded by {@code this}. */
  private long answeredThisSecond;
  private long answeredLastSecond;
  private long second;

  public PurchaseAdmission(int limit) {
    this(limit, System::nanoTime);
  }

  PurchaseAdmission(int limit, LongSupplier nanoClock) {
    this.limit = limit;
    this.nanoClock = nanoClock;
    this.second = Math.floorDiv(nanoClock.getAsLong(), SECOND_NANOS);
  }

  /**
   * Admits {@code orders} orders and releases them when the answer is sent (or the connection closes); false, with the
   * 503 sent, when the node is full.
   */
  boolean admit(RoutingContext ctx, int orders) {
    if (!tryAdmit(orders)) {
      long retryAfter = retryAfterSeconds();
      ctx.response().putHeader("Retry-After", String.valueOf(retryAfter));
      ctx.fail(new DomainException(Kind.OVERLOADED, "this node is at its limit of " + limit
          + " purchases in flight; retry in " + retryAfter + " s", new JsonObject().put("retryAfter", retryAfter)));
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
    countAnswered(orders);
  }

  /**
   * How long a refused client is asked to wait, in seconds ({@code Retry-After}): the orders held divided by the rate
   * they were answered at over the previous second and the part of this one gone by, rounded up, from 1 to 10; 10 when
   * nothing was answered in that time.
   */
  public synchronized long retryAfterSeconds() {
    long now = nanoClock.getAsLong();
    roll(now);
    double seconds = 1 + (double) Math.floorMod(now, SECOND_NANOS) / SECOND_NANOS;
    double perSecond = (answeredLastSecond + answeredThisSecond) / seconds;
    if (perSecond <= 0) return MAX_RETRY_AFTER_SECONDS;
    long drain = (long) Math.ceil(inFlight.get() / perSecond);
    return Math.max(MIN_RETRY_AFTER_SECONDS, Math.min(MAX_RETRY_AFTER_SECONDS, drain));
  }

  private synchronized void countAnswered(int orders) {
    roll(nanoClock.getAsLong());
    answeredThisSecond += orders;
  }

  private void roll(long now) {
    long current = Math.floorDiv(now, SECOND_NANOS);
    if (current == second) return;
    answeredLastSecond = current == second + 1 ? answeredThisSecond : 0;
    answeredThisSecond = 0;
    second = current;
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
