package com.otporchestrator.ledger;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The lock order of a batch (see {@link Postings}), as its middle statement: a feature's transaction locks its order
 * rows first (in id order, answering {@code id} and {@code account_id}), then calls {@link #lockFor} to lock their
 * wallets in account order, then resolves the orders with a statement that appends a posting fragment. Activation
 * expiries, outage refunds and rental ends all run in this shape.
 */
public final class WalletLocks {
  private WalletLocks() {}

  /**
   * Locks the wallets of {@code orders} (rows just locked, with {@code id} and {@code account_id}) in account order, in
   * the transaction of {@code conn}; answers the orders' ids in the order they were locked.
   */
  public static Future<Long[]> lockFor(SqlConnection conn, RowSet<Row> orders) {
    Long[] ids = new Long[orders.size()];
    Long[] accounts = new Long[orders.size()];
    int i = 0;
    for (Row row : orders) {
      ids[i] = row.getLong("id");
      accounts[i++] = row.getLong("account_id");
    }
    return conn.preparedQuery(Postings.LOCK_WALLETS).execute(Tuple.of((Object) accounts)).map(locked -> ids);
  }
}
