package com.otporchestrator.abuse;

import com.otporchestrator.abuse.AbuseSettings.Action;
import com.otporchestrator.abuse.AbuseSettings.Signal;
import com.otporchestrator.common.DomainException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Abuse settings and flags in PostgreSQL ({@link AbuseSql}): a flag and its consequence are written in one statement. */
public final class AbuseRepository {
  private static final long SETTINGS_TTL_MS = 5_000;

  private final Pool pool;
  private final java.util.function.LongConsumer suspended;
  private volatile Map<Signal, AbuseSettings> cached;
  private volatile long cachedUntil;

  /** @param suspended told, after the commit, of each account a flag suspended (its keys must stop ordering at once) */
  public AbuseRepository(Pool pool, java.util.function.LongConsumer suspended) {
    this.pool = pool;
    this.suspended = suspended;
  }

  /** Every signal's settings, cached for a few seconds per process. */
  public Future<Map<Signal, AbuseSettings>> settings() {
    Map<Signal, AbuseSettings> current = cached;
    if (current != null && System.currentTimeMillis() < cachedUntil) return Future.succeededFuture(current);
    return pool.query(AbuseSql.SETTINGS).execute().map(rows -> {
      Map<Signal, AbuseSettings> out = new EnumMap<>(Signal.class);
      for (Row r : rows) {
        Signal s = Signal.of(r.getString("signal"));
        out.put(s, new AbuseSettings(s, r.getBoolean("enabled"), r.getInteger("threshold"), r.getBigDecimal("ratio"),
            r.getLong("window_ms"), Action.valueOf(r.getString("action").toUpperCase(java.util.Locale.ROOT))));
      }
      cached = out;
      cachedUntil = System.currentTimeMillis() + SETTINGS_TTL_MS;
      return out;
    });
  }

  public Future<AbuseSettings> update(AbuseSettings s, String by) {
    return pool.preparedQuery(AbuseSql.PUT_SETTINGS).execute(Tuple.of(s.signal().id(), s.enabled(), s.threshold(), s.ratio(),
        s.windowMs(), s.action().id(), by)).map(r -> {
          cached = null;
          return s;
        });
  }

  /** @return true when this trip opened a new flag (and applied its consequence) */
  public Future<Boolean> flag(long accountId, Signal signal, String observed, JsonObject evidence) {
    return pool.preparedQuery(AbuseSql.FLAG).execute(Tuple.of(accountId, signal.id(), observed, evidence)).map(rows -> {
      if (rows.size() != 1) return false;
      Row row = rows.iterator().next();
      if (row.getLong("suspended") > 0) suspended.accept(accountId);
      return row.getBoolean("inserted");
    });
  }

  /** A flag with its evidence; open while {@code resolvedAt} is null. */
  public record Flag(long id, long accountId, String signal, String observed, JsonObject evidence, String action,
                     OffsetDateTime firstSeenAt, OffsetDateTime lastSeenAt, OffsetDateTime resolvedAt, String resolvedBy,
                     String resolutionNote) {}

  /** Flags, newest first; {@code open} null for all, true for open ones, false for resolved ones. */
  public Future<List<Flag>> flags(Long accountId, Boolean open, Long before, int limit) {
    return pool.preparedQuery(AbuseSql.FLAGS).execute(Tuple.of(accountId, open, before, limit)).map(rows -> {
      List<Flag> flags = new ArrayList<>(rows.size());
      for (Row r : rows) {
        flags.add(new Flag(r.getLong("id"), r.getLong("account_id"), r.getString("signal"), r.getString("observed"),
            r.getJsonObject("evidence"), r.getString("action"), r.getOffsetDateTime("first_seen_at"),
            r.getOffsetDateTime("last_seen_at"), r.getOffsetDateTime("resolved_at"), r.getString("resolved_by"),
            r.getString("resolution_note")));
      }
      return flags;
    });
  }

  public Future<Void> resolve(long id, String by, String note) {
    return pool.preparedQuery(AbuseSql.RESOLVE).execute(Tuple.of(id, by, note)).compose(rows -> rows.size() == 1
        ? Future.succeededFuture()
        : Future.failedFuture(DomainException.notFound("no open abuse flag " + id)));
  }
}
