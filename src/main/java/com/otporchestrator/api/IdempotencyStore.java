package com.otporchestrator.api;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Idempotency-Key semantics of the IETF draft and Stripe, stored in PostgreSQL: the first request
 * with a key runs and its response is stored; a retry with the same body replays it; a different
 * body is 422; a retry while the first still runs is 409. Like Stripe, a response that says the
 * request itself was malformed (400, 413, 415) or that the server failed (5xx) is not stored, so the
 * client may fix it and retry with the same key; a request whose pod died is taken over once its
 * lock has expired.
 */
public final class IdempotencyStore {
  static final int MAX_KEY_LENGTH = 255;
  private static final long LOCK_SECONDS = 60;

  private static final String CLAIM = """
      INSERT INTO idempotency_keys (account_id, key, request_hash, locked_until)
      VALUES ($1, $2, $3, now() + $4::bigint * interval '1 second')
      ON CONFLICT (account_id, key) DO NOTHING RETURNING key""";
  private static final String EXISTING = """
      SELECT request_hash, status, response, locked_until > now() AS locked
        FROM idempotency_keys WHERE account_id = $1 AND key = $2""";
  private static final String TAKE_OVER = """
      UPDATE idempotency_keys SET locked_until = now() + $3::bigint * interval '1 second'
       WHERE account_id = $1 AND key = $2 AND status IS NULL AND locked_until <= now() RETURNING key""";
  private static final String STORE = """
      UPDATE idempotency_keys SET status = $3, response = $4, locked_until = NULL
       WHERE account_id = $1 AND key = $2""";
  private static final String PURGE = """
      DELETE FROM idempotency_keys WHERE ctid IN (
        SELECT ctid FROM idempotency_keys WHERE created_at < now() - interval '48 hours' LIMIT 5000)""";
  private static final String RELEASE = "DELETE FROM idempotency_keys WHERE account_id = $1 AND key = $2 AND status IS NULL";

  private final Pool pool;

  public IdempotencyStore(Pool pool) {
    this.pool = pool;
  }

  /** Runs {@code action} at most once per (account, key); a null key runs it unguarded. */
  public Future<ApiResponse> run(long accountId, String key, String fingerprint, String path,
                                 Supplier<Future<ApiResponse>> action) {
    if (key == null) return action.get();
    if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
      return Future.failedFuture(DomainException.invalid("Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " characters"));
    }
    return claim(accountId, key, sha256(fingerprint), path, action);
  }

  private Future<ApiResponse> claim(long accountId, String key, byte[] hash, String path,
                                    Supplier<Future<ApiResponse>> action) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(accountId, key, Buffer.buffer(hash), LOCK_SECONDS))
        .compose(rows -> rows.size() == 1 ? runAndStore(accountId, key, path, action)
            : existing(accountId, key, hash, path, action));
  }

  private Future<ApiResponse> existing(long accountId, String key, byte[] hash, String path,
                                       Supplier<Future<ApiResponse>> action) {
    return pool.preparedQuery(EXISTING).execute(Tuple.of(accountId, key)).compose(rows -> {
      if (rows.size() == 0) return claim(accountId, key, hash, path, action);
      Row row = rows.iterator().next();
      if (!Arrays.equals(row.getBuffer("request_hash").getBytes(), hash)) {
        return Future.failedFuture(new DomainException(Kind.IDEMPOTENCY_MISMATCH,
            "this Idempotency-Key was used for a different request; use a new key"));
      }
      Integer status = row.getInteger("status");
      if (status != null) return Future.succeededFuture(replay(status, row.getString("response")));
      if (Boolean.TRUE.equals(row.getBoolean("locked"))) {
        return Future.failedFuture(new DomainException(Kind.IDEMPOTENCY_IN_PROGRESS,
            "the first request with this Idempotency-Key is still being processed; retry shortly"));
      }
      return pool.preparedQuery(TAKE_OVER).execute(Tuple.of(accountId, key, LOCK_SECONDS))
          .compose(taken -> taken.size() == 1 ? runAndStore(accountId, key, path, action)
              : existing(accountId, key, hash, path, action));
    });
  }

  private Future<ApiResponse> runAndStore(long accountId, String key, String path,
                                          Supplier<Future<ApiResponse>> action) {
    Future<ApiResponse> result;
    try {
      result = action.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result
        .recover(error -> {
          ApiResponse problem = Problems.toResponse(error, 500, path);
          return Future.succeededFuture(problem);
        })
        .compose(response -> {
          if (!storable(response.status())) {
            return pool.preparedQuery(RELEASE).execute(Tuple.of(accountId, key)).map(response);
          }
          String stored = new JsonObject().put("contentType", response.contentType()).put("body", response.body()).encode();
          return pool.preparedQuery(STORE).execute(Tuple.of(accountId, key, response.status(), stored)).map(response);
        });
  }

  private static boolean storable(int status) {
    return status < 500 && status != 400 && status != 413 && status != 415;
  }

  /** Forgets keys older than 48 hours (we promise at least 24), a bounded batch per call. */
  public Future<Void> purgeExpired() {
    return pool.query(PURGE).execute().mapEmpty();
  }

  private static ApiResponse replay(int status, String stored) {
    JsonObject saved = new JsonObject(stored);
    return new ApiResponse(status, saved.getString("contentType"), saved.getString("body"), java.util.Map.of())
        .withHeader("Idempotent-Replayed", "true");
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest((text == null ? "" : text).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
