package com.otporchestrator.activation;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Group commit for holds, across wallets (docs/money.md, coalesced holds). At most {@link #STATEMENTS_IN_FLIGHT} hold
 * statements run at a time; holds that arrive meanwhile wait, and the next statement takes every waiting hold it may
 * (up to {@link #MAX_ORDERS_PER_STATEMENT} orders), of any number of accounts: one statement locks each of its wallets
 * once, in account order, and debits each once. A wallet is in at most one running statement, so its holds keep their
 * order and two statements never wait for each other's wallet. A lone purchase pays no added latency; a bulk
 * customer's thousands of concurrent purchases, or many customers' purchases at once, cost a few statements.
 *
 * <p>Each order a statement created gets its allocation watchdog before its purchase goes on to the supplier: its
 * expiry timer, due at the allocation deadline, written for the whole statement in one pipelined call
 * ({@link ActivationTimers#watchdogs}). If this node dies while the supplier answers, or after the order opened and
 * before its window's timer replaced the watchdog, the watchdog fires at that deadline on another node: it fails and
 * refunds an order still allocating, and re-arms an open one at its window's end. The PostgreSQL sweep, with its grace,
 * is left only the instant between the statement's commit and that call.
 */
public final class HoldCoalescer {
  static final int MAX_ORDERS_PER_STATEMENT = 1_000;
  /** Hold statements running at once per node; more waiting holds make larger statements, not more of them. */
  static final int STATEMENTS_IN_FLIGHT = 2;

  private final ActivationRepository activations;
  private final ActivationTimers timers;
  private final Duration allocationTimeout;
  private final LinkedList<Waiting> waiting = new LinkedList<>();
  private final Set<Long> busyAccounts = new HashSet<>();
  private int running;
  private final LongAdder statements = new LongAdder();
  private final LongAdder holdsRequested = new LongAdder();

  private record Waiting(long accountId, List<ActivationRepository.Hold> offers,
                         Promise<List<Optional<ActivationRepository.Created>>> promise, Context context) {}

  private record Batch(List<Waiting> members, List<Long> accounts, List<ActivationRepository.Hold> offers, Set<Long> wallets) {}

  public HoldCoalescer(ActivationRepository activations, ActivationTimers timers, Duration allocationTimeout) {
    this.activations = activations;
    this.timers = timers;
    this.allocationTimeout = allocationTimeout;
  }

  /** Holds the given orders in order while the balance covers them; one answer per offer. */
  public Future<List<Optional<ActivationRepository.Created>>> hold(long accountId, List<ActivationRepository.Hold> offers) {
    Promise<List<Optional<ActivationRepository.Created>>> promise = Promise.promise();
    holdsRequested.add(offers.size());
    synchronized (this) {
      waiting.add(new Waiting(accountId, List.copyOf(offers), promise, Vertx.currentContext()));
    }
    flush();
    return promise.future();
  }

  /** Starts statements while fewer than the bound run and some waiting hold's wallet is free. */
  private void flush() {
    while (true) {
      Batch batch = nextBatch();
      if (batch == null) return;
      statements.increment();
      activations.holdMany(batch.accounts(), batch.offers(), allocationTimeout).onComplete(result -> {
        synchronized (this) {
          running--;
          busyAccounts.removeAll(batch.wallets());
        }
        flush();
        Future<Void> armed = result.succeeded() ? timers.watchdogs(result.result()) : Future.succeededFuture();
        armed.onComplete(done -> answer(batch.members(), result));
      });
    }
  }

  /**
   * Takes, in arrival order, the waiting holds whose wallet no running statement holds, up to the cap; a wallet skipped
   * once (cap reached) is skipped for the rest of the pass, so its holds keep their order.
   */
  private synchronized Batch nextBatch() {
    if (running >= STATEMENTS_IN_FLIGHT || waiting.isEmpty()) return null;
    List<Waiting> members = new ArrayList<>();
    List<Long> accounts = new ArrayList<>();
    List<ActivationRepository.Hold> offers = new ArrayList<>();
    Set<Long> wallets = new HashSet<>();
    Set<Long> skipped = new HashSet<>();
    for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
      Waiting next = it.next();
      if (busyAccounts.contains(next.accountId()) || skipped.contains(next.accountId())) continue;
      if (!offers.isEmpty() && offers.size() + next.offers().size() > MAX_ORDERS_PER_STATEMENT) {
        skipped.add(next.accountId());
        continue;
      }
      it.remove();
      members.add(next);
      wallets.add(next.accountId());
      for (ActivationRepository.Hold offer : next.offers()) {
        accounts.add(next.accountId());
        offers.add(offer);
      }
    }
    if (members.isEmpty()) return null;
    running++;
    busyAccounts.addAll(wallets);
    return new Batch(members, accounts, offers, wallets);
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
