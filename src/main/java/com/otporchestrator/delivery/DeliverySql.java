package com.otporchestrator.delivery;

/**
 * Statements of the delivery rates. Lock order: the watermark row, then delivery_hours rows, then delivery_rates rows;
 * no statement here touches an order, a wallet or the ledger.
 */
final class DeliverySql {
  private DeliverySql() {}

  /**
   * Which closed orders count, and how: a code delivered (FINISHED) is a delivery; an order that ended without one
   * (EXPIRED, or CANCELLED by the supplier or an outage) is not. Customer cancels are left out: the customer ended the
   * wait before the window did, so they say nothing of the supplier. FAILED orders never held a number.
   */
  static final String COUNTED = """
      a.state IN ('FINISHED', 'EXPIRED', 'CANCELLED')
         AND NOT (a.state = 'CANCELLED' AND a.close_reason = 'cancelled by the customer')""";

  /**
   * Folds the orders closed after the watermark and at least $1 ms ago (a transaction still open then cannot commit a
   * close older than that; the lag covers it) into their hourly buckets, at most an hour of closes per run (from the
   * first close after the watermark, so quiet hours are skipped in one step), and moves the watermark. Answers how many orders were folded, and
   * whether the watermark reached now minus the lag.
   */
  static final String FOLD = """
      WITH d AS (
        SELECT closed_until FROM delivery_watermark WHERE id = 1 FOR UPDATE
      ), w AS (
        SELECT d.closed_until AS since,
               LEAST(now() - $1::bigint * interval '1 millisecond',
                     COALESCE((SELECT min(a.closed_at) FROM activations a WHERE a.closed_at > d.closed_until), now())
                       + interval '1 hour') AS until
          FROM d
      ), closes AS (
        SELECT a.service, a.country, a.provider_id, date_trunc('hour', a.closed_at) AS hour,
               count(*) FILTER (WHERE a.state = 'FINISHED') AS delivered, count(*) AS ended
          FROM activations a, w
         WHERE a.closed_at > w.since AND a.closed_at <= w.until
           AND """ + " " + COUNTED + """

         GROUP BY 1, 2, 3, 4
      ), folded AS (
        INSERT INTO delivery_hours AS h (service, country, provider_id, hour, delivered, ended)
        SELECT service, country, provider_id, hour, delivered, ended FROM closes
        ON CONFLICT (service, country, provider_id, hour)
        DO UPDATE SET delivered = h.delivered + EXCLUDED.delivered, ended = h.ended + EXCLUDED.ended
      ), moved AS (
        UPDATE delivery_watermark d SET closed_until = w.until FROM w WHERE d.id = 1 AND w.until > w.since
      )
      SELECT (SELECT COALESCE(sum(ended), 0) FROM closes)::bigint AS folded,
             (SELECT until >= now() - $1::bigint * interval '1 millisecond' FROM w) AS caught_up""";

  /**
   * Re-sums the buckets of the last $1 hours into one row per (service, country, supplier), drops the buckets older
   * than the window and the rates nothing backs any more. Cheap: the buckets are at most 24 x window-days rows per key.
   */
  static final String RESUM = """
      WITH pruned AS (
        DELETE FROM delivery_hours WHERE hour < date_trunc('hour', now()) - $1::int * interval '1 hour'
      ), totals AS (
        SELECT service, country, provider_id, sum(delivered)::bigint AS delivered, sum(ended)::bigint AS ended
          FROM delivery_hours WHERE hour >= date_trunc('hour', now()) - $1::int * interval '1 hour'
         GROUP BY 1, 2, 3
      ), saved AS (
        INSERT INTO delivery_rates AS r (service, country, provider_id, delivered, ended, updated_at)
        SELECT service, country, provider_id, delivered, ended, now() FROM totals
        ON CONFLICT (service, country, provider_id)
        DO UPDATE SET delivered = EXCLUDED.delivered, ended = EXCLUDED.ended, updated_at = now()
      )
      DELETE FROM delivery_rates r
       WHERE NOT EXISTS (SELECT 1 FROM totals t
                          WHERE t.service = r.service AND t.country = r.country AND t.provider_id = r.provider_id)""";

  /** Customers' view: per (service, country), summed over suppliers. */
  static final String BY_PAIR = """
      SELECT service, country, sum(delivered)::bigint AS delivered, sum(ended)::bigint AS ended
        FROM delivery_rates
       WHERE ($1::text IS NULL OR service = $1) AND ($2::int IS NULL OR country = $2)
       GROUP BY service, country ORDER BY service, country""";

  /** Operators' view: per (service, country, supplier). */
  static final String BY_SUPPLIER = """
      SELECT service, country, provider_id, delivered, ended, updated_at
        FROM delivery_rates
       WHERE ($1::text IS NULL OR service = $1) AND ($2::int IS NULL OR country = $2)
         AND ($3::text IS NULL OR provider_id = $3)
       ORDER BY service, country, provider_id""";
}
