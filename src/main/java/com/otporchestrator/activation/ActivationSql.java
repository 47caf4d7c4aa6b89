package com.otporchestrator.activation;

import com.otporchestrator.ledger.Postings;

/**
 * Every statement that changes an activation. Money moves only together with a guarded state
 * transition in the same statement: the transition's WHERE clause picks at most one winner, and
 * the money is a posting fragment of the ledger ({@link Postings}) appended to it, whose unique
 * indexes make a second resolution of the same order fail the transaction.
 *
 * <p>Lock order, the ledger's: activation rows first (ascending id), then wallet rows (ascending
 * account id). Purchases lock wallet rows (in account order) and nothing else.
 */
final class ActivationSql {
  private ActivationSql() {}

  static final String OPEN_STATES = "('ALLOCATING', 'WAITING_CODE', 'CODE_RECEIVED', 'WAITING_RETRY')";
  static final String LIVE_STATES = "('WAITING_CODE', 'CODE_RECEIVED', 'WAITING_RETRY')";

  /**
   * Appended to a CTE named {@code closed} that returns (id, account_id, price, state) of orders
   * that just reached a final state: the ledger captures a FINISHED order (a code was delivered)
   * and voids any other. The void of a cancel or an expiry is an automatic refund, held for review
   * instead while the account's refunds are held (abuse consequence {@code hold_refunds}): hence
   * {@link Postings#RESOLVE_HOLDING_REFUNDS}. Answers (id, state) of each order closed.
   */
  static final String RESOLVE_CLOSED = """
      , to_resolve AS (
        SELECT id AS order_id, account_id, price, state = 'FINISHED' AS capture,
               state IN ('CANCELLED', 'EXPIRED') AS refund_reviewable
          FROM closed
      )""" + Postings.RESOLVE_HOLDING_REFUNDS + """

      SELECT id, state FROM closed""";

  /**
   * Holds the price of many orders, of one account or many, and creates them, in one statement: each wallet row is
   * locked once (in account order, inside {@link Postings#HOLD}) and debited once. Each account's orders are taken in
   * their given order while its balance covers them (the longest affordable prefix); the others are not created.
   * $1 holds each order's account. Answers (ord, id, expires_ms) of each order created, ord being its 1-based position
   * in the arrays.
   */
  static final String HOLD_MANY = """
      WITH req AS (
        SELECT r.account_id, r.service, r.country, r.provider_id, r.price, r.cost, r.webhook_url, r.channel, r.ord,
               nextval('order_ids') AS id
          FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::bigint[], $6::bigint[], $8::text[], $9::text[])
               WITH ORDINALITY AS r(account_id, service, country, provider_id, price, cost, webhook_url, channel, ord)
      ), policy AS (
        SELECT policy_id, version FROM policy_current
      ), to_hold AS (
        SELECT account_id, id AS order_id, price, ord FROM req
      )""" + Postings.HOLD + """
      , ord AS (
        INSERT INTO activations (id, account_id, service, country, provider_id, price, cost, state, expires_at, cancellable_at,
                                 webhook_url, policy_id, policy_version, channel)
        SELECT r.id, r.account_id, r.service, r.country, r.provider_id, r.price, r.cost, 'ALLOCATING',
               now() + $7::bigint * interval '1 millisecond', now() + $7::bigint * interval '1 millisecond', r.webhook_url,
               p.policy_id, p.version, r.channel
          FROM req r JOIN hold_taken h ON h.order_id = r.id JOIN hold_debits d ON d.account_id = r.account_id
          LEFT JOIN policy p ON true
        RETURNING id, expires_at
      )
      SELECT r.ord, r.id, ceil(extract(epoch FROM o.expires_at) * 1000)::bigint AS expires_ms
        FROM req r JOIN ord o ON o.id = r.id""";

  /**
   * The supplier gave a number. A policy that fixes the window counts it from the purchase ("exactly 20 minutes");
   * otherwise the platform's window ($4) starts now. Either is capped by the supplier's own end. Cancelling opens at
   * the policy's minimum delay after the purchase, never earlier than the operator's floor ($6); under a policy where
   * cancelling does not refund, not before the window ends (the refund then comes by itself).
   */
  static final String MARK_ALLOCATED = """
      UPDATE activations AS a
         SET state = 'WAITING_CODE', phone = $2, provider_activation_id = $3, upstream_state = 'OPEN',
             expires_at = w.ends,
             cancellable_at = CASE WHEN p.cancel_refunds = false THEN w.ends
               ELSE a.created_at + GREATEST($6::bigint, COALESCE(p.cancel_not_before_ms, 0)) * interval '1 millisecond' END
        FROM activations o LEFT JOIN refund_policies p ON p.policy_id = o.policy_id AND p.version = o.policy_version,
             LATERAL (SELECT LEAST(COALESCE(o.created_at + p.activation_window_ms * interval '1 millisecond',
                                            now() + $4::bigint * interval '1 millisecond'),
                                   COALESCE($5::timestamptz, 'infinity')) AS ends) w
       WHERE a.id = $1 AND o.id = a.id AND a.state = 'ALLOCATING'
      """ + " RETURNING " + ActivationSql.VIEW_COLUMNS;

