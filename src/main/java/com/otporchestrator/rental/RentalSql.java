package com.otporchestrator.rental;

import com.otporchestrator.claim.IncidentClaims;
import com.otporchestrator.ledger.Postings;

/**
 * Every statement that changes a rental. As for activations, money moves only with a guarded state transition in the same
 * statement (a posting fragment of {@link Postings} appended to it), and the ledger's unique indexes refuse a second
 * resolution of any order id.
 *
 * <p>A rental's extensions are orders of their own (each one hold), resolved together with their rental. Closing a
 * rental is therefore two statements in one transaction: {@link #LOCK} takes the rental rows (id order) and then a
 * {@code *_LOCKED} statement resolves them; the second statement's snapshot is taken after the lock, so it sees every
 * extension committed before, and no extension can be added while the lock is held ({@link #EXTEND} locks the rental
 * row first too). Lock order everywhere, the ledger's: rentals (by id), then wallets (by account), which the second
 * statement's posting fragment locks last.
 */
final class RentalSql {
  private RentalSql() {}

  static final String OPEN_STATES = "('ALLOCATING', 'ACTIVE')";

  /** Rent offers of a (country, service or 'full'), cheapest first, from enabled suppliers with stock. */
  static final String OFFERS = """
      SELECT o.provider_id, o.hourly_price, o.hourly_cost, o.stock
        FROM rent_offers o JOIN providers p ON p.id = o.provider_id
       WHERE p.enabled AND o.country = $1 AND o.service = $2 AND o.stock > 0
         AND (o.allowed_hours IS NULL OR $3 = ANY (o.allowed_hours))
       ORDER BY o.hourly_price, p.priority, o.provider_id
       LIMIT 10""";

  /** The lengths sold for a (country, service) when no offer sells the one asked: every offer's set, merged. */
  static final String ALLOWED_HOURS = """
      SELECT bool_or(o.allowed_hours IS NULL) AS any_length,
             (SELECT array_agg(DISTINCT h ORDER BY h) FROM rent_offers x JOIN providers q ON q.id = x.provider_id,
                     unnest(x.allowed_hours) AS h
               WHERE q.enabled AND x.country = $1 AND x.service = $2 AND x.stock > 0) AS hours
        FROM rent_offers o JOIN providers p ON p.id = o.provider_id
       WHERE p.enabled AND o.country = $1 AND o.service = $2 AND o.stock > 0""";

  /** Whether a country and a service ('full' always) are known, to tell bad input from missing stock. */
  static final String KNOWN = """
      SELECT EXISTS (SELECT 1 FROM countries WHERE id = $1) AS country_known,
             ($2 = 'full' OR EXISTS (SELECT 1 FROM services WHERE code = $2)) AS service_known""";

  /**
   * Rent offers for the compatible catalogue: per country and service, lowest hourly price and total stock, of the offers
   * selling a rental of $2 hours (every offer when $2 is null). {@code hours} lists the lengths sold (null: any length).
   */
  static final String CATALOGUE = """
      SELECT o.country, o.service, min(o.hourly_price)::bigint AS hourly_price, sum(o.stock)::bigint AS stock,
             CASE WHEN bool_or(o.allowed_hours IS NULL) THEN NULL
                  ELSE (SELECT array_agg(DISTINCT h ORDER BY h) FROM rent_offers x JOIN providers q ON q.id = x.provider_id,
                                unnest(x.allowed_hours) AS h
                         WHERE q.enabled AND x.stock > 0 AND x.country = o.country AND x.service = o.service) END AS hours
        FROM rent_offers o JOIN providers p ON p.id = o.provider_id
       WHERE p.enabled AND o.stock > 0 AND ($1::int IS NULL OR o.country = $1)
         AND ($2::int IS NULL OR o.allowed_hours IS NULL OR $2 = ANY (o.allowed_hours))
       GROUP BY o.country, o.service ORDER BY o.country, o.service""";

  static final String UPSERT_OFFER = """
      INSERT INTO rent_offers (provider_id, country, service, hourly_price, hourly_cost, stock, allowed_hours)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (provider_id, country, service) DO UPDATE
         SET hourly_price = EXCLUDED.hourly_price, hourly_cost = EXCLUDED.hourly_cost, stock = EXCLUDED.stock,
             allowed_hours = EXCLUDED.allowed_hours, updated_at = now()""";

