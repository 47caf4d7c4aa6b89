package com.otporchestrator.web;

import com.otporchestrator.common.DomainException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/** Customers' console logins: an email and an Argon2id hash per account. */
public final class Logins {
  /** A stored login: the account and its password hash. */
  record Stored(long accountId, String passwordHash) {}

  private final Pool pool;

  Logins(Pool pool) {
    this.pool = pool;
  }

  Future<Optional<Stored>> byEmail(String email) {
    return pool.preparedQuery(WebSql.LOGIN_BY_EMAIL).execute(Tuple.of(email)).map(rows -> {
      if (rows.size() == 0) return Optional.empty();
      Row row = rows.iterator().next();
      return Optional.of(new Stored(row.getLong("account_id"), row.getString("password_hash")));
    });
  }

  Future<Optional<String>> emailOf(long accountId) {
    return pool.preparedQuery(WebSql.LOGIN_OF_ACCOUNT).execute(Tuple.of(accountId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("email")));
  }

  /** Sets the account's login; an email another account already uses is a 409. */
  Future<Void> set(long accountId, String email, String passwordHash) {
    return pool.preparedQuery(WebSql.SET_LOGIN).execute(Tuple.of(accountId, email, passwordHash)).<Void>mapEmpty()
        .recover(e -> {
          if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
            return Future.failedFuture(new DomainException(DomainException.Kind.CONFLICT,
                "the email '" + email + "' is already the login of another account"));
          }
          if (e instanceof PgException pg && "23503".equals(pg.getSqlState())) {
            return Future.failedFuture(DomainException.notFound("no account " + accountId));
          }
          return Future.failedFuture(e);
        });
  }

  /** Why {@code email} is not acceptable as a login, or null. */
  static String invalidEmail(String email) {
    if (email == null || email.length() < 3 || email.length() > 254 || !email.matches("[^@\\s]+@[^@\\s]+")) {
      return "'email' must be an email address such as name@example.com";
    }
    return null;
  }
}