  /**
   * Failover: the supplier the order was offered to passed without giving a number, so the order
   * moves to the next one (its cost with it; the customer's price never changes). Only while still
   * allocating, so an order the watchdog already failed is never offered again.
   */
  static final String REROUTE = """
      UPDATE activations SET provider_id = $2, cost = $3, route_attempts = route_attempts || $4::text
       WHERE id = $1 AND state = 'ALLOCATING'
      RETURNING id""";

  /** A number arrived after the order was already failed (slow supplier): hand it back upstream. */
  static final String ADOPT_LATE_ALLOCATION = """
      UPDATE activations
         SET provider_activation_id = $2, phone = $3, upstream_state = 'CLOSING', upstream_next_at = now()
       WHERE id = $1 AND state = 'FAILED' AND upstream_state = 'UNKNOWN'
      RETURNING id""";

  static final String FAIL_ALLOCATION = """
      WITH closed AS (
        UPDATE activations
           SET state = 'FAILED', closed_at = now(), close_reason = $2, upstream_state = $3
         WHERE id = $1 AND state = 'ALLOCATING'
        RETURNING id, account_id, price, state
      )""" + RESOLVE_CLOSED;

  static final String CANCEL = """
      WITH closed AS (
        UPDATE activations
           SET state = 'CANCELLED', closed_at = now(), close_reason = 'cancelled by the customer',
               upstream_state = 'CLOSING', upstream_next_at = now()
         WHERE id = $1 AND account_id = $2 AND state = 'WAITING_CODE' AND cancellable_at <= now()
        RETURNING id, account_id, price, state
      )""" + RESOLVE_CLOSED;

  static final String FINISH = """
      WITH closed AS (
        UPDATE activations
           SET state = 'FINISHED', closed_at = now(), close_reason = 'finished by the customer',
               upstream_state = 'CLOSING', upstream_next_at = now()
         WHERE id = $1 AND account_id = $2 AND state IN ('CODE_RECEIVED', 'WAITING_RETRY')
        RETURNING id, account_id, price, state
      )""" + RESOLVE_CLOSED;

  /** The supplier closed a number that never received a code: refund it like a cancel. */
  static final String CLOSE_BY_UPSTREAM = """
      WITH closed AS (
        UPDATE activations
           SET state = 'CANCELLED', closed_at = now(), close_reason = $2, upstream_state = 'CLOSED'
         WHERE id = $1 AND state = 'WAITING_CODE'
        RETURNING id, account_id, price, state
      )""" + RESOLVE_CLOSED;

  static final String RETRY = """
      UPDATE activations SET state = 'WAITING_RETRY'
       WHERE id = $1 AND account_id = $2 AND state = 'CODE_RECEIVED' AND expires_at > now()
      RETURNING id""";

  /**
   * First statement of an expiry batch: lock the due orders in id order. The second is
   * {@link #EXPIRE_LOCKED}, whose posting fragment locks their wallets (account order) last.
   */
  static final String LOCK_DUE = """
      SELECT id, account_id FROM activations
       WHERE id = ANY($1) AND state IN """ + OPEN_STATES + """
         AND expires_at <= now()
       ORDER BY id FOR UPDATE""";

  /**
   * Second statement: the window ended. No code: EXPIRED and voided. A code: FINISHED and captured.
   * Still allocating (the pod that called the supplier died): FAILED, voided, and the supplier's
   * outcome is unknown, to be reconciled.
   */
  static final String EXPIRE_LOCKED = """
      WITH closed AS (
        UPDATE activations a
           SET state = CASE a.state WHEN 'ALLOCATING' THEN 'FAILED' WHEN 'WAITING_CODE' THEN 'EXPIRED' ELSE 'FINISHED' END,
               closed_at = now(),
               close_reason = CASE a.state WHEN 'ALLOCATING' THEN 'supplier did not answer in time'
                                           WHEN 'WAITING_CODE' THEN 'no code within the window'
                                           ELSE 'window ended after a code' END,
               upstream_state = CASE a.state WHEN 'ALLOCATING' THEN 'UNKNOWN' ELSE 'CLOSING' END,
               upstream_next_at = CASE a.state WHEN 'ALLOCATING' THEN NULL ELSE now() END
         WHERE a.id = ANY($1) AND a.state IN """ + OPEN_STATES + """
           AND a.expires_at <= now()
        RETURNING a.id, a.account_id, a.price, a.state
      )""" + RESOLVE_CLOSED;

