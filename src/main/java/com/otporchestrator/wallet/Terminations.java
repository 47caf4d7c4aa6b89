package com.otporchestrator.wallet;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Terminating an account for a violation forfeits its balance through a {@code forfeit} ledger entry ("accounts
 * terminated due to Terms of Service violations forfeit any remaining balance"). Money still held by its open orders
 * resolves as usual; what a refund brings back afterwards is forfeited by {@link #forfeitRemainder}.
 */
public final class Terminations {
  private final Pool pool;

  public Terminations(Pool pool) {
    this.pool = pool;
  }

  /** @param forfeited micro-USD taken from the balance */
  public record Result(long accountId, long forfeited) {}

  public Future<Result> terminate(long accountId, String reason) {
    return pool.preparedQuery(WalletOpsSql.TERMINATE).execute(Tuple.of(accountId, reason)).compose(rows -> {
      Row r = rows.iterator().next();
      if (r.getLong("terminated") == 1) return Future.succeededFuture(new Result(accountId, r.getLong("forfeited")));
      return accountExists(accountId).compose(exists -> Future.failedFuture(exists
          ? new DomainException(Kind.INVALID_STATE, "account " + accountId + " is already terminated")
          : DomainException.notFound("account " + accountId + " does not exist")));
    });
  }

  public Future<Result> forfeitRemainder(long accountId) {
    return pool.preparedQuery(WalletOpsSql.FORFEIT_REMAINDER).execute(Tuple.of(accountId)).compose(rows -> {
      Row r = rows.iterator().next();
      if (r.getLong("terminated") == 1) return Future.succeededFuture(new Result(accountId, r.getLong("forfeited")));
      return accountExists(accountId).compose(exists -> Future.failedFuture(exists
          ? new DomainException(Kind.INVALID_STATE, "account " + accountId + " is not terminated")
          : DomainException.notFound("account " + accountId + " does not exist")));
    });
  }

  private Future<Boolean> accountExists(long accountId) {
    return pool.preparedQuery("SELECT 1 FROM accounts WHERE id = $1").execute(Tuple.of(accountId)).map(rows -> rows.size() == 1);
  }
}
