package com.otporchestrator.staff;

/**
 * Statements on the staff table. Each touches that table only, but {@link #UPDATE}, which also ends the person's
 * console sessions and records the decision (rows no other statement locks: no lock order to keep).
 */
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

  /**
   * Changes a person: $2 active (null: unchanged), $3 role (null: unchanged), $4 password hash (null: unchanged). A person
   * disabled or given a new password loses every open console session in the same statement; each change is recorded
   * in admin_decisions by $5 (actions $6, notes $7, one row each, subject staff:<id>).
   */
  static final String UPDATE = """
      WITH changed AS (
        UPDATE staff SET disabled_at = CASE WHEN $2::boolean IS NULL THEN disabled_at
                                            WHEN $2 THEN NULL ELSE COALESCE(disabled_at, now()) END,
                         role = COALESCE($3, role),
                         password_hash = COALESCE($4, password_hash)
         WHERE id = $1
        RETURNING\s""" + COLUMNS + """

      ), signed_out AS (
        DELETE FROM web_sessions s USING changed c
         WHERE s.kind = 'operator' AND s.subject_id = c.id AND (c.disabled_at IS NOT NULL OR $4::text IS NOT NULL)
      ), decided AS (
        INSERT INTO admin_decisions (actor, action, subject, note)
        SELECT $5, d.action, 'staff:' || c.id, d.note FROM changed c, unnest($6::text[], $7::text[]) AS d(action, note)
      )
      SELECT * FROM changed""";
}