  /** Where each order's timers should stand now, to re-schedule whatever is not finished. */
  static final String TIMER_STATE = """
      SELECT a.id, a.state, a.upstream_state,
             ceil(extract(epoch FROM a.expires_at) * 1000)::bigint AS expires_ms,
             ceil(extract(epoch FROM a.upstream_next_at) * 1000)::bigint AS upstream_next_ms,
             p.protocol
        FROM activations a JOIN providers p ON p.id = a.provider_id
       WHERE a.id = ANY($1)""";

  /**
   * Stores one SMS on an open order (deduplicated) and marks the code received. Transactional
   * outbox: when the order or its account has a webhook URL, the same statement writes the
   * {@code activation.sms} webhook event, so an event exists if and only if the SMS was stored (a
   * repeated SMS stores nothing and so creates no event). The payload is fixed here, once: the
   * sms-activate activation webhook fields plus ours (docs/api.md, webhooks); times are UTC.
   */
  private static final String STORE_SMS = """
      , sms AS (
        INSERT INTO activation_sms (activation_id, dedupe_key, sender, text, code)
        SELECT id, $3, $4, $5, $6 FROM target
        ON CONFLICT (activation_id, dedupe_key) DO NOTHING
        RETURNING id, activation_id, text, code, received_at
      ), moved AS (
        UPDATE activations a SET state = 'CODE_RECEIVED' FROM sms WHERE a.id = sms.activation_id
        RETURNING a.id, a.account_id, a.service, a.country, a.phone, a.state, a.webhook_url
      ), hook AS MATERIALIZED (
        SELECT nextval('webhook_event_ids') AS id, m.account_id, m.id AS order_id, s.id AS sms_id,
               COALESCE(m.webhook_url, w.url) AS url, m.service, m.country, m.phone, m.state,
               s.text, s.code, s.received_at
          FROM sms s JOIN moved m ON m.id = s.activation_id
          LEFT JOIN account_webhooks w ON w.account_id = m.account_id
         WHERE COALESCE(m.webhook_url, w.url) IS NOT NULL
      ), event AS (
        INSERT INTO webhook_events (id, account_id, order_id, sms_id, type, url, payload, next_attempt_at)
        SELECT id, account_id, order_id, sms_id, 'activation.sms', url, json_build_object(
                 'activationId', order_id, 'service', service, 'text', text, 'code', code, 'country', country,
                 'receivedAt', to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
                 'eventId', 'evt_' || id, 'type', 'activation.sms', 'phone', phone, 'state', state,
                 'receivedAtIso', to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text,
               now()
          FROM hook
        RETURNING id
      )
      SELECT (SELECT id FROM target) AS activation_id, (SELECT count(*) FROM sms) AS stored,
             (SELECT id FROM event) AS webhook_event_id""";

  static final String DELIVER_SMS_TO_ORDER = """
      WITH target AS (
        SELECT id FROM activations
         WHERE id = $1 AND provider_id = $2 AND state IN """ + LIVE_STATES + """
           AND expires_at > now()
         FOR UPDATE
      )""" + STORE_SMS;

  static final String DELIVER_SMS_TO_PHONE = """
      WITH target AS (
        SELECT id FROM activations
         WHERE provider_id = $2 AND phone = $1::text AND state IN """ + LIVE_STATES + """
           AND expires_at > now()
         ORDER BY id DESC LIMIT 1
         FOR UPDATE
      )""" + STORE_SMS;

  private static final String VIEW_COLUMNS = """
      a.id, a.account_id, a.service, a.country, a.provider_id, a.price, a.state, a.phone,
      a.created_at, a.expires_at, a.cancellable_at, a.closed_at, a.close_reason, a.webhook_url,
      a.policy_id, a.policy_version, a.channel,
      EXISTS (SELECT 1 FROM held_refunds h WHERE h.order_id = a.id AND h.decision IS NULL) AS refund_held,
      COALESCE((SELECT json_agg(json_build_object('sender', s.sender, 'text', s.text, 'code', s.code,
                                                  'receivedAt', s.received_at) ORDER BY s.id)
                  FROM activation_sms s WHERE s.activation_id = a.id), '[]'::json) AS sms""";

