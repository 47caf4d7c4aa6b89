package com.otporchestrator.wallet;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.Money;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

public final class WalletRepository {
  private final Pool pool;
  private final long maxWalletBalance;

  /** @param maxWalletBalance the most a deposit may bring balance + held to, in micro-USD */
  public WalletRepository(Pool pool, long maxWalletBalance) {
    this.pool = pool;
    this.maxWalletBalance = maxWalletBalance;
  }

  public Future<Wallet> wallet(long accountId) {
    return pool.preparedQuery(WalletSql.BALANCE).execute(Tuple.of(accountId)).map(rows -> {
      if (rows.size() == 0) throw DomainException.notFound("account " + accountId + " does not exist");
      Row row = rows.iterator().next();
      return new Wallet(row.getLong("balance"), row.getLong("held"));
    });
  }

  /**
   * Credits a top-up exactly once per reference. Replaying the same reference for the same account
   * and amount answers the original entry; any other use of the reference is a conflict.
   */
  public Future<DepositResult> deposit(long accountId, long amount, String reference) {
    return pool.preparedQuery(WalletSql.DEPOSIT).execute(Tuple.of(accountId, amount, reference, maxWalletBalance))
        .compose(rows -> {
          if (rows.size() == 1) {
            Row row = rows.iterator().next();
            return Future.succeededFuture(new DepositResult(row.getLong("entry_id"), false,
                new Wallet(row.getLong("balance"), row.getLong("held"))));
          }
          return replayOf(accountId, amount, reference);
        });
  }

  private Future<DepositResult> replayOf(long accountId, long amount, String reference) {
    return pool.preparedQuery(WalletSql.DEPOSIT_BY_REFERENCE).execute(Tuple.of(reference)).compose(rows -> {
      if (rows.size() == 0) {
        // a new reference that credited nothing: the account is gone, or the deposit would overfill the wallet
        return wallet(accountId).compose(w -> Math.addExact(w.balance(), w.held()) + amount > maxWalletBalance
            ? Future.failedFuture(new DomainException(DomainException.Kind.AMOUNT_OUT_OF_RANGE, "the deposit would take"
                + " the wallet to " + Money.format(w.balance() + w.held() + amount) + " USD, above the most a wallet may hold ("
                + Money.format(maxWalletBalance) + " USD)", new JsonObject().put("field", "amount")))
            : Future.failedFuture(DomainException.notFound("account " + accountId + " does not exist or is terminated")));
      }
      Row row = rows.iterator().next();
      if (row.getLong("account_id") != accountId || row.getLong("balance_delta") != amount) {
        // an unknown account is a 404 whatever the reference; wallet() fails with it
        return wallet(accountId).compose(w -> Future.failedFuture(new DomainException(DomainException.Kind.CONFLICT,
            "reference '" + reference + "' was already used for a different deposit",
            new JsonObject().put("reference", reference))));
      }
      return wallet(accountId).map(w -> new DepositResult(row.getLong("id"), true, w));
    });
  }

  public Future<List<LedgerEntry>> transactions(long accountId, Long beforeId, int limit) {
    return pool.preparedQuery(WalletSql.TRANSACTIONS).execute(Tuple.of(accountId, beforeId, limit)).map(rows -> {
      List<LedgerEntry> entries = new ArrayList<>(rows.size());
      for (Row row : rows) {
        entries.add(new LedgerEntry(row.getLong("id"), row.getLong("order_id"), row.getString("kind"),
            row.getLong("balance_delta"), row.getLong("held_delta"), row.getString("reference"),
            row.getOffsetDateTime("created_at")));
      }
      return entries;
    });
  }

  /** The account's ledger with order details, newest first, filtered; {@code beforeId} is the page cursor. */
  public Future<List<HistoryEntry>> history(long accountId, HistoryFilter filter, Long beforeId, int limit) {
    String[] kinds = filter.kinds() == null || filter.kinds().isEmpty() ? null : filter.kinds().toArray(String[]::new);
    Tuple args = Tuple.from(java.util.Arrays.asList(accountId, kinds, filter.from(), filter.to(), filter.orderId(),
        beforeId, limit));
    return pool.preparedQuery(WalletOpsSql.HISTORY).execute(args).map(rows -> {
      List<HistoryEntry> entries = new ArrayList<>(rows.size());
      for (Row row : rows) {
        LedgerEntry e = new LedgerEntry(row.getLong("id"), row.getLong("order_id"), row.getString("kind"),
            row.getLong("balance_delta"), row.getLong("held_delta"), row.getString("reference"),
            row.getOffsetDateTime("created_at"));
        entries.add(new HistoryEntry(e, row.getString("service"), row.getInteger("country"), row.getString("order_state"),
            row.getString("order_kind"), row.getLong("rental_id"), row.getOffsetDateTime("period_start"),
            row.getOffsetDateTime("period_end")));
      }
      return entries;
    });
  }
}
