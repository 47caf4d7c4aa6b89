package com.otporchestrator.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.TransactionPropagation;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Two pools behind the plain {@link Pool} interface: each call goes to the {@code lane} pool while {@code onLane} says
 * the caller runs on that lane ({@link DatabasePools}), else to the {@code main} pool. Closing it closes neither.
 */
final class LanePool implements Pool {
  private final Pool main;
  private final Pool lane;
  private final BooleanSupplier onLane;

  LanePool(Pool main, Pool lane, BooleanSupplier onLane) {
    this.main = main;
    this.lane = lane;
    this.onLane = onLane;
  }

  private Pool current() {
    return onLane.getAsBoolean() ? lane : main;
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
    return main.size() + lane.size();
  }

  /** The pools belong to {@link DatabasePools}, which closes them. */
  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