  /**
   * Holds the price and creates the rental, in one statement. The policy in force is chosen here (view policy_current),
   * and with it the cancel window, counted from the purchase; a policy without one gets the platform's ($10 ms).
   * Until the supplier answers, ends_at is the allocation watchdog ($11 ms). Nothing is created when the balance does
   * not cover the price.
   */
  static final String HOLD = """
      WITH policy AS (
        SELECT policy_id, version, rental_cancel_window_ms FROM policy_current
      ), to_hold AS (
        SELECT $1::bigint AS account_id, nextval('order_ids') AS order_id, $7::bigint AS price, 1 AS ord
      )""" + Postings.HOLD + """
      , ord AS (
        INSERT INTO rentals (id, account_id, service, country, provider_id, hours, hourly_price, price, cost, state,
                             ends_at, cancel_until, webhook_url, policy_id, policy_version, channel)
        SELECT h.order_id, h.account_id, $2::text, $3::int, $4::text, $5::int, $6::bigint, h.price, $8::bigint, 'ALLOCATING',
               now() + $11::bigint * interval '1 millisecond',
               now() + COALESCE(p.rental_cancel_window_ms, $10::bigint) * interval '1 millisecond', $9::text,
               p.policy_id, p.version, $12::text
          FROM to_hold h JOIN hold_debits d ON d.account_id = h.account_id LEFT JOIN policy p ON true
        RETURNING id
      )
      SELECT id FROM ord""";

  /** The supplier gave the number: the rental's hours start now. */
  static final String MARK_ALLOCATED = """
      UPDATE rentals
         SET state = 'ACTIVE', phone = $2, provider_rental_id = $3, upstream_state = 'OPEN', starts_at = now(),
             ends_at = now() + hours * interval '1 hour'
       WHERE id = $1 AND state = 'ALLOCATING'
      RETURNING id""";

  /** A number that arrived after the watchdog failed the rental: hand it back upstream. */
  static final String ADOPT_LATE_ALLOCATION = """
      UPDATE rentals SET provider_rental_id = $2, phone = $3, upstream_state = 'CLOSING', upstream_next_at = now()
       WHERE id = $1 AND state = 'FAILED' AND upstream_state = 'UNKNOWN'
      RETURNING id""";

  /** First statement of every resolution: lock the rentals concerned, in id order. */
  static final String LOCK = "SELECT id, account_id FROM rentals WHERE id = ANY($1) ORDER BY id FOR UPDATE";


  /**
   * Appended to a CTE {@code closed} returning (id, account_id, price, state) of rentals that just reached a final state:
   * the rental and each of its extensions (orders of their own) are captured when it FINISHED or ENDED, voided when it
   * was CANCELLED or FAILED. Plain {@link Postings#RESOLVE}: a rental's refunds are never held for review. Answers
   * (id, state) of each rental closed.
   */
  private static final String RESOLVE_CLOSED = """
      , to_resolve AS (
        SELECT id AS order_id, account_id, price, state IN ('FINISHED', 'ENDED') AS capture FROM closed
        UNION ALL
        SELECT e.id, c.account_id, e.price, c.state IN ('FINISHED', 'ENDED') FROM rental_extensions e JOIN closed c ON c.id = e.rental_id
      )""" + Postings.RESOLVE + """

      SELECT id, state FROM closed""";

  /**
   * Refunds active rentals automatically for an event the rental's policy lists in {@code rental.refunds} (a number
   * the supplier reports dead, an outage): $1 ids, $2 how each is refunded ('full' or 'unused_pro_rata'), $3 from when
   * each was unusable (null: now), $4 the event, $5 the close reason, $6/$7 the incident to record (kind, evidence; null:
   * none). The rental ends REFUNDED and is closed with the supplier. Each of its ledger orders (the rental for its first
   * hours, each extension for the hours it added) is settled with {@link Postings#SETTLE}: in full, or for the unused
   * part of its own time, {@code floor(price * unused / its time)} to the micro-USD, time measured to the microsecond
   * on the database clock (an order wholly used gets nothing back, one not yet begun everything). Run after {@link #LOCK}
   * (and the wallets' lock for a batch).
   */
  static final String AUTO_REFUND_LOCKED = """
      WITH req AS (
        SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS x(id, mode, from_at)
      ), closed AS (
        UPDATE rentals r
           SET state = 'REFUNDED', closed_at = now(), close_reason = $5, refund_event = $4,
               upstream_state = 'CLOSING', upstream_next_at = now()
          FROM req WHERE r.id = req.id AND r.state = 'ACTIVE'
        RETURNING r.id, r.account_id, r.price, r.starts_at, r.hours, req.mode, COALESCE(req.from_at, now()) AS from_at
      ), segments AS (
        SELECT c.id AS order_id, c.account_id, c.price, c.mode, c.from_at, c.starts_at AS seg_start,
               c.starts_at + (c.hours - COALESCE((SELECT sum(e.hours) FROM rental_extensions e WHERE e.rental_id = c.id), 0))
                             * interval '1 hour' AS seg_end
          FROM closed c
        UNION ALL
        SELECT e.id, c.account_id, e.price, c.mode, c.from_at, e.ends_at - e.hours * interval '1 hour', e.ends_at
          FROM rental_extensions e JOIN closed c ON c.id = e.rental_id
      ), to_settle AS (
        SELECT order_id, account_id, price,
               CASE WHEN mode = 'full' THEN price
                    ELSE floor(price::numeric * GREATEST(0, LEAST(1,
                           extract(epoch FROM seg_end - GREATEST(from_at, seg_start))::numeric
                           / extract(epoch FROM seg_end - seg_start)::numeric)))::bigint END AS refund
          FROM segments
      )""" + Postings.SETTLE + """
      , incident AS (
        INSERT INTO rental_incidents (rental_id, account_id, kind, evidence)
        SELECT id, account_id, $6::text, $7::text FROM closed WHERE $6::text IS NOT NULL
        ON CONFLICT (rental_id, kind) DO NOTHING
      )
      SELECT id FROM closed""";

