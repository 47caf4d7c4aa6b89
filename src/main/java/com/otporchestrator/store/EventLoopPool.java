package com.otporchestrator.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * One PostgreSQL pool per event loop, behind the plain {@link Pool} interface: a call made on an
 * event loop goes to that loop's own pool, whose connections live on the same loop, so the reply
 * is handled where it was asked for. With one pool shared by every verticle, about half the replies
 * arrive on another loop and are handed over (a task queued plus a wake-up of the other thread):
 * the profile of the purchase benchmark showed that hand-over as the largest single cost
 * (docs/benchmarks.md). Calls from other threads (start-up, tests) use a fallback pool.
 *
 * <p>Nothing else changes: the same statements, transactions and connection options; pools are
 * created on first use, so loops that never touch PostgreSQL hold no connection.
 */
final class EventLoopPool extends RoutingPool {
  private final Pool fallback;
  private final LoopLocal<Pool> byLoop;

  EventLoopPool(Vertx vertx, IntFunction<Pool> factory) {
    AtomicInteger created = new AtomicInteger();
    this.fallback = factory.apply(created.getAndIncrement());
    this.byLoop = new LoopLocal<>(vertx, () -> factory.apply(created.getAndIncrement()));
  }

  @Override
  Pool current() {
    Pool pool = byLoop.current();
    return pool == null ? fallback : pool;
  }

  @Override
  public int size() {
    int size = fallback.size();
    for (Pool pool : byLoop.all()) size += pool.size();
    return size;
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    closing.add(fallback.close());
    byLoop.all().forEach(pool -> closing.add(pool.close()));
    return Future.join(closing).mapEmpty();
  }
}
