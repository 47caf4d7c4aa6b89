package com.otporchestrator.wallet;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.function.LongConsumer;

/**
 * Terminating an account for a violation forfeits its balance through a {@code forfeit} ledger entry ("accounts
 * terminated due to Terms of Service violations forfeit any remaining balance"), and from then on every credit to it:
 * the refunds of its last open orders, a claim refund, a service credit... each is forfeited by the statement that
 * credits it (docs/money.md), so its balance stays 0 with no manual step.
 */
public final class Terminations {
  private final Pool pool;
  private volatile LongConsumer terminated = id -> {};

  public Terminations(Pool pool) {
    this.pool = pool;
  }

  /** Who is told, after the commit, that an account was terminated. */
  void onTerminated(LongConsumer listener) {
    this.terminated = listener;
  }

  /** @param forfeited micro-USD taken from the balance */
  public record Result(long accountId, long forfeited) {}

  /** Terminates for {@code reason}, decided by {@code actor} (as the decision log names people). */
  public Future<Result> terminate(long accountId, String actor, String reason) {
    return pool.preparedQuery(WalletOpsSql.TERMINATE).execute(Tuple.of(accountId, reason, actor)).compose(rows -> {
      Row r = rows.iterator().next();
      if (r.getLong("terminated") == 1) {
        terminated.accept(accountId);
        return Future.succeededFuture(new Result(accountId, r.getLong("forfeited")));
      }
      return accountExists(accountId).compose(exists -> Future.failedFuture(exists
          ? new DomainException(Kind.INVALID_STATE, "account " + accountId + " is already terminated")
          : DomainException.notFound("account " + accountId + " does not exist")));
    });
  }

  private Future<Boolean> accountExists(long accountId) {
    return pool.preparedQuery("SELECT 1 FROM accounts WHERE id = $1").execute(Tuple.of(accountId)).map(rows -> rows.size() == 1);
  }
}
