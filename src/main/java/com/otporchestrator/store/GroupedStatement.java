package com.otporchestrator.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit for one statement over ids ({@code $1 bigint[]}): at most one execution runs at a time, and the ids
 * that arrive meanwhile go together in the next one (up to {@code maxIds}). A lone id is written at once, with no
 * added wait; under load, thousands of single-row writes become a few statements and commits. Each id's future
 * completes when the statement that carried it commits, failed if it failed. The statement must be idempotent per id
 * (a guarded transition), since a timer may fire again, and must lock its rows in id order if it locks several.
 */
public final class GroupedStatement {
  private final Pool pool;
  private final String sql;
  private final int maxIds;
  private final List<Long> ids = new ArrayList<>();
  private final List<Promise<Void>> promises = new ArrayList<>();
  private boolean running;

  public GroupedStatement(Pool pool, String sql, int maxIds) {
    this.pool = pool;
    this.sql = sql;
    this.maxIds = maxIds;
  }

  /** Writes {@code id} with the next execution; completes once it committed. */
  public Future<Void> add(long id) {
    Promise<Void> promise = Promise.promise();
    synchronized (this) {
      ids.add(id);
      promises.add(promise);
    }
    runNext();
    return promise.future();
  }

  private void runNext() {
    List<Long> batchIds;
    List<Promise<Void>> batchPromises;
    synchronized (this) {
      if (running || ids.isEmpty()) return;
      running = true;
      int n = Math.min(maxIds, ids.size());
      batchIds = new ArrayList<>(ids.subList(0, n));
      batchPromises = new ArrayList<>(promises.subList(0, n));
      ids.subList(0, n).clear();
      promises.subList(0, n).clear();
    }
    pool.preparedQuery(sql).execute(Tuple.of((Object) batchIds.toArray(Long[]::new))).onComplete(result -> {
      synchronized (this) {
        running = false;
      }
      for (Promise<Void> p : batchPromises) {
        if (result.succeeded()) p.complete();
        else p.fail(result.cause());
      }
      runNext();
    });
  }
}
