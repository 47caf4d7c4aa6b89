package com.otporchestrator.activation;

/** The statements of a refund by outage: every open order of a scope, in batches, each exactly once. */
final class ScopeRefundSql {
  private ScopeRefundSql() {}

  /**
   * First statement of a batch: lock the next orders of the scope still waiting for a code, in id
   * order (the lock order of every batch). An order locked by another batch is waited for and then
   * re-checked, so it is skipped once refunded; one that got an SMS meanwhile is skipped for good.
   * $1 provider, $2 service, $3 country (each null: any), $4 created no later than, $5 still open after.
   */
  static final String LOCK_SCOPE = """
      SELECT a.id, a.account_id FROM activations a
       WHERE a.state = 'WAITING_CODE'
         AND ($1::text IS NULL OR a.provider_id = $1) AND ($2::text IS NULL OR a.service = $2)
         AND ($3::int IS NULL OR a.country = $3)
         AND a.created_at <= $4 AND a.expires_at > $5
       ORDER BY a.id LIMIT $6
         FOR UPDATE OF a""";

  /** Orders of the scope still being bought: they may open on their number any moment now. */
  static final String ALLOCATING_IN_SCOPE = """
      SELECT EXISTS (SELECT 1 FROM activations a
       WHERE a.state = 'ALLOCATING'
         AND ($1::text IS NULL OR a.provider_id = $1) AND ($2::text IS NULL OR a.service = $2)
         AND ($3::int IS NULL OR a.country = $3) AND a.created_at <= $4) AS found""";

  /**
   * Second statement, once the first locked the orders (its posting fragment locks their wallets last):
   * the guarded transition WAITING_CODE -> CANCELLED ('outage <id>'), the void of each hold, the
   * customer's {@code activation.refunded} webhook event (outbox, same statement), the outage's
   * progress, and the close with the supplier (CLOSING), like a cancel. $1 ids, $2 outage id.
   */
  static final String REFUND_LOCKED = """
      WITH closed AS (
        UPDATE activations a
           SET state = 'CANCELLED', closed_at = now(), close_reason = 'outage ' || $2::bigint,
               upstream_state = 'CLOSING', upstream_next_at = now()
         WHERE a.id = ANY($1) AND a.state = 'WAITING_CODE'
        RETURNING a.id, a.account_id, a.price, a.state, a.service, a.country, a.phone, a.webhook_url, a.closed_at
      ), hook AS MATERIALIZED (
        SELECT nextval('webhook_event_ids') AS event_id, c.account_id, c.id AS order_id,
               COALESCE(c.webhook_url, w.url) AS url, c.service, c.country, c.phone, c.price, c.closed_at
          FROM closed c LEFT JOIN account_webhooks w ON w.account_id = c.account_id
         WHERE COALESCE(c.webhook_url, w.url) IS NOT NULL
      ), event AS (
        INSERT INTO webhook_events (id, account_id, order_id, type, url, payload, next_attempt_at)
        SELECT event_id, account_id, order_id, 'activation.refunded', url, json_build_object(
                 'activationId', order_id, 'service', service, 'country', country, 'phone', phone,
                 'eventId', 'evt_' || event_id, 'type', 'activation.refunded', 'state', 'CANCELLED',
                 'reason', 'outage', 'outageId', $2::bigint,
                 'refund', CASE WHEN scale(trim_scale(price::numeric / 1000000)) < 2
                                THEN round(price::numeric / 1000000, 2)::text
                                ELSE trim_scale(price::numeric / 1000000)::text END,
                 'refundedAt', to_char(closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
                 'refundedAtIso', to_char(closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text,
               now()
          FROM hook
      ), progress AS (
        UPDATE outages SET refunded = refunded + (SELECT count(*) FROM closed), batches = batches + 1
         WHERE id = $2
      )""" + ActivationSql.RESOLVE_CLOSED;

  /** The webhook events the batch just wrote (same transaction), to schedule their first attempt. */
  static final String EVENTS_OF = """
      SELECT id FROM webhook_events WHERE type = 'activation.refunded' AND order_id = ANY($1)""";
}
