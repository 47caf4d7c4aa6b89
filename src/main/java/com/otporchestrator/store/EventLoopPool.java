package com.otporchestrator.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.TransactionPropagation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
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
final class EventLoopPool implements Pool {
  private final Pool fallback;
  private final LoopLocal<Pool> byLoop;

  EventLoopPool(Vertx vertx, IntFunction<Pool> factory) {
    AtomicInteger created = new AtomicInteger();
    this.fallback = factory.apply(created.getAndIncrement());
    this.byLoop = new LoopLocal<>(vertx, () -> factory.apply(created.getAndIncrement()));
  }

  private Pool current() {
    Pool pool = byLoop.current();
    return pool == null ? fallback : pool;
  }

  @Override
  public Future<SqlConnection> getConnection() {
    return current().getConnection();
  }

  @Override
  public Query<RowSet<Row>> query(String sql) {
    return current().query(sql);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
    return current().preparedQuery(sql);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
    return current().preparedQuery(sql, options);
  }

  @Override
  public <T> Future<T> withTransaction(Function<SqlConnection, Future<T>> function) {
    return current().withTransaction(function);
  }

  @Override
  public <T> Future<T> withTransaction(TransactionPropagation txPropagation, Function<SqlConnection, Future<T>> function) {
    return current().withTransaction(txPropagation, function);
  }

  @Override
  public <T> Future<T> withConnection(Function<SqlConnection, Future<T>> function) {
    return current().withConnection(function);
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