  /**
   * First statement of an outage's rental batch: locks the next active rentals of the scope whose policy refunds an
   * outage automatically ({@code rental.refunds.platform_outage}), in id order, with how. $1 provider, $2 service, $3
   * country (each null: any; a rental of any service is in every service's scope), $4 started no later than, $5 still
   * running after (the outage's start), $6 the batch size.
   */
  static final String LOCK_OUTAGE_SCOPE = """
      SELECT r.id, r.account_id, p.rental_refunds->>'platform_outage' AS mode FROM rentals r
        JOIN refund_policies p ON p.policy_id = r.policy_id AND p.version = r.policy_version
       WHERE r.state = 'ACTIVE' AND p.rental_refunds ? 'platform_outage'
         AND ($1::text IS NULL OR r.provider_id = $1) AND ($2::text IS NULL OR r.service IS NULL OR r.service = $2)
         AND ($3::int IS NULL OR r.country = $3)
         AND r.starts_at <= $4 AND r.ends_at > $5
       ORDER BY r.id LIMIT $6
         FOR UPDATE OF r""";

  static final String FAIL_ALLOCATION_LOCKED = """
      WITH closed AS (
        UPDATE rentals SET state = 'FAILED', closed_at = now(), close_reason = $2, upstream_state = $3
         WHERE id = $1 AND state = 'ALLOCATING'
        RETURNING id, account_id, price, state
      )""" + RESOLVE_CLOSED;

  /**
   * Refund by cancelling: only while now() < cancel_until, whether or not an SMS arrived, and never once the rental's
   * end has passed (its end is then due and captures, even if the timer has not fired yet).
   */
  static final String CANCEL_LOCKED = """
      WITH closed AS (
        UPDATE rentals
           SET state = 'CANCELLED', closed_at = now(), close_reason = 'cancelled by the customer',
               upstream_state = 'CLOSING', upstream_next_at = now()
         WHERE id = $1 AND account_id = $2 AND state = 'ACTIVE' AND now() < cancel_until AND now() < ends_at
        RETURNING id, account_id, price, state
      )""" + RESOLVE_CLOSED;

  static final String FINISH_LOCKED = """
      WITH closed AS (
        UPDATE rentals
           SET state = 'FINISHED', closed_at = now(), close_reason = 'finished by the customer',
               upstream_state = 'CLOSING', upstream_next_at = now()
         WHERE id = $1 AND account_id = $2 AND state = 'ACTIVE'
        RETURNING id, account_id, price, state
      )""" + RESOLVE_CLOSED;

  /**
   * The end of due rentals: ACTIVE ones END (captured) and are closed upstream; one still ALLOCATING (the pod that asked
   * the supplier died) FAILS (voided) with an unknown supplier outcome.
   */
  static final String END_LOCKED = """
      WITH closed AS (
        UPDATE rentals
           SET state = CASE state WHEN 'ALLOCATING' THEN 'FAILED' ELSE 'ENDED' END,
               closed_at = now(),
               close_reason = CASE state WHEN 'ALLOCATING' THEN 'supplier did not answer in time' ELSE 'rental ended' END,
               upstream_state = CASE state WHEN 'ALLOCATING' THEN 'UNKNOWN' ELSE 'CLOSING' END,
               upstream_next_at = CASE state WHEN 'ALLOCATING' THEN NULL ELSE now() END
         WHERE id = ANY($1) AND state IN """ + OPEN_STATES + """
           AND ends_at <= now()
        RETURNING id, account_id, price, state
      )""" + RESOLVE_CLOSED;

