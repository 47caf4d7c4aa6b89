package com.otporchestrator.ledger;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

/**
 * The money invariants, each counted as violations; all zero means the books balance: every wallet equals the sum of
 * its ledger entries, held money equals the prices of the open orders (and of refunds held for review), every order
 * has one hold and the one resolution its state calls for, credits follow a resolution, a refund follows an approved
 * claim and an adjustment an approved account claim, a terminated account holds no balance and each of its forfeits
 * matches the credit it forfeited, no entry names an unknown order, and money is conserved (adjustments and the kept
 * part of a partial void counted). Run after every concurrency test and once a minute
 * in every process (exposed as gauges and on {@code GET /admin/v1/invariants}).
 *
 * <p>Besides, the same query counts the open orders more than five minutes past their deadline. That is not a money
 * violation: their price is rightly held until they resolve. It says the timers are behind: briefly after a
 * restart that followed downtime (the sweep then resolves them), lastingly when the timer engine is stuck.
 */
public final class Invariants {
  /** The count that is reported beside the invariants, never as a violation of them. */
  static final String OVERDUE = "open_orders_overdue";

  private static final String CHECK = """
      WITH sums AS (
        SELECT account_id, sum(balance_delta) AS balance, sum(held_delta) AS held
          FROM ledger_entries GROUP BY account_id
      ), per_order AS (
        SELECT order_id,
               count(*) FILTER (WHERE kind = 'hold') AS holds,
               count(*) FILTER (WHERE kind = 'void') AS voids,
               count(*) FILTER (WHERE kind = 'capture') AS captures,
               count(*) FILTER (WHERE kind = 'partial_void') AS partials
          FROM ledger_entries WHERE order_id IS NOT NULL GROUP BY order_id
      ), rental_orders AS (
        -- a rental and each of its extensions are orders of their own, resolved together (V12)
        SELECT r.id, r.account_id, r.price, r.state, r.closed_at FROM rentals r
        UNION ALL
        SELECT e.id, r.account_id, e.price, r.state, r.closed_at FROM rental_extensions e JOIN rentals r ON r.id = e.rental_id
      ), open_held AS (
        -- what each account's open orders and pending held refunds hold, summed in one pass over them (a sum per
        -- wallet in a correlated subquery made the planner rescan every open order once per wallet: 10 s of 12)
        SELECT account_id, sum(price) AS held FROM (
          SELECT account_id, price FROM activations
           WHERE state IN ('ALLOCATING', 'WAITING_CODE', 'CODE_RECEIVED', 'WAITING_RETRY')
          UNION ALL
          SELECT account_id, price FROM held_refunds WHERE decision IS NULL
          UNION ALL
          SELECT account_id, price FROM rental_orders WHERE state IN ('ALLOCATING', 'ACTIVE')
        ) open_prices GROUP BY account_id
      )
      SELECT
        (SELECT count(*) FROM wallets w LEFT JOIN sums s ON s.account_id = w.account_id
          WHERE w.balance <> COALESCE(s.balance, 0) OR w.held <> COALESCE(s.held, 0)) AS wallet_differs_from_ledger,
        (SELECT count(*) FROM wallets w LEFT JOIN open_held o ON o.account_id = w.account_id
          WHERE w.held <> COALESCE(o.held, 0)) AS held_differs_from_open_orders,
        (SELECT count(*) FROM activations a LEFT JOIN per_order p ON p.order_id = a.id
           LEFT JOIN held_refunds h ON h.order_id = a.id
          WHERE COALESCE(p.holds, 0) <> 1
             OR (a.state = 'FINISHED' AND (COALESCE(p.captures, 0) <> 1 OR COALESCE(p.voids, 0) <> 0))
             OR (h.order_id IS NOT NULL AND a.state NOT IN ('CANCELLED', 'EXPIRED'))
             OR (a.state IN ('CANCELLED', 'EXPIRED', 'FAILED') AND CASE
                   WHEN h.order_id IS NOT NULL AND h.decision IS NULL THEN COALESCE(p.voids, 0) + COALESCE(p.captures, 0) <> 0
                   WHEN h.decision = 'denied' THEN COALESCE(p.captures, 0) <> 1 OR COALESCE(p.voids, 0) <> 0
                   ELSE COALESCE(p.voids, 0) <> 1 OR COALESCE(p.captures, 0) <> 0 END)
             OR (a.closed_at IS NULL AND COALESCE(p.voids, 0) + COALESCE(p.captures, 0) <> 0)
             OR COALESCE(p.partials, 0) <> 0)
        + (SELECT count(*) FROM rental_orders o LEFT JOIN per_order p ON p.order_id = o.id
          WHERE COALESCE(p.holds, 0) <> 1
             OR (o.state IN ('FINISHED', 'ENDED')
                 AND (COALESCE(p.captures, 0) <> 1 OR COALESCE(p.voids, 0) + COALESCE(p.partials, 0) <> 0))
             OR (o.state IN ('CANCELLED', 'FAILED')
                 AND (COALESCE(p.voids, 0) <> 1 OR COALESCE(p.captures, 0) + COALESCE(p.partials, 0) <> 0))
             -- refunded by an automatic event: each order one resolution of the policy's rule (void, partial or capture)
             OR (o.state = 'REFUNDED' AND COALESCE(p.voids, 0) + COALESCE(p.captures, 0) + COALESCE(p.partials, 0) <> 1)
             OR (o.closed_at IS NULL
                 AND COALESCE(p.voids, 0) + COALESCE(p.captures, 0) + COALESCE(p.partials, 0) <> 0)) AS orders_resolved_wrongly,
        (SELECT count(*) FROM ledger_entries e
          WHERE e.kind IN ('refund', 'service_credit') AND NOT EXISTS (SELECT 1 FROM ledger_entries c
            WHERE c.order_id = e.order_id AND c.kind IN ('capture', 'void', 'partial_void'))) AS credit_before_resolution,
        (SELECT count(*) FROM ledger_entries e
          WHERE e.kind = 'refund' AND NOT EXISTS (SELECT 1 FROM claims c
            WHERE e.reference = 'claim:' || c.id AND c.order_id = e.order_id AND c.state = 'APPROVED'
              AND c.remedy IN ('refund', 'replacement') AND c.refund_amount = e.balance_delta)) AS refund_without_approved_claim,
        (SELECT count(*) FROM ledger_entries e
          WHERE e.kind = 'adjustment' AND NOT EXISTS (SELECT 1 FROM claims c
            WHERE e.reference = 'claim:' || c.id AND c.account_id = e.account_id AND c.state = 'APPROVED'
              AND c.remedy = 'adjustment' AND c.adjustment_amount = e.balance_delta)) AS adjustment_without_claim,
        (SELECT count(*) FROM wallets WHERE forfeits_credits AND balance <> 0) AS terminated_account_holds_balance,
        (SELECT count(*) FROM ledger_entries f
          WHERE f.kind = 'forfeit' AND f.reference LIKE 'forfeit:entry:%' AND NOT EXISTS (SELECT 1 FROM ledger_entries c
            WHERE c.id = substr(f.reference, 15)::bigint AND c.account_id = f.account_id
              AND c.balance_delta = -f.balance_delta)) AS forfeit_without_its_credit,
        (SELECT count(*) FROM ledger_entries e
          WHERE e.order_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM activations a WHERE a.id = e.order_id)
            AND NOT EXISTS (SELECT 1 FROM rental_orders o WHERE o.id = e.order_id)) AS entries_without_order,
        (SELECT COALESCE(sum(balance_delta) FILTER (WHERE kind IN ('deposit', 'refund', 'service_credit', 'payout', 'forfeit',
                                                                   'adjustment')), 0)
              + COALESCE(sum(held_delta) FILTER (WHERE kind = 'capture'), 0)
              + COALESCE(sum(balance_delta + held_delta) FILTER (WHERE kind = 'partial_void'), 0) FROM ledger_entries)
          - (SELECT COALESCE(sum(balance + held), 0) FROM wallets) AS money_not_conserved,
        (SELECT count(*) FROM activations
          WHERE state IN ('ALLOCATING', 'WAITING_CODE', 'CODE_RECEIVED', 'WAITING_RETRY')
            AND expires_at < now() - interval '5 minutes')
        + (SELECT count(*) FROM rentals WHERE state IN ('ALLOCATING', 'ACTIVE')
            AND ends_at < now() - interval '5 minutes') AS\s""" + OVERDUE;

