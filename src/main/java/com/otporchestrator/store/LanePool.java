package com.otporchestrator.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.function.BooleanSupplier;

/**
 * Two pools behind the plain {@link Pool} interface: each call goes to the {@code lane} pool while {@code onLane} says
 * the caller runs on that lane ({@link DatabasePools}), else to the {@code main} pool. Closing it closes neither.
 */
final class LanePool extends RoutingPool {
  private final Pool main;
  private final Pool lane;
  private final BooleanSupplier onLane;

  LanePool(Pool main, Pool lane, BooleanSupplier onLane) {
    this.main = main;
    this.lane = lane;
    this.onLane = onLane;
  }

  @Override
  Pool current() {
    return onLane.getAsBoolean() ? lane : main;
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
