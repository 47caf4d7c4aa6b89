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
   * Files a payout request under the policy the service judged it by ($4, $5), still in force: only for a live
   * account, within the balance, and one open request per account (partial unique index). A payout that closes the
   * account ($6) is of the whole balance, with no open order holding money. $2 null: the whole balance. $7: the
   * policy's minimum (null: none). Answers nothing when any of these fails.
   */
  static final String REQUEST_PAYOUT = """
      INSERT INTO payout_requests (account_id, amount, destination, policy_id, policy_version, closes_account)
      SELECT $1, COALESCE($2::bigint, w.balance), $3, p.policy_id, p.version, $6
        FROM policy_current p
        JOIN accounts a ON a.id = $1 AND a.status NOT IN ('terminated', 'closed')
        JOIN wallets w ON w.account_id = $1 AND w.balance >= COALESCE($2::bigint, w.balance) AND w.balance > 0
       WHERE p.policy_id = $4 AND p.version = $5
         AND (NOT $6 OR (w.balance = COALESCE($2::bigint, w.balance) AND w.held = 0))
         AND ($7::bigint IS NULL OR COALESCE($2::bigint, w.balance) >= $7::bigint)
      ON CONFLICT DO NOTHING
      RETURNING\s""" + WalletOpsSql.PAYOUT_COLUMNS;

  /** What stopped a payout request, to explain a refusal precisely. */
  static final String PAYOUT_OBSTACLES = """
      SELECT a.status, w.balance, w.held, p.policy_id, p.version,
             EXISTS (SELECT 1 FROM payout_requests r WHERE r.account_id = $1 AND r.state = 'REQUESTED') AS open_request
        FROM accounts a JOIN wallets w ON w.account_id = a.id, policy_current p
       WHERE a.id = $1""";

  static final String PAYOUT_COLUMNS = """
      id, account_id, amount, destination, state, policy_id, policy_version, requested_at, decided_at, decided_by,
      decision_note, closes_account""";

  /**
   * Approves an open request and pays it out of the balance, in one statement. A payout that closes the account (the
   * policy's "leave the platform") closes it in the same statement, only while the balance is exactly the amount and no
   * open order holds money; otherwise nothing changes. Lock order: the request, the account, the wallet.
   */
  static final String APPROVE_PAYOUT = """
      WITH req AS (
        UPDATE payout_requests r SET state = 'APPROVED', decided_at = now(), decided_by = $2, decision_note = $3
         WHERE r.id = $1 AND r.state = 'REQUESTED'
           AND (NOT r.closes_account OR EXISTS (SELECT 1 FROM wallets w
                 WHERE w.account_id = r.account_id AND w.balance = r.amount AND w.held = 0))
        RETURNING""" + " " + WalletOpsSql.PAYOUT_COLUMNS + """
      ), closed AS (
        UPDATE accounts a SET status = 'closed', closed_at = now(), suspended_until = NULL
          FROM req WHERE a.id = req.account_id AND req.closes_account AND a.status NOT IN ('terminated', 'closed')
        RETURNING a.id
      ), to_pay_out AS (
        SELECT account_id, amount, 'payout:' || id AS reference FROM req
      )""" + Postings.PAYOUT + """

      SELECT req.*, (SELECT count(*) FROM closed) AS account_closed FROM req""";

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
   * Terminates an account for a violation ($2, by $3, recorded in the decision log by the same statement) and forfeits its
   * whole balance in the same statement ({@link Postings#FORFEIT}, which also flags the wallet). Money held by its open orders is not forfeited here: those orders still resolve, and
   * each credit they bring (a void, a claim refund, a service credit...) is forfeited by the statement that credits it.
   */
  static final String TERMINATE = """
      WITH acct AS (
        UPDATE accounts SET status = 'terminated', suspended_until = NULL, terminated_at = now(),
                            termination_reason = $3 || ': ' || $2
         WHERE id = $1 AND status <> 'terminated'
        RETURNING id
      ), decided AS (
        INSERT INTO admin_decisions (actor, action, subject, note) SELECT $3, 'account.terminate', 'account:' || id, $2 FROM acct
      ), to_forfeit AS (
        SELECT id AS account_id, 'forfeit:' || id || ':termination' AS reference FROM acct
      )""" + Postings.FORFEIT + """

      SELECT (SELECT count(*) FROM acct) AS terminated,
             COALESCE((SELECT -balance_delta FROM forfeit_entries), 0) AS forfeited""";

  /**
   * Grants a service credit on closed orders (activations or rentals; a rental's cap is its own price, extensions not
   * included): one ledger row per order, capped at the order's price, at most one per
   * order ever (the (order_id, kind) unique index: an order credited before is skipped, not credited twice): the
   * ledger's {@link Postings#SERVICE_CREDIT}, which locks the wallets in account order before any is updated.
   * Under a declared outage ($6, confirmed), only the orders of its scope whose life overlaps its time range (to its end,
   * or to now while it has none) qualify; an order whose policy version gives credits for outages only needs one.
   */
  static final String GRANT_CREDIT = """
      WITH grant_row AS (
        INSERT INTO service_credits (reason, outage_ref, granted_by, outage_id) VALUES ($1, $2, $3, $6) RETURNING id
      ), req AS (
        SELECT r.order_id, r.amount, r.ord FROM unnest($4::bigint[], $5::bigint[]) WITH ORDINALITY AS r(order_id, amount, ord)
      ), outage AS (
        SELECT provider_id, service, country, platform_wide, starts_at, COALESCE(ends_at, now()) AS until
          FROM outages WHERE id = $6 AND state IN ('REFUNDING', 'DONE')
      ), orders AS (
        SELECT id, account_id, price, closed_at, provider_id, service, country, created_at AS began, policy_id, policy_version
          FROM activations a WHERE id = ANY($4)
           AND NOT EXISTS (SELECT 1 FROM held_refunds h WHERE h.order_id = a.id AND h.decision IS NULL)
        UNION ALL
        SELECT id, account_id, price, closed_at, provider_id, service, country, COALESCE(starts_at, created_at), policy_id,
               policy_version
          FROM rentals WHERE id = ANY($4)
      ), judged AS (
        SELECT a.*, COALESCE(p.service_credits_outages_only, false) AS outages_only,
               EXISTS (SELECT 1 FROM outage o
                        WHERE a.began < o.until AND a.closed_at > o.starts_at
                          AND (o.platform_wide OR ((o.provider_id IS NULL OR a.provider_id = o.provider_id)
                               AND (o.service IS NULL OR a.service IS NULL OR a.service = o.service)
                               AND (o.country IS NULL OR a.country = o.country)))) AS affected
          FROM orders a LEFT JOIN refund_policies p ON p.policy_id = a.policy_id AND p.version = a.policy_version
      ), eligible AS (
        SELECT a.id AS order_id, a.account_id, LEAST(r.amount, a.price) AS amount, r.amount > a.price AS capped
          FROM req r JOIN judged a ON a.id = r.order_id
         WHERE a.closed_at IS NOT NULL AND CASE WHEN $6::bigint IS NULL THEN NOT a.outages_only ELSE a.affected END
      ), to_credit AS (
        SELECT e.account_id, e.order_id, e.amount, 'credit:' || g.id AS reference FROM eligible e, grant_row g
      )""" + Postings.SERVICE_CREDIT + """

      SELECT (SELECT id FROM grant_row) AS credit_id, r.order_id, e.balance_delta AS credited, el.capped,
             a.id IS NOT NULL AS order_exists, a.closed_at IS NOT NULL AS order_closed, a.affected, a.outages_only
        FROM req r
        LEFT JOIN credit_entries e ON e.order_id = r.order_id
        LEFT JOIN eligible el ON el.order_id = r.order_id
        LEFT JOIN judged a ON a.id = r.order_id
       ORDER BY r.ord""";

  /** The state of outage $1, to refuse a credit under an outage that does not exist or was never confirmed. */
  static final String OUTAGE_STATE = "SELECT state FROM outages WHERE id = $1";

  /**
   * An account's ledger with its orders, newest first, filtered by kinds, time range and order (a rental's id also
   * selects its extensions' entries); $6 is the cursor. An
   * entry of a rental, or of one of its extensions (an order of its own), shows the rental's service ('full': any),
   * country and state, and the period that order pays for: the rental's first hours, or the hours an extension added.
   */
  static final String HISTORY = """
      SELECT e.id, e.order_id, e.kind, e.balance_delta, e.held_delta, e.reference, e.created_at,
             COALESCE(a.service, CASE WHEN r.id IS NOT NULL THEN COALESCE(r.service, 'full') END) AS service,
             COALESCE(a.country, r.country) AS country, COALESCE(a.state, r.state) AS order_state,
             CASE WHEN a.id IS NOT NULL THEN 'activation' WHEN x.id IS NOT NULL THEN 'rental_extension'
                  WHEN r.id IS NOT NULL THEN 'rental' END AS order_kind,
             r.id AS rental_id,
             CASE WHEN x.id IS NOT NULL THEN x.ends_at - x.hours * interval '1 hour' ELSE r.starts_at END AS period_start,
             CASE WHEN x.id IS NOT NULL THEN x.ends_at
                  ELSE r.starts_at + (r.hours - COALESCE((SELECT sum(y.hours) FROM rental_extensions y
                                                           WHERE y.rental_id = r.id), 0)) * interval '1 hour' END AS period_end
        FROM ledger_entries e LEFT JOIN activations a ON a.id = e.order_id
        LEFT JOIN rental_extensions x ON x.id = e.order_id
        LEFT JOIN rentals r ON r.id = COALESCE(x.rental_id, e.order_id)
       WHERE e.account_id = $1
         AND ($2::text[] IS NULL OR e.kind = ANY($2))
         AND ($3::timestamptz IS NULL OR e.created_at >= $3)
         AND ($4::timestamptz IS NULL OR e.created_at < $4)
         AND ($5::bigint IS NULL OR e.order_id = $5 OR x.rental_id = $5)
         AND ($6::bigint IS NULL OR e.id < $6)
       ORDER BY e.id DESC LIMIT $7""";
}
