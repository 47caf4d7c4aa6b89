package com.otporchestrator.staff;

/** Statements on the staff table; each touches that table only (no lock order to keep). */
final class StaffSql {
  private StaffSql() {}

  private static final String COLUMNS = "id, email, name, role, created_at, disabled_at";

  static final String CREATE = """
      INSERT INTO staff (email, name, role, password_hash) VALUES ($1, $2, $3, $4)
      ON CONFLICT DO NOTHING RETURNING\s""" + COLUMNS;

  /** A person and their password hash, by email (case-insensitive). */
  static final String LOGIN = "SELECT " + COLUMNS + ", password_hash FROM staff WHERE lower(email) = lower($1)";

  static final String BY_ID = "SELECT " + COLUMNS + " FROM staff WHERE id = $1";

  /** People by id after $1 (null: from the first), at most $2. */
  static final String PAGE = "SELECT " + COLUMNS + " FROM staff WHERE $1::bigint IS NULL OR id > $1 ORDER BY id LIMIT $2";
}
