package com.otporchestrator.activation;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Group commit for holds on one wallet (docs/money.md, coalesced holds): while a hold statement for an account is in
 * flight, further holds for that account wait, and all that waited go in the next statement
 * together. A lone purchase pays no added latency; a bulk customer's thousands of concurrent
 * purchases lock its wallet row once per batch instead of once per order.
 */
public final class HoldCoalescer {
  static final int MAX_ORDERS_PER_STATEMENT = 1_000;

  private final ActivationRepository activations;
  private final Duration allocationTimeout;
  private final Map<Long, Deque<Waiting>> waiting = new HashMap<>();
  private final java.util.concurrent.atomic.LongAdder statements = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder holdsRequested = new java.util.concurrent.atomic.LongAdder();

  private record Waiting(List<ActivationRepository.Hold> offers, Promise<List<Optional<ActivationRepository.Created>>> promise, Context context) {}

  public HoldCoalescer(ActivationRepository activations, Duration allocationTimeout) {
    this.activations = activations;
    this.allocationTimeout = allocationTimeout;
  }

  /** Holds the given orders in order while the balance covers them; one answer per offer. */
  public Future<List<Optional<ActivationRepository.Created>>> hold(long accountId, List<ActivationRepository.Hold> offers) {
    Promise<List<Optional<ActivationRepository.Created>>> promise = Promise.promise();
    holdsRequested.add(offers.size());
    boolean first;
    synchronized (this) {
      Deque<Waiting> queue = waiting.get(accountId);
      first = queue == null;
      if (first) {
        queue = new ArrayDeque<>();
        waiting.put(accountId, queue);
      }
      queue.add(new Waiting(List.copyOf(offers), promise, Vertx.currentContext()));
    }
    if (first) flush(accountId);
    return promise.future();
  }

  /** Sends everything waiting for this account (up to the cap) in one statement, then the rest. */
  private void flush(long accountId) {
    List<Waiting> batch = new ArrayList<>();
    List<ActivationRepository.Hold> offers = new ArrayList<>();
    synchronized (this) {
      Deque<Waiting> queue = waiting.get(accountId);
      while (!queue.isEmpty() && (batch.isEmpty()
          || offers.size() + queue.peek().offers().size() <= MAX_ORDERS_PER_STATEMENT)) {
        Waiting next = queue.poll();
        batch.add(next);
        offers.addAll(next.offers());
      }
    }
    statements.increment();
    activations.holdMany(accountId, offers, allocationTimeout).onComplete(result -> {
      answer(batch, result);
      boolean more;
      synchronized (this) {
        Deque<Waiting> queue = waiting.get(accountId);
        more = !queue.isEmpty();
        if (!more) waiting.remove(accountId);
      }
      if (more) flush(accountId);
    });
  }

  /** Hold statements sent so far, and orders they covered: their ratio is the coalescing achieved. */
  public long statements() {
    return statements.sum();
  }

  public long holdsRequested() {
    return holdsRequested.sum();
  }

  private static void answer(List<Waiting> batch, AsyncResult<List<Optional<ActivationRepository.Created>>> result) {
    int offset = 0;
    for (Waiting w : batch) {
      int from = offset;
      offset += w.offers().size();
      int to = offset;
      Runnable complete = () -> {
        if (result.failed()) w.promise().fail(result.cause());
        else w.promise().complete(List.copyOf(result.result().subList(from, to)));
      };
      if (w.context() == null) complete.run();
      else w.context().runOnContext(v -> complete.run());
    }
  }
}
