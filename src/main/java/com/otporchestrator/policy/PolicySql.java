package com.otporchestrator.policy;

/** Statements on published policy versions and on which policy is in force. */
final class PolicySql {
  private PolicySql() {}

  /** Inserts version $2 of policy $1 only if it is the next one (1 for a new policy); answers nothing otherwise. */
  static final String PUBLISH_NEXT = """
      INSERT INTO refund_policies (policy_id, version, document, document_sha256, published_by,
                                   activation_window_ms, cancel_not_before_ms, rental_cancel_window_ms, payout_minimum,
                                   cancel_refunds, rental_refunds, service_credits_outages_only)
      SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12
       WHERE COALESCE((SELECT max(version) FROM refund_policies WHERE policy_id = $1), 0) = $2 - 1
      ON CONFLICT (policy_id, version) DO NOTHING
      RETURNING published_at""";

  /** Ships a preset: a no-op when that version exists (the stored document wins; its hash is compared after). */
  static final String INSERT_PRESET = """
      INSERT INTO refund_policies (policy_id, version, document, document_sha256, published_by,
                                   activation_window_ms, cancel_not_before_ms, rental_cancel_window_ms, payout_minimum,
                                   cancel_refunds, rental_refunds, service_credits_outages_only)
      VALUES ($1, $2, $3, $4, 'preset', $5, $6, $7, $8, $9, $10, $11)
      ON CONFLICT (policy_id, version) DO NOTHING""";

  static final String SHA_OF = "SELECT document_sha256 FROM refund_policies WHERE policy_id = $1 AND version = $2";

  static final String LATEST_VERSION = "SELECT max(version) AS version FROM refund_policies WHERE policy_id = $1";

  static final String DOCUMENT = """
      SELECT policy_id, version, document, document_sha256, published_at, published_by
        FROM refund_policies WHERE policy_id = $1 AND version = $2""";

  static final String HISTORY = """
      SELECT policy_id, version, document_sha256, published_at, published_by
        FROM refund_policies WHERE policy_id = $1 ORDER BY version DESC""";

  static final String ALL_LATEST = """
      SELECT DISTINCT ON (policy_id) policy_id, version, document_sha256, published_at, published_by
        FROM refund_policies ORDER BY policy_id, version DESC""";

  static final String IN_FORCE = """
      SELECT c.policy_id, c.version, f.set_at, f.set_by
        FROM policy_current c, (SELECT set_at, set_by FROM policy_in_force ORDER BY id DESC LIMIT 1) f""";

  static final String IN_FORCE_HISTORY = """
      SELECT policy_id, set_at, set_by FROM policy_in_force ORDER BY id DESC LIMIT 100""";

  static final String SET_IN_FORCE = "INSERT INTO policy_in_force (policy_id, set_by) VALUES ($1, $2) RETURNING set_at";

  /** The first pod to start names the policy in force; later starts change nothing (the admin API does). */
  static final String BOOTSTRAP_IN_FORCE = """
      INSERT INTO policy_in_force (policy_id, set_by)
      SELECT $1, 'bootstrap' WHERE NOT EXISTS (SELECT 1 FROM policy_in_force)""";
}
