package com.otporchestrator.wallet;

import com.otporchestrator.ledger.Postings;

/**
 * Statements for payouts, terminations and service credits. As everywhere money moves, each is one statement: a guarded
 * state transition with the ledger's posting fragment ({@link Postings}) appended; the wallet's CHECK (balance >= 0)
 * refuses an outflow the balance no longer covers, and the ledger's unique indexes refuse a second credit for an order.
 */
final class WalletOpsSql {
  private WalletOpsSql() {}

  /**
   * Files a payout request under the policy in force: only for a live account, at or above the policy's minimum, within
   * the balance, and one open request per account (partial unique index). Answers nothing when any of these fails.
   */
  static final String REQUEST_PAYOUT = """
      INSERT INTO payout_requests (account_id, amount, destination, policy_id, policy_version)
      SELECT $1, $2, $3, p.policy_id, p.version
        FROM policy_current p
        JOIN refund_policies rp ON rp.policy_id = p.policy_id AND rp.version = p.version
        JOIN accounts a ON a.id = $1 AND a.status <> 'terminated'
        JOIN wallets w ON w.account_id = $1 AND w.balance >= $2
       WHERE $2 >= COALESCE(rp.payout_minimum, 1)
      ON CONFLICT DO NOTHING
      RETURNING\s""" + WalletOpsSql.PAYOUT_COLUMNS;

  /** What stopped a payout request, to explain a refusal precisely. */
  static final String PAYOUT_OBSTACLES = """
      SELECT a.status, w.balance, rp.payout_minimum,
             EXISTS (SELECT 1 FROM payout_requests r WHERE r.account_id = $1 AND r.state = 'REQUESTED') AS open_request
        FROM accounts a JOIN wallets w ON w.account_id = a.id, policy_current p
        JOIN refund_policies rp ON rp.policy_id = p.policy_id AND rp.version = p.version
       WHERE a.id = $1""";

  static final String PAYOUT_COLUMNS = """
      id, account_id, amount, destination, state, policy_id, policy_version, requested_at, decided_at, decided_by,
      decision_note""";

  /** Approves an open request and pays it out of the balance, in one statement. */
  static final String APPROVE_PAYOUT = """
      WITH req AS (
        UPDATE payout_requests SET state = 'APPROVED', decided_at = now(), decided_by = $2, decision_note = $3
         WHERE id = $1 AND state = 'REQUESTED'
        RETURNING""" + " " + WalletOpsSql.PAYOUT_COLUMNS + """
      ), to_pay_out AS (
        SELECT account_id, amount, 'payout:' || id AS reference FROM req
      )""" + Postings.PAYOUT + """

      SELECT * FROM req""";

  static final String REJECT_PAYOUT = """
      UPDATE payout_requests SET state = 'REJECTED', decided_at = now(), decided_by = $2, decision_note = $3
       WHERE id = $1 AND state = 'REQUESTED'
      RETURNING""" + " " + PAYOUT_COLUMNS;

  static final String PAYOUT_BY_ID = "SELECT " + PAYOUT_COLUMNS + " FROM payout_requests WHERE id = $1";

  static final String PAYOUTS = "SELECT " + PAYOUT_COLUMNS + """
       FROM payout_requests
      WHERE ($1::bigint IS NULL OR account_id = $1) AND ($2::text IS NULL OR state = $2)
        AND ($3::bigint IS NULL OR id < $3)
      ORDER BY id DESC LIMIT $4""";

  /**
   * Terminates an account for a violation and forfeits its whole balance in the same statement. Money held by its open
   * orders is not forfeited here: those orders still resolve (a refund lands in the balance and is forfeited by
   * {@link #FORFEIT_REMAINDER}).
   */
  static final String TERMINATE = """
      WITH acct AS (
        UPDATE accounts SET status = 'terminated', suspended_until = NULL, terminated_at = now(), termination_reason = $2
         WHERE id = $1 AND status <> 'terminated'
        RETURNING id
      ), to_forfeit AS (
        SELECT id AS account_id, 'forfeit:' || id || ':termination' AS reference FROM acct
      )""" + Postings.FORFEIT + """

      SELECT (SELECT count(*) FROM acct) AS terminated,
             COALESCE((SELECT -balance_delta FROM forfeit_entries), 0) AS forfeited""";

