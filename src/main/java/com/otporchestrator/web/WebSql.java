package com.otporchestrator.web;

/**
 * The web consoles' statements. Each touches one row of its table (sessions by token hash, logins by account or
 * email), so no statement holds more than one row lock; the purge deletes expired rows in bounded batches.
 */
final class WebSql {
  private WebSql() {}

  static final String CREATE_SESSION = """
      INSERT INTO web_sessions (token_hash, kind, subject_id, expires_at)
      VALUES ($1, $2, $3, now() + make_interval(secs => $4))
      RETURNING expires_at""";

  static final String FIND_SESSION = """
      SELECT kind, subject_id, expires_at FROM web_sessions
       WHERE token_hash = $1 AND expires_at > now()""";

  static final String DELETE_SESSION = "DELETE FROM web_sessions WHERE token_hash = $1";

  static final String DELETE_SUBJECT_SESSIONS = "DELETE FROM web_sessions WHERE kind = $1 AND subject_id = $2";

  static final String PURGE_EXPIRED_SESSIONS = """
      DELETE FROM web_sessions WHERE token_hash IN (
        SELECT token_hash FROM web_sessions WHERE expires_at <= now() LIMIT 1000)""";

  static final String LOGIN_BY_EMAIL = """
      SELECT account_id, password_hash FROM account_logins WHERE lower(email) = lower($1)""";

  static final String LOGIN_OF_ACCOUNT = "SELECT email FROM account_logins WHERE account_id = $1";

  /** Sets (or replaces) an account's login; an email another account uses violates account_logins_email. */
  static final String SET_LOGIN = """
      INSERT INTO account_logins (account_id, email, password_hash) VALUES ($1, $2, $3)
      ON CONFLICT (account_id) DO UPDATE SET email = EXCLUDED.email, password_hash = EXCLUDED.password_hash,
                                             updated_at = now()""";
}
