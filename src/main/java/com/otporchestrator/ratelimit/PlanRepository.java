package com.otporchestrator.ratelimit;

import com.otporchestrator.common.DomainException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** Plans (a token bucket's rate and burst) and which plan each account is on. */
public final class PlanRepository {
  private static final String LIMITS_OF_ACCOUNT = """
      SELECT p.requests_per_second, p.burst FROM accounts a JOIN plans p ON p.name = a.plan WHERE a.id = $1""";
  private static final String UPSERT_PLAN = """
      INSERT INTO plans (name, requests_per_second, burst) VALUES ($1, $2, $3)
      ON CONFLICT (name) DO UPDATE SET requests_per_second = EXCLUDED.requests_per_second, burst = EXCLUDED.burst""";
  private static final String ASSIGN_PLAN = "UPDATE accounts SET plan = $2 WHERE id = $1 RETURNING id";

  private final Pool pool;

  public PlanRepository(Pool pool) {
    this.pool = pool;
  }

  /** The account's plan, or null when the account does not exist. */
  public Future<Plan> planOf(long accountId) {
    return pool.preparedQuery(LIMITS_OF_ACCOUNT).execute(Tuple.of(accountId)).map(rows -> {
      if (rows.size() == 0) return null;
      Row row = rows.iterator().next();
      return new Plan(row.getInteger("requests_per_second"), row.getInteger("burst"));
    });
  }

  public Future<Void> upsert(String name, int requestsPerSecond, int burst) {
    return pool.preparedQuery(UPSERT_PLAN).execute(Tuple.of(name, requestsPerSecond, burst)).mapEmpty();
  }

  public Future<Void> assign(long accountId, String plan) {
    return pool.preparedQuery(ASSIGN_PLAN).execute(Tuple.of(accountId, plan))
        .recover(error -> error instanceof PgException pg && "23503".equals(pg.getSqlState())
            ? Future.failedFuture(DomainException.invalid("unknown plan '" + plan + "'"))
            : Future.failedFuture(error))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture()
            : Future.failedFuture(DomainException.notFound("account " + accountId + " does not exist")));
  }

  /** A token bucket: refilled at {@code requestsPerSecond}, holding at most {@code burst}. */
  public record Plan(int requestsPerSecond, int burst) {}
}
