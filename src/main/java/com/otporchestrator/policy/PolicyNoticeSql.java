package com.otporchestrator.policy;

/**
 * Notices of policy changes. RECORD takes no row lock: the unique chain index refuses a second notice of the same
 * change recorded concurrently (the loser's statement fails with 23505 and writes nothing, events included).
 */
final class PolicyNoticeSql {
  private PolicyNoticeSql() {}

  /**
   * Records a notice when the version in force differs from the last notice's (by $1), and in the same statement a
   * policy.changed event for every account with a webhook URL; answers the notice, or nothing when nothing changed.
   */
  static final String RECORD = """
      WITH cur AS (
        SELECT policy_id, version FROM policy_current
      ), last AS (
        SELECT id, policy_id, version FROM policy_notices ORDER BY id DESC LIMIT 1
      ), notice AS (
        INSERT INTO policy_notices (previous_id, policy_id, version, set_by)
        SELECT (SELECT id FROM last), cur.policy_id, cur.version, $1 FROM cur
         WHERE NOT EXISTS (SELECT 1 FROM last WHERE last.policy_id = cur.policy_id AND last.version = cur.version)
        RETURNING id, policy_id, version, set_by, created_at
      ), targets AS (
        SELECT w.account_id, w.url, nextval('webhook_event_ids') AS event_id
          FROM account_webhooks w, notice WHERE w.url IS NOT NULL
      ), events AS (
        INSERT INTO webhook_events (id, account_id, order_id, type, url, payload, next_attempt_at)
        SELECT t.event_id, t.account_id, 0, 'policy.changed', t.url, json_build_object(
            'eventId', 'evt_' || t.event_id, 'type', 'policy.changed', 'noticeId', n.id,
            'policyId', n.policy_id, 'version', n.version,
            'appliesFrom', to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            'policyUrl', '/v1/policies/' || n.policy_id || '/versions/' || n.version,
            'occurredAt', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text, now()
          FROM targets t, notice n
      )
      SELECT id, policy_id, version, set_by, created_at FROM notice""";

  /** The notices, newest first, keyset-paged by id. */
  static final String LIST = """
      SELECT id, policy_id, version, created_at FROM policy_notices
       WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2""";
}
