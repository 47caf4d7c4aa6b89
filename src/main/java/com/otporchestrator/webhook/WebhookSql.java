package com.otporchestrator.webhook;

/**
 * Every statement about customer webhooks. The events themselves are written by the SMS delivery
 * statement (ActivationSql, transactional outbox); here they are claimed, attempted and logged.
 */
final class WebhookSql {
  private WebhookSql() {}

  private static final String MS = "ceil(extract(epoch FROM %s) * 1000)::bigint";

  static final String FIND = "SELECT url, secret, updated_at FROM account_webhooks WHERE account_id = $1";

  /** Sets the account's URL; the secret is made on first use and kept on later changes of URL. */
  static final String PUT_URL = """
      INSERT INTO account_webhooks (account_id, url, secret) VALUES ($1, $2, $3)
      ON CONFLICT (account_id) DO UPDATE SET url = EXCLUDED.url, updated_at = now()
      RETURNING url, secret, updated_at""";

  /**
   * A new secret at once; the one it replaces keeps signing beside it for $3 ms (several signatures in one header,
   * as the Standard Webhooks specification rotates), so receivers can switch without losing an event.
   */
  static final String ROTATE_SECRET = """
      INSERT INTO account_webhooks (account_id, url, secret) VALUES ($1, NULL, $2)
      ON CONFLICT (account_id) DO UPDATE
         SET previous_secret = account_webhooks.secret,
             previous_until = now() + $3::bigint * interval '1 millisecond',
             secret = EXCLUDED.secret, updated_at = now()
      RETURNING url, secret, updated_at""";

  /** Removes the account's URL; the secret stays, since per-order URLs are signed with it too. */
  static final String DELETE_URL = """
      UPDATE account_webhooks SET url = NULL, updated_at = now() WHERE account_id = $1 AND url IS NOT NULL""";

  /** The account's secret, made now when it has none yet (an order URL used before any setup). */
  static final String ENSURE_SECRET = """
      WITH made AS (
        INSERT INTO account_webhooks (account_id, secret) VALUES ($1, $2)
        ON CONFLICT (account_id) DO NOTHING
        RETURNING secret
      )
      SELECT secret FROM made UNION ALL SELECT secret FROM account_webhooks WHERE account_id = $1""";

  /**
   * Claims the due pending events among $1, at most $2 of them, by pushing their next attempt $3 ms
   * ahead: a concurrent fire (another pod, the sweep) finds them not due, and a pod that dies while
   * posting leaves them to be retried when that lease ends. Answers the claimed events with what
   * is needed to post them, and for the others where their timer should stand now.
   */
  static final String CLAIM = """
      WITH candidates AS (
        SELECT id FROM webhook_events
         WHERE id = ANY($1) AND state = 'PENDING' AND next_attempt_at <= now()
         ORDER BY id LIMIT $2
         FOR UPDATE SKIP LOCKED
      ), claimed AS (
        UPDATE webhook_events e SET next_attempt_at = now() + $3::bigint * interval '1 millisecond'
          FROM candidates c WHERE e.id = c.id
        RETURNING e.id, e.account_id, e.order_id, e.url, e.payload, e.attempts, e.next_attempt_at
      )
      SELECT c.id, true AS claimed, c.account_id, c.order_id, c.url, c.payload, c.attempts, w.secret,
             CASE WHEN w.previous_until > now() THEN w.previous_secret END AS previous_secret,
             """ + MS.formatted("c.next_attempt_at") + " AS due_ms" + """

        FROM claimed c LEFT JOIN account_webhooks w ON w.account_id = c.account_id
      UNION ALL
      SELECT e.id, false, e.account_id, e.order_id, NULL, NULL, e.attempts, NULL, NULL,
             """ + MS.formatted(
                 "CASE WHEN e.next_attempt_at <= now() THEN now() + interval '1 second' ELSE e.next_attempt_at END")
      + " AS due_ms" + """

        FROM webhook_events e
       WHERE e.id = ANY($1) AND e.state = 'PENDING' AND e.id NOT IN (SELECT id FROM claimed)""";

  /**
   * Logs one attempt and moves the event on: $7 = 'DELIVERED', 'FAILED' or 'PENDING' (then $8 ms
   * until the next attempt). Guarded by the attempt number, so a duplicate attempt (two pods after a
   * lost lease) is logged but cannot move the event twice. Answers the next due time when pending.
   */
  static final String RECORD_ATTEMPT = """
      WITH logged AS (
        INSERT INTO webhook_deliveries (event_id, account_id, order_id, attempt, url, status_code, error, duration_ms)
        SELECT id, account_id, order_id, $2, $3, $4, $5, $6 FROM webhook_events WHERE id = $1
        ON CONFLICT (event_id, attempt) DO NOTHING
      )
      UPDATE webhook_events
         SET attempts = $2, state = $7,
             next_attempt_at = CASE WHEN $7 = 'PENDING' THEN now() + $8::bigint * interval '1 millisecond' END,
             finished_at = CASE WHEN $7 = 'PENDING' THEN NULL ELSE now() END
       WHERE id = $1 AND state = 'PENDING' AND attempts = $2 - 1
      RETURNING\s""" + MS.formatted("next_attempt_at") + " AS next_ms";

  /** The account's delivery log, newest first, keyset-paged by delivery id. */
  static final String DELIVERIES = """
      SELECT d.id, d.event_id, d.order_id, d.attempt, d.url, d.status_code, d.error, d.duration_ms, d.attempted_at,
             e.state AS event_state
        FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
       WHERE d.account_id = $1 AND ($2::bigint IS NULL OR d.id < $2)
       ORDER BY d.id DESC LIMIT $3""";

  static final String OVERDUE = """
      SELECT id FROM webhook_events
       WHERE state = 'PENDING' AND next_attempt_at < now() - $1::bigint * interval '1 millisecond'
       ORDER BY next_attempt_at LIMIT $2""";

  static final String LIVE = "SELECT id, " + MS.formatted("next_attempt_at") + " AS due_ms" + """

        FROM webhook_events
       WHERE state = 'PENDING' AND id > $1 ORDER BY id LIMIT $2""";

  /** Retention: finished events (and, by cascade, their delivery log) older than $1 days, a batch at a time. */
  static final String PURGE_FINISHED = """
      DELETE FROM webhook_events WHERE id IN (
        SELECT id FROM webhook_events WHERE state <> 'PENDING' AND finished_at < now() - $1::int * interval '1 day'
         LIMIT 1000)""";
}
