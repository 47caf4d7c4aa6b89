package com.otporchestrator.policy;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * "Material changes will be communicated via the Platform": each time a different policy version starts applying to
 * new orders, a notice customers can list, and a signed policy.changed webhook to every account with a URL.
 */
public final class PolicyNotices {
  /** One change of the policy in force. */
  public record Notice(long id, String policyId, int version, OffsetDateTime appliesFrom) {
    public String text() {
      return "Refund policy " + policyId + " version " + version + " applies to orders bought from " + appliesFrom
          + ". Orders bought before keep the version they were bought under.";
    }
  }

  private final Pool pool;

  PolicyNotices(Pool pool) {
    this.pool = pool;
  }

  /** Records the change to the version in force now, if there is one since the last notice (by {@code by}). */
  Future<Optional<Notice>> recordChange(String by) {
    return pool.preparedQuery(PolicyNoticeSql.RECORD).execute(Tuple.of(by))
        .map(rows -> rows.size() == 0 ? Optional.<Notice>empty() : Optional.of(notice(rows.iterator().next())))
        .recover(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState())
            ? Future.succeededFuture(Optional.empty()) // another pod recorded this very change
            : Future.failedFuture(e));
  }

  public Future<List<Notice>> list(Long beforeId, int limit) {
    return pool.preparedQuery(PolicyNoticeSql.LIST).execute(Tuple.of(beforeId, limit)).map(rows -> {
      List<Notice> out = new ArrayList<>();
      rows.forEach(r -> out.add(notice(r)));
      return out;
    });
  }

  private static Notice notice(Row r) {
    return new Notice(r.getLong("id"), r.getString("policy_id"), r.getInteger("version"), r.getOffsetDateTime("created_at"));
  }
}
