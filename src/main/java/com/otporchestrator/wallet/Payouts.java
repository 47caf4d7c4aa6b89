package com.otporchestrator.wallet;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.common.Money;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Payouts when a customer leaves the platform: the customer asks (at least the minimum of the policy in force, within
 * the balance, one open request at a time), an admin approves (the ledger entry is written in the same statement) or
 * rejects. Top-ups themselves are never refunded: a payout is the only way money leaves a live wallet.
 */
public final class Payouts {
  private static final String CHECK_VIOLATION = "23514";

  private final Pool pool;

  public Payouts(Pool pool) {
    this.pool = pool;
  }

  public Future<Payout> request(long accountId, long amount, String destination) {
    return pool.preparedQuery(WalletOpsSql.REQUEST_PAYOUT).execute(Tuple.of(accountId, amount, destination))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture(Payout.of(rows.iterator().next()))
            : explainRefusal(accountId, amount));
  }

  private Future<Payout> explainRefusal(long accountId, long amount) {
    return pool.preparedQuery(WalletOpsSql.PAYOUT_OBSTACLES).execute(Tuple.of(accountId)).compose(rows -> {
      if (rows.size() == 0) return Future.failedFuture(DomainException.notFound("account " + accountId + " does not exist"));
      Row r = rows.iterator().next();
      Long minimum = r.getLong("payout_minimum");
      if ("terminated".equals(r.getString("status"))) {
        return Future.failedFuture(new DomainException(Kind.FORBIDDEN, "a terminated account's balance was forfeited"));
      }
      if (r.getBoolean("open_request")) {
        return Future.failedFuture(new DomainException(Kind.CONFLICT, "a payout request is already open for this account"));
      }
      if (minimum != null && amount < minimum) {
        return Future.failedFuture(DomainException.invalid("the policy's payout minimum is " + Money.format(minimum) + " USD"));
      }
      if (amount > r.getLong("balance")) {
        return Future.failedFuture(new DomainException(Kind.INSUFFICIENT_FUNDS,
            "the balance " + Money.format(r.getLong("balance")) + " does not cover " + Money.format(amount)));
      }
      return Future.failedFuture(new DomainException(Kind.CONFLICT, "the payout request could not be filed; try again"));
    });
  }

  /** Pays an open request out of the balance; refused (nothing written) when the balance no longer covers it. */
  public Future<Payout> approve(long id, String admin, String note) {
    return pool.preparedQuery(WalletOpsSql.APPROVE_PAYOUT).execute(Tuple.of(id, admin, note))
        .recover(error -> Future.failedFuture(isCheckViolation(error)
            ? new DomainException(Kind.INSUFFICIENT_FUNDS, "the balance no longer covers payout " + id + "; reject it or wait")
            : error))
        .compose(rows -> decided(id, rows));
  }

  public Future<Payout> reject(long id, String admin, String reason) {
    return pool.preparedQuery(WalletOpsSql.REJECT_PAYOUT).execute(Tuple.of(id, admin, reason))
        .compose(rows -> decided(id, rows));
  }

  private Future<Payout> decided(long id, RowSet<Row> rows) {
    if (rows.size() == 1) return Future.succeededFuture(Payout.of(rows.iterator().next()));
    return find(id).compose(p -> Future.failedFuture(new DomainException(Kind.INVALID_STATE,
        "payout " + id + " was already " + p.state().toLowerCase())));
  }

  public Future<Payout> find(long id) {
    return pool.preparedQuery(WalletOpsSql.PAYOUT_BY_ID).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) throw DomainException.notFound("payout " + id + " does not exist");
      return Payout.of(rows.iterator().next());
    });
  }

  /** Newest first; {@code accountId} and {@code state} are optional filters. */
  public Future<List<Payout>> list(Long accountId, String state, Long beforeId, int limit) {
    return pool.preparedQuery(WalletOpsSql.PAYOUTS).execute(Tuple.of(accountId, state, beforeId, limit)).map(rows -> {
      List<Payout> out = new ArrayList<>();
      for (Row r : rows) out.add(Payout.of(r));
      return out;
    });
  }

  static boolean isCheckViolation(Throwable error) {
    return error instanceof PgException pg && CHECK_VIOLATION.equals(pg.getSqlState());
  }
}