  static final String FIND_FOR_ACCOUNT = "SELECT " + VIEW_COLUMNS + " FROM activations a WHERE a.id = $1 AND a.account_id = $2";

  static final String FIND_ANY = "SELECT " + VIEW_COLUMNS + " FROM activations a WHERE a.id = $1";

  static final String LIST_FOR_ACCOUNT = "SELECT " + VIEW_COLUMNS + """
       FROM activations a
      WHERE a.account_id = $1 AND ($2::text IS NULL OR a.state = $2) AND ($3::bigint IS NULL OR a.id < $3)
      ORDER BY a.id DESC LIMIT $4""";

  /** An account's orders that hold a number and may still receive a code, newest first. */
  static final String LIVE_FOR_ACCOUNT = "SELECT " + VIEW_COLUMNS + """
       FROM activations a
      WHERE a.account_id = $1 AND a.state IN """ + LIVE_STATES + """
      ORDER BY a.id DESC OFFSET $3 LIMIT $2""";

  /** An account's orders that got a number, bought in [$2, $3] (either bound optional), newest first. */
  static final String HISTORY_FOR_ACCOUNT = "SELECT " + VIEW_COLUMNS + """
       FROM activations a
      WHERE a.account_id = $1 AND a.phone IS NOT NULL AND a.state NOT IN ('ALLOCATING', 'FAILED')
        AND ($2::timestamptz IS NULL OR a.created_at >= $2) AND ($3::timestamptz IS NULL OR a.created_at <= $3)
      ORDER BY a.id DESC OFFSET $4 LIMIT $5""";

  static final String OVERDUE_OPEN = """
      SELECT id FROM activations
       WHERE state IN """ + OPEN_STATES + """
         AND expires_at < now() - $1::bigint * interval '1 millisecond'
       ORDER BY expires_at LIMIT $2""";

  /** The timestamp of a rebuild cursor's $1 (epoch µs; the least bigint for the first page). */
  private static final String AFTER_CURSOR = """
      (CASE WHEN $1::bigint = -9223372036854775808 THEN '-infinity'::timestamptz
            ELSE timestamptz 'epoch' + $1::bigint * interval '1 microsecond' END)""";

  /**
   * Live expiries in deadline order after the cursor ($1 epoch µs of the last deadline, $2 its id), for a rebuild of
   * the timer index that serves the earliest first; exact µs keep the keyset exact, and the open-deadline index serves it.
   */
  static final String LIVE_EXPIRIES = """
      SELECT id, (extract(epoch FROM expires_at) * 1000000)::bigint AS due_us FROM activations
       WHERE state IN """ + OPEN_STATES + """
         AND expires_at >= """ + AFTER_CURSOR + """
         AND (expires_at, id) > (""" + AFTER_CURSOR + """
      , $2) ORDER BY expires_at, id LIMIT $3""";


  static final String OVERDUE_CLOSES = """
      SELECT id FROM activations
       WHERE upstream_state = 'CLOSING' AND upstream_next_at < now() - $1::bigint * interval '1 millisecond'
       ORDER BY upstream_next_at LIMIT $2""";

  /** Live supplier closes in deadline order after the cursor, as {@link #LIVE_EXPIRIES}. */
  static final String LIVE_CLOSES = """
      SELECT id, (extract(epoch FROM upstream_next_at) * 1000000)::bigint AS due_us FROM activations
       WHERE upstream_state = 'CLOSING'
         AND upstream_next_at >= """ + AFTER_CURSOR + """
         AND (upstream_next_at, id) > (""" + AFTER_CURSOR + """
      , $2) ORDER BY upstream_next_at, id LIMIT $3""";

  /** Live orders of polled suppliers that nobody polled for longer than the grace: a lost poll timer. */
  static final String OVERDUE_POLLS = """
      SELECT a.id FROM activations a JOIN providers p ON p.id = a.provider_id
       WHERE p.protocol IN ('sms-activate', 'fivesim') AND a.state IN """ + LIVE_STATES + """
         AND a.provider_activation_id IS NOT NULL
         AND COALESCE(a.polled_at, a.created_at) < now() - $1::bigint * interval '1 millisecond'
       ORDER BY a.id LIMIT $2""";

  static final String LIVE_POLLS = """
      SELECT a.id, (extract(epoch FROM now()) * 1000)::bigint AS due_ms
        FROM activations a JOIN providers p ON p.id = a.provider_id
       WHERE p.protocol IN ('sms-activate', 'fivesim') AND a.state IN """ + LIVE_STATES + """
         AND a.id > $1 ORDER BY a.id LIMIT $2""";
}