  /**
   * Extends an active rental that has not ended: locks it, holds the extension's price ($4) from the wallet, moves the
   * end by $3 hours (the total staying within $5 hours), records the extension and its hold. Nothing happens when any
   * condition fails; the caller then reads the rental to say why.
   */
  static final String EXTEND = """
      WITH r AS (
        SELECT id, account_id FROM rentals
         WHERE id = $1 AND account_id = $2 AND state = 'ACTIVE' AND ends_at > now() AND hours + $3::int <= $5::int
         FOR UPDATE
      ), to_hold AS (
        SELECT account_id, nextval('order_ids') AS order_id, $4::bigint AS price, 1 AS ord FROM r
      )""" + Postings.HOLD + """
      , moved AS (
        UPDATE rentals SET ends_at = ends_at + $3 * interval '1 hour', hours = hours + $3
          FROM hold_debits WHERE rentals.id = $1
        RETURNING rentals.id, rentals.ends_at
      ), ext AS (
        INSERT INTO rental_extensions (id, rental_id, account_id, hours, price, ends_at)
        SELECT h.order_id, m.id, h.account_id, $3::int, h.price, m.ends_at FROM moved m, to_hold h
        RETURNING id
      )
      SELECT (SELECT id FROM ext) AS extension_id""";

  /**
   * Stores one SMS on the active rental holding the phone (deduplicated), and, when the rental has a webhook URL, its
   * {@code rental.sms} event in the same statement (transactional outbox). The payload is the protocol's rent webhook
   * (rentId, sms.phoneFrom, sms.text, sms.date) followed by ours; times are UTC, as for activation webhooks. The
   * account's URL is not used: the protocol sends rent webhooks only to the rental's own URL.
   */
  static final String DELIVER_SMS_TO_PHONE = """
      WITH target AS (
        SELECT id FROM rentals
         WHERE provider_id = $2 AND phone = $1::text AND state = 'ACTIVE' AND ends_at > now()
         ORDER BY id DESC LIMIT 1
         FOR UPDATE
      ), sms AS (
        INSERT INTO rental_sms (rental_id, dedupe_key, sender, text, code)
        SELECT id, $3, $4, $5, $6 FROM target
        ON CONFLICT (rental_id, dedupe_key) DO NOTHING
        RETURNING id, rental_id, sender, text, code, received_at
      ), hook AS MATERIALIZED (
        SELECT nextval('webhook_event_ids') AS id, r.account_id, r.id AS order_id, s.id AS sms_id, r.webhook_url AS url,
               r.phone, s.sender, s.text, s.code, s.received_at
          FROM sms s JOIN rentals r ON r.id = s.rental_id
         WHERE r.webhook_url IS NOT NULL
      ), event AS (
        INSERT INTO webhook_events (id, account_id, order_id, sms_id, type, url, payload, next_attempt_at)
        SELECT id, account_id, order_id, sms_id, 'rental.sms', url, json_build_object(
                 'rentId', order_id::text,
                 'sms', json_build_object('phoneFrom', sender, 'text', text,
                                          'date', to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')),
                 'eventId', 'evt_' || id, 'type', 'rental.sms', 'phone', phone, 'code', code,
                 'receivedAtIso', to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text,
               now()
          FROM hook
        RETURNING id
      )
      SELECT (SELECT id FROM target) AS rental_id, (SELECT count(*) FROM sms) AS stored,
             (SELECT id FROM event) AS webhook_event_id""";

  /**
   * Records a silent disconnection or other incident once per (rental, kind); one the customer suffers also opens a
   * claim for review, in the same statement ({@link IncidentClaims}).
   */
  static final String RECORD_INCIDENT = """
      WITH incident AS (
        INSERT INTO rental_incidents (rental_id, account_id, kind, evidence)
        SELECT id, account_id, $2::text, $3::text FROM rentals WHERE id = $1
        ON CONFLICT (rental_id, kind) DO NOTHING
        RETURNING id, rental_id, account_id, kind, evidence
      )""" + IncidentClaims.OPEN_FOR_RENTAL_INCIDENTS + "SELECT id FROM incident";

  static final String INCIDENTS = """
      SELECT i.id, i.rental_id, i.account_id, i.kind, i.detected_at, i.evidence, r.provider_id, r.phone, r.state
        FROM rental_incidents i JOIN rentals r ON r.id = i.rental_id
       WHERE ($1::bigint IS NULL OR i.id < $1)
       ORDER BY i.id DESC LIMIT $2""";

