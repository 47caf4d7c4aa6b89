package com.otporchestrator.abuse;

/** Every abuse statement. A flag and its consequence (a throttled plan, a suspension) are written in one statement. */
final class AbuseSql {
  private AbuseSql() {}

  static final String SETTINGS = "SELECT signal, enabled, threshold, ratio, window_ms, action FROM abuse_settings";

  static final String PUT_SETTINGS = """
      UPDATE abuse_settings SET enabled = $2, threshold = $3, ratio = $4, window_ms = $5, action = $6,
             updated_at = now(), updated_by = $7
       WHERE signal = $1""";

  /**
   * Records a trip: a new open flag, or the open one refreshed. Only a new flag applies its consequence: throttle moves
   * the account to the 'throttled' plan, suspend suspends an active account (no end: an admin lifts it).
   */
  static final String FLAG = """
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
      SELECT id, action, inserted, (SELECT count(*) FROM suspended) AS suspended FROM ins""";

  static final String FLAGS = """
      SELECT id, account_id, signal, observed, evidence, action, first_seen_at, last_seen_at, resolved_at, resolved_by,
             resolution_note
        FROM abuse_flags
       WHERE ($1::bigint IS NULL OR account_id = $1) AND ($2::boolean IS NULL OR (resolved_at IS NULL) = $2)
         AND ($3::bigint IS NULL OR id < $3)
       ORDER BY id DESC LIMIT $4""";

  static final String RESOLVE = """
      UPDATE abuse_flags SET resolved_at = now(), resolved_by = $2, resolution_note = $3
       WHERE id = $1 AND resolved_at IS NULL RETURNING id""";
}
