package com.otporchestrator.abuse;

import com.otporchestrator.abuse.AbuseSettings.Action;
import com.otporchestrator.abuse.AbuseSettings.Signal;
import com.otporchestrator.common.DomainException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.EnumMap;
import java.util.Map;

/** Abuse settings and flags in PostgreSQL: a flag and its consequence are written in one statement. */
public final class AbuseRepository {
  private static final long SETTINGS_TTL_MS = 5_000;

  private static final String SETTINGS = "SELECT signal, enabled, threshold, ratio, window_ms, action FROM abuse_settings";

  private static final String PUT_SETTINGS = """
      UPDATE abuse_settings SET enabled = $2, threshold = $3, ratio = $4, window_ms = $5, action = $6,
             updated_at = now(), updated_by = $7
       WHERE signal = $1""";

  /**
   * Records a trip: a new open flag, or the open one refreshed. Only a new flag applies its consequence: throttle moves
   * the account to the 'throttled' plan, suspend suspends an active account (no end: an admin lifts it).
   */
  private static final String FLAG = """
      WITH s AS (SELECT action FROM abuse_settings WHERE signal = $2),
      ins AS (
        INSERT INTO abuse_flags (account_id, signal, observed, evidence, action)
        SELECT $1, $2, $3, $4::jsonb, s.action FROM s
        ON CONFLICT (account_id, signal) WHERE resolved_at IS NULL
        DO UPDATE SET last_seen_at = now(), observed = EXCLUDED.observed, evidence = EXCLUDED.evidence
        RETURNING id, action, (xmax = 0) AS inserted
      ), throttled AS (
        UPDATE accounts a SET plan = 'throttled' FROM ins
         WHERE a.id = $1 AND ins.inserted AND ins.action = 'throttle' RETURNING a.id
      ), suspended AS (
        UPDATE accounts a SET status = 'suspended' FROM ins
         WHERE a.id = $1 AND ins.inserted AND ins.action = 'suspend' AND a.status = 'active' RETURNING a.id
      )
      SELECT id, action, inserted FROM ins""";

  private static final String FLAGS = """
      SELECT id, account_id, signal, observed, evidence, action, first_seen_at, last_seen_at, resolved_at, resolved_by,
             resolution_note
        FROM abuse_flags
       WHERE ($1::bigint IS NULL OR account_id = $1) AND ($2::boolean IS NULL OR (resolved_at IS NULL) = $2)
         AND ($3::bigint IS NULL OR id < $3)
       ORDER BY id DESC LIMIT $4""";

  private static final String RESOLVE = """
      UPDATE abuse_flags SET resolved_at = now(), resolved_by = $2, resolution_note = $3
       WHERE id = $1 AND resolved_at IS NULL RETURNING id""";

  private final Pool pool;
  private volatile Map<Signal, AbuseSettings> cached;
  private volatile long cachedUntil;

  public AbuseRepository(Pool pool) {
    this.pool = pool;
  }

  /** Every signal's settings, cached for a few seconds per process. */
  public Future<Map<Signal, AbuseSettings>> settings() {
    Map<Signal, AbuseSettings> current = cached;
    if (current != null && System.currentTimeMillis() < cachedUntil) return Future.succeededFuture(current);
    return pool.query(SETTINGS).execute().map(rows -> {
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
    return pool.preparedQuery(PUT_SETTINGS).execute(Tuple.of(s.signal().id(), s.enabled(), s.threshold(), s.ratio(),
        s.windowMs(), s.action().id(), by)).map(r -> {
          cached = null;
          return s;
        });
  }

  /** @return true when this trip opened a new flag (and applied its consequence) */
  public Future<Boolean> flag(long accountId, Signal signal, String observed, JsonObject evidence) {
    return pool.preparedQuery(FLAG).execute(Tuple.of(accountId, signal.id(), observed, evidence))
        .map(rows -> rows.size() == 1 && rows.iterator().next().getBoolean("inserted"));
  }

  public Future<JsonObject> flags(Long accountId, Boolean open, Long before, int limit) {
    return pool.preparedQuery(FLAGS).execute(Tuple.of(accountId, open, before, limit)).map(rows -> {
      JsonArray items = new JsonArray();
      Long last = null;
      for (Row r : rows) {
        last = r.getLong("id");
        items.add(new JsonObject().put("id", last).put("accountId", r.getLong("account_id"))
            .put("signal", r.getString("signal")).put("observed", r.getString("observed"))
            .put("evidence", r.getJsonObject("evidence")).put("action", r.getString("action"))
            .put("firstSeenAt", time(r, "first_seen_at")).put("lastSeenAt", time(r, "last_seen_at"))
            .put("resolvedAt", time(r, "resolved_at")).put("resolvedBy", r.getString("resolved_by"))
            .put("resolutionNote", r.getString("resolution_note")));
      }
      JsonObject out = new JsonObject().put("items", items);
      if (rows.size() == limit && last != null) out.put("nextCursor", String.valueOf(last));
      return out;
    });
  }

  public Future<Void> resolve(long id, String by, String note) {
    return pool.preparedQuery(RESOLVE).execute(Tuple.of(id, by, note)).compose(rows -> rows.size() == 1
        ? Future.succeededFuture()
        : Future.failedFuture(DomainException.notFound("no open abuse flag " + id)));
  }

  private static String time(Row r, String column) {
    var t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant().toString();
  }
}