  private static final String VIEW_COLUMNS = """
      r.id, r.account_id, r.service, r.country, r.provider_id, r.hours, r.hourly_price, r.price, r.state, r.phone,
      r.created_at, r.starts_at, r.ends_at, r.cancel_until, r.closed_at, r.close_reason, r.webhook_url,
      r.policy_id, r.policy_version, r.provider_rental_id, r.channel, r.refund_event,
      COALESCE((SELECT json_agg(json_build_object('id', e.id, 'hours', e.hours, 'price', e.price,
                                                  'createdAt', e.created_at) ORDER BY e.id)
                  FROM rental_extensions e WHERE e.rental_id = r.id), '[]'::json) AS extensions,
      COALESCE((SELECT json_agg(json_build_object('sender', s.sender, 'text', s.text, 'code', s.code,
                                                  'receivedAt', s.received_at) ORDER BY s.id)
                  FROM rental_sms s WHERE s.rental_id = r.id), '[]'::json) AS sms""";

  static final String FIND_FOR_ACCOUNT = "SELECT " + VIEW_COLUMNS + " FROM rentals r WHERE r.id = $1 AND r.account_id = $2";

  static final String FIND_ANY = "SELECT " + VIEW_COLUMNS + " FROM rentals r WHERE r.id = $1";

  static final String LIST_FOR_ACCOUNT = "SELECT " + VIEW_COLUMNS + """
       FROM rentals r
      WHERE r.account_id = $1 AND ($2::text IS NULL OR r.state = $2) AND ($3::bigint IS NULL OR r.id < $3)
      ORDER BY r.id DESC LIMIT $4""";

  // ---- timers: one member "r:<id>" per rental, due at its end while open, at its next supplier close while closing

  static final String TIMER_STATE = """
      SELECT id, state, upstream_state,
             ceil(extract(epoch FROM ends_at) * 1000)::bigint AS ends_ms,
             ceil(extract(epoch FROM upstream_next_at) * 1000)::bigint AS upstream_next_ms
        FROM rentals WHERE id = ANY($1)""";

  static final String CLOSE_CANDIDATES = """
      SELECT id, account_id, provider_id, provider_rental_id, state, upstream_attempts FROM rentals
       WHERE id = ANY($1) AND upstream_state = 'CLOSING' AND upstream_next_at <= now()""";

  static final String CLOSED = """
      UPDATE rentals SET upstream_state = 'CLOSED', upstream_next_at = NULL, upstream_note = NULL
       WHERE id = $1 AND upstream_state = 'CLOSING'""";

  static final String RETRY_CLOSE = """
      UPDATE rentals
         SET upstream_attempts = upstream_attempts + 1,
             upstream_next_at = now() + $2::bigint * interval '1 millisecond', upstream_note = $3
       WHERE id = $1 AND upstream_state = 'CLOSING'
      RETURNING ceil(extract(epoch FROM upstream_next_at) * 1000)::bigint AS next_ms""";

  static final String CLOSE_REFUSED = """
      UPDATE rentals SET upstream_state = 'REFUSED', upstream_next_at = NULL, upstream_note = $2
       WHERE id = $1 AND upstream_state = 'CLOSING'""";

  /** Open rentals whose end passed more than the grace ago: a lost {@code RENTAL} timer. */
  static final String OVERDUE_ENDS = """
      SELECT id FROM rentals
       WHERE state IN """ + OPEN_STATES + """
         AND ends_at < now() - $1::bigint * interval '1 millisecond'
       ORDER BY id LIMIT $2""";

  /** Closing rentals whose next supplier close passed more than the grace ago: a lost {@code RENTAL_CLOSE} timer. */
  static final String OVERDUE_CLOSES = """
      SELECT id FROM rentals
       WHERE upstream_state = 'CLOSING' AND upstream_next_at < now() - $1::bigint * interval '1 millisecond'
       ORDER BY id LIMIT $2""";

  /** Every open rental's end after an id, to re-seed Redis. */
  static final String LIVE_ENDS = """
      SELECT id, ceil(extract(epoch FROM ends_at) * 1000)::bigint AS due_ms FROM rentals
       WHERE state IN """ + OPEN_STATES + """
         AND id > $1
       ORDER BY id LIMIT $2""";

  /** Every closing rental's next supplier close after an id, to re-seed Redis. */
  static final String LIVE_CLOSES = """
      SELECT id, ceil(extract(epoch FROM upstream_next_at) * 1000)::bigint AS due_ms FROM rentals
       WHERE upstream_state = 'CLOSING' AND upstream_next_at IS NOT NULL AND id > $1
       ORDER BY id LIMIT $2""";
}
