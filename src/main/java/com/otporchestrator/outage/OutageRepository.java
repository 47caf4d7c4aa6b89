package com.otporchestrator.outage;

import com.otporchestrator.common.DomainException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Outages in PostgreSQL: declared, suspected, confirmed, dismissed, and leased to the refund job. */
public final class OutageRepository {
  private final Pool pool;

  public OutageRepository(Pool pool) {
    this.pool = pool;
  }

  /** What an admin declares: each scope field null for "any"; all null only with {@code platformWide}. */
  public record Declaration(String providerId, String service, Integer country, boolean platformWide,
                            OffsetDateTime from, OffsetDateTime to, String reason) {}

  public Future<Outage> declare(Declaration d) {
    Tuple args = Tuple.of(d.providerId(), d.service(), d.country(), d.platformWide(), d.from(), d.to(), d.reason());
    return pool.preparedQuery(OutageSql.DECLARE).execute(args).map(rows -> toOutage(rows.iterator().next()))
        .recover(error -> error instanceof PgException pg && "23503".equals(pg.getSqlState())
            ? Future.failedFuture(DomainException.invalid("unknown provider, service or country in the scope"))
            : Future.failedFuture(error));
  }

  /** Raises a suspected outage of a supplier unless one already waits; answers its id if new. */
  public Future<Optional<Long>> suspect(String providerId, String reason) {
    return pool.preparedQuery(OutageSql.SUSPECT).execute(Tuple.of(providerId, reason))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong("id")));
  }

  public Future<Optional<Outage>> find(long id) {
    return pool.preparedQuery(OutageSql.FIND).execute(Tuple.of(id)).map(OutageRepository::first);
  }

  /** Newest first, optionally of one state, before {@code beforeId} (cursor). */
  public Future<List<Outage>> list(String state, Long beforeId, int limit) {
    return pool.preparedQuery(OutageSql.LIST).execute(Tuple.of(state, beforeId, limit)).map(rows -> {
      List<Outage> list = new ArrayList<>(rows.size());
      rows.forEach(row -> list.add(toOutage(row)));
      return list;
    });
  }

  /** SUSPECTED -> REFUNDING; empty when the outage is not suspected (any more). */
  public Future<Optional<Outage>> confirm(long id) {
    return pool.preparedQuery(OutageSql.CONFIRM).execute(Tuple.of(id)).map(OutageRepository::first);
  }

  /** SUSPECTED -> DISMISSED; empty when the outage is not suspected (any more). */
  public Future<Optional<Outage>> dismiss(long id) {
    return pool.preparedQuery(OutageSql.DISMISS).execute(Tuple.of(id)).map(OutageRepository::first);
  }

  /** Leases the oldest outage being refunded that no live job holds. */
  public Future<Optional<Outage>> claim(Duration lease) {
    return pool.preparedQuery(OutageSql.CLAIM).execute(Tuple.of(lease.toMillis())).map(OutageRepository::first);
  }

  /** Extends a held lease; false when the outage is no longer being refunded. */
  public Future<Boolean> renew(long id, Duration lease) {
    return pool.preparedQuery(OutageSql.RENEW).execute(Tuple.of(id, lease.toMillis())).map(rows -> rows.size() == 1);
  }

  public Future<Void> finish(long id) {
    return pool.preparedQuery(OutageSql.FINISH).execute(Tuple.of(id)).mapEmpty();
  }

  private static Optional<Outage> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(toOutage(rows.iterator().next()));
  }

  private static Outage toOutage(Row row) {
    return new Outage(row.getLong("id"), row.getString("provider_id"), row.getString("service"),
        row.getInteger("country"), row.getBoolean("platform_wide"), row.getOffsetDateTime("starts_at"),
        row.getOffsetDateTime("ends_at"), row.getString("state"), row.getString("source"), row.getString("reason"),
        row.getInteger("refunded"), row.getInteger("batches"), row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("confirmed_at"), row.getOffsetDateTime("finished_at"));
  }
}
