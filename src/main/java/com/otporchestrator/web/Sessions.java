package com.otporchestrator.web;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;

/**
 * Browser sessions of both consoles, stored in PostgreSQL so that any pod serves any request: the cookie carries a
 * random 256-bit token, the table only its SHA-256. A session has a fixed lifetime; logout deletes it at once.
 */
public final class Sessions {
  /** Who a session belongs to: a customer account or an operator person. */
  public enum Kind { CUSTOMER, OPERATOR }

  /** A live session. */
  public record Session(Kind kind, long subjectId, OffsetDateTime expiresAt) {}

  /** A session just opened: the token goes into the cookie and is never stored. */
  public record Opened(String token, OffsetDateTime expiresAt) {}

  public static final Duration LIFETIME = Duration.ofHours(12);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;

  public Sessions(Pool pool) {
    this.pool = pool;
  }

  public Future<Opened> open(Kind kind, long subjectId) {
    String token = randomToken();
    return pool.preparedQuery(WebSql.CREATE_SESSION)
        .execute(Tuple.of(hash(token), kind.name().toLowerCase(), subjectId, (double) LIFETIME.toSeconds()))
        .map(rows -> new Opened(token, rows.iterator().next().getOffsetDateTime("expires_at")));
  }

  /** The live session behind a cookie token; empty for an unknown, expired or malformed one. */
  public Future<Optional<Session>> find(String token) {
    if (token == null || token.isEmpty() || token.length() > 100) return Future.succeededFuture(Optional.empty());
    return pool.preparedQuery(WebSql.FIND_SESSION).execute(Tuple.of(hash(token))).map(rows -> {
      if (rows.size() == 0) return Optional.empty();
      Row row = rows.iterator().next();
      return Optional.of(new Session(Kind.valueOf(row.getString("kind").toUpperCase()), row.getLong("subject_id"),
          row.getOffsetDateTime("expires_at")));
    });
  }

  public Future<Void> close(String token) {
    if (token == null || token.isEmpty() || token.length() > 100) return Future.succeededFuture();
    return pool.preparedQuery(WebSql.DELETE_SESSION).execute(Tuple.of(hash(token))).mapEmpty();
  }

  /** Ends every session of a customer or an operator (a password change, a suspension). */
  public Future<Void> closeAll(Kind kind, long subjectId) {
    return pool.preparedQuery(WebSql.DELETE_SUBJECT_SESSIONS)
        .execute(Tuple.of(kind.name().toLowerCase(), subjectId)).mapEmpty();
  }

  /** Deletes up to a thousand expired sessions (run after timer sweeps). */
  public Future<Integer> purgeExpired() {
    return pool.query(WebSql.PURGE_EXPIRED_SESSIONS).execute().map(rows -> rows.rowCount());
  }

  /** 32 random bytes, base64url without padding. */
  static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static Buffer hash(String token) {
    try {
      return Buffer.buffer(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
