package com.otporchestrator.webhook;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** All SQL access for customer webhooks (statements in {@link WebhookSql}). No money here. */
public final class WebhookRepository {
  private final Pool pool;

  public WebhookRepository(Pool pool) {
    this.pool = pool;
  }

  /** An account's webhook setup: its URL (null when only a secret exists) and signing secret. */
  public record Endpoint(String url, String secret, OffsetDateTime updatedAt) {}

  public Future<Optional<Endpoint>> find(long accountId) {
    return pool.preparedQuery(WebhookSql.FIND).execute(Tuple.of(accountId)).map(WebhookRepository::endpoint);
  }

  public Future<Endpoint> putUrl(long accountId, String url) {
    return pool.preparedQuery(WebhookSql.PUT_URL).execute(Tuple.of(accountId, url, WebhookSigner.newSecret()))
        .map(rows -> endpoint(rows).orElseThrow());
  }

  /** How long a replaced secret keeps signing beside the new one. */
  public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

  public Future<Endpoint> rotateSecret(long accountId) {
    return pool.preparedQuery(WebhookSql.ROTATE_SECRET)
        .execute(Tuple.of(accountId, WebhookSigner.newSecret(), ROTATION_OVERLAP.toMillis()))
        .map(rows -> endpoint(rows).orElseThrow());
  }

  public Future<Void> deleteUrl(long accountId) {
    return pool.preparedQuery(WebhookSql.DELETE_URL).execute(Tuple.of(accountId)).mapEmpty();
  }

  Future<String> ensureSecret(long accountId) {
    return pool.preparedQuery(WebhookSql.ENSURE_SECRET).execute(Tuple.of(accountId, WebhookSigner.newSecret()))
        .map(rows -> rows.iterator().next().getString("secret"));
  }

  private static Optional<Endpoint> endpoint(RowSet<Row> rows) {
    if (rows.size() == 0) return Optional.empty();
    Row row = rows.iterator().next();
    return Optional.of(new Endpoint(row.getString("url"), row.getString("secret"), row.getOffsetDateTime("updated_at")));
  }

  /** One row of the delivery log. {@code statusCode} is null when no HTTP answer came. */
  public record Delivery(long id, long eventId, long orderId, int attempt, String url, Integer statusCode, String error,
                         int durationMs, OffsetDateTime attemptedAt, String eventState) {}

  public Future<List<Delivery>> deliveries(long accountId, Long beforeId, int limit) {
    return pool.preparedQuery(WebhookSql.DELIVERIES).execute(Tuple.of(accountId, beforeId, limit)).map(rows -> {
      List<Delivery> list = new ArrayList<>(rows.size());
      for (Row r : rows) {
        list.add(new Delivery(r.getLong("id"), r.getLong("event_id"), r.getLong("order_id"), r.getInteger("attempt"),
            r.getString("url"), r.getInteger("status_code"), r.getString("error"), r.getInteger("duration_ms"),
            r.getOffsetDateTime("attempted_at"), r.getString("event_state")));
      }
      return list;
    });
  }

  /** A pending event claimed for one attempt ({@code secret} null when the account has none yet). */
  record Claimed(long id, long accountId, long orderId, String url, String payload, int attempts, String secret,
                 String previousSecret, long leaseEndMillis) {}

  /** What a fire found: events to post now, and where the timers of the others should stand. */
  record Claim(List<Claimed> claimed, List<long[]> others) {}

  Future<Claim> claim(List<Long> ids, int max, Duration lease) {
    Tuple args = Tuple.of(ids.toArray(Long[]::new), max, lease.toMillis());
    return pool.preparedQuery(WebhookSql.CLAIM).execute(args).map(rows -> {
      List<Claimed> claimed = new ArrayList<>();
      List<long[]> others = new ArrayList<>();
      for (Row r : rows) {
        if (r.getBoolean("claimed")) {
          claimed.add(new Claimed(r.getLong("id"), r.getLong("account_id"), r.getLong("order_id"), r.getString("url"),
              r.getString("payload"), r.getInteger("attempts"), r.getString("secret"), r.getString("previous_secret"),
              r.getLong("due_ms")));
        } else {
          others.add(new long[] {r.getLong("id"), r.getLong("due_ms")});
        }
      }
      return new Claim(claimed, others);
    });
  }

  /** How recording an attempt moved the event: not at all (a duplicate attempt), or to its next due time (null when finished). */
  record Recorded(boolean moved, Long nextMillis) {}

  /** Logs attempt {@code attempt} and moves the event to {@code nextState} (PENDING: {@code delayMs} from now). */
  Future<Recorded> recordAttempt(long eventId, int attempt, String url, Integer statusCode, String error, int durationMs,
                                 String nextState, Long delayMs) {
    Tuple args = Tuple.tuple().addLong(eventId).addInteger(attempt).addString(url).addInteger(statusCode)
        .addString(error).addInteger(durationMs).addString(nextState).addLong(delayMs);
    return pool.preparedQuery(WebhookSql.RECORD_ATTEMPT).execute(args)
        .map(rows -> rows.size() == 0 ? new Recorded(false, null)
            : new Recorded(true, rows.iterator().next().getLong("next_ms")));
  }

  public Future<List<Long>> overdue(Duration grace, int limit) {
    return pool.preparedQuery(WebhookSql.OVERDUE).execute(Tuple.of(grace.toMillis(), limit)).map(rows -> {
      List<Long> ids = new ArrayList<>(rows.size());
      rows.forEach(r -> ids.add(r.getLong("id")));
      return ids;
    });
  }

  /** Pending events after {@code afterId} with their due time, oldest first: what the pickup job arms. */
  Future<List<long[]>> pendingAfter(long afterId, int limit) {
    return live(afterId, limit);
  }

  public Future<List<long[]>> live(long afterId, int limit) {
    return pool.preparedQuery(WebhookSql.LIVE).execute(Tuple.of(afterId, limit)).map(rows -> {
      List<long[]> list = new ArrayList<>(rows.size());
      rows.forEach(r -> list.add(new long[] {r.getLong("id"), r.getLong("due_ms")}));
      return list;
    });
  }

  /** Deletes finished events older than {@code days} (their delivery log goes with them), one batch per call. */
  public Future<Void> purgeFinished(int days) {
    return pool.preparedQuery(WebhookSql.PURGE_FINISHED).execute(Tuple.of(days)).mapEmpty();
  }
}