  /** Forfeits what reached a terminated account's balance after its termination (refunds of its last orders). */
  static final String FORFEIT_REMAINDER = """
      WITH to_forfeit AS (
        SELECT a.id AS account_id,
               'forfeit:' || a.id || ':' || (SELECT count(*) FROM ledger_entries l WHERE l.account_id = a.id AND l.kind = 'forfeit')
                 AS reference
          FROM accounts a WHERE a.id = $1 AND a.status = 'terminated'
      )""" + Postings.FORFEIT + """

      SELECT (SELECT count(*) FROM forfeit_locks) AS terminated,
             COALESCE((SELECT -balance_delta FROM forfeit_entries), 0) AS forfeited""";

  /**
   * Grants a service credit on closed orders (activations or rentals; a rental's cap is its own price, extensions not
   * included): one ledger row per order, capped at the order's price, at most one per
   * order ever (the (order_id, kind) unique index: an order credited before is skipped, not credited twice): the
   * ledger's {@link Postings#SERVICE_CREDIT}, which locks the wallets in account order before any is updated.
   */
  static final String GRANT_CREDIT = """
      WITH grant_row AS (
        INSERT INTO service_credits (reason, outage_ref, granted_by) VALUES ($1, $2, $3) RETURNING id
      ), req AS (
        SELECT r.order_id, r.amount, r.ord FROM unnest($4::bigint[], $5::bigint[]) WITH ORDINALITY AS r(order_id, amount, ord)
      ), orders AS (
        SELECT id, account_id, price, closed_at FROM activations a WHERE id = ANY($4)
           AND NOT EXISTS (SELECT 1 FROM held_refunds h WHERE h.order_id = a.id AND h.decision IS NULL)
        UNION ALL
        SELECT id, account_id, price, closed_at FROM rentals WHERE id = ANY($4)
      ), eligible AS (
        SELECT a.id AS order_id, a.account_id, LEAST(r.amount, a.price) AS amount, r.amount > a.price AS capped
          FROM req r JOIN orders a ON a.id = r.order_id
         WHERE a.closed_at IS NOT NULL
      ), to_credit AS (
        SELECT e.account_id, e.order_id, e.amount, 'credit:' || g.id AS reference FROM eligible e, grant_row g
      )""" + Postings.SERVICE_CREDIT + """

      SELECT (SELECT id FROM grant_row) AS credit_id, r.order_id, e.balance_delta AS credited, el.capped,
             a.id IS NOT NULL AS order_exists, a.closed_at IS NOT NULL AS order_closed
        FROM req r
        LEFT JOIN credit_entries e ON e.order_id = r.order_id
        LEFT JOIN eligible el ON el.order_id = r.order_id
        LEFT JOIN orders a ON a.id = r.order_id
       ORDER BY r.ord""";

  /**
   * An account's ledger with its orders, newest first, filtered by kinds, time range and order; $6 is the cursor.
   */
  static final String HISTORY = """
      SELECT e.id, e.order_id, e.kind, e.balance_delta, e.held_delta, e.reference, e.created_at,
             a.service, a.country, a.state AS order_state
        FROM ledger_entries e LEFT JOIN activations a ON a.id = e.order_id
       WHERE e.account_id = $1
         AND ($2::text[] IS NULL OR e.kind = ANY($2))
         AND ($3::timestamptz IS NULL OR e.created_at >= $3)
         AND ($4::timestamptz IS NULL OR e.created_at < $4)
         AND ($5::bigint IS NULL OR e.order_id = $5)
         AND ($6::bigint IS NULL OR e.id < $6)
       ORDER BY e.id DESC LIMIT $7""";
}
