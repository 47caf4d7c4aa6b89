package com.otporchestrator.api;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Who made the admin decisions whose own rows have no "who" column (suspensions, terminations, outages, suppliers):
 * one append-only {@code admin_decisions} row per decision, written once the decision is made. Claims, payouts, held
 * refunds and policies record their actor on their own rows.
 */
public final class DecisionLog {
  /** One decision: who ({@code token}, {@code token:<name>}, {@code staff:<email>}), what, on what. */
  public record Decision(long id, OffsetDateTime at, String actor, String action, String subject, String note) {}

  private final Pool pool;

  public DecisionLog(Pool pool) {
    this.pool = pool;
  }

  /** Records a decision; {@code subject} names its object, such as {@code account:12} or {@code outage:3}. */
  public Future<Void> record(String actor, String action, String subject, String note) {
    return pool.preparedQuery(DecisionSql.RECORD).execute(Tuple.of(actor, action, subject, note)).mapEmpty();
  }

  /** The newest decisions about one subject first, at most {@code limit}. */
  public Future<List<Decision>> about(String subject, int limit) {
    return pool.preparedQuery(DecisionSql.ABOUT).execute(Tuple.of(subject, limit)).map(rows -> {
      List<Decision> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Decision(r.getLong("id"), r.getOffsetDateTime("at"), r.getString("actor"),
          r.getString("action"), r.getString("subject"), r.getString("note"))));
      return out;
    });
  }
}