  /**
   * The check runs in one backend, without parallel workers: it scans the whole ledger several times, and with
   * PostgreSQL's default of two workers per scan it took every core of a two-core machine for its second or so, so
   * that the refunds due meanwhile waited (the steady benchmark's lateness spikes once a minute). A background check
   * may take longer; it must not take the machine.
   */
  private static final String ONE_CORE = "SET LOCAL max_parallel_workers_per_gather = 0";

  private final Pool pool;

  public Invariants(Pool pool) {
    this.pool = pool;
  }

  /**
   * Answers {@code ok} (no invariant violated), {@code violations} (the count of each invariant) and
   * {@code openOrdersOverdue} (see the class comment: reported, never a violation).
   */
  public Future<JsonObject> check() {
    return pool.withTransaction(conn -> conn.query(ONE_CORE).execute().compose(set -> conn.query(CHECK).execute())).map(rows -> {
      Row row = rows.iterator().next();
      JsonObject violations = new JsonObject();
      for (int i = 0; i < row.size(); i++) {
        if (!row.getColumnName(i).equals(OVERDUE)) violations.put(row.getColumnName(i), row.getLong(i));
      }
      boolean ok = violations.stream().allMatch(e -> ((Number) e.getValue()).longValue() == 0);
      return new JsonObject().put("ok", ok).put("violations", violations).put("openOrdersOverdue", row.getLong(OVERDUE));
    });
  }
}
