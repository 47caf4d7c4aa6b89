package com.otporchestrator.ledger;

/**
 * The only SQL in the service that writes {@code ledger_entries} or {@code wallets}: one posting fragment per kind of
 * money move. A feature never writes money itself; it appends a fragment to its own guarded state transition, so the
 * transition and its money stay one statement (one round trip, one snapshot, all or nothing).
 *
 * <p><b>How a fragment is used.</b> Each fragment continues a {@code WITH} list: it starts with a comma and defines
 * CTEs whose names start with the move ({@code hold_*}, {@code resolve_*}, ...). It reads one input CTE that the feature
 * defines just before it, named {@code to_<move>} with the columns stated below, and the feature ends the statement with
 * its own final {@code SELECT}, reading the fragment's output CTEs where it needs to know what moved. PostgreSQL runs
 * every data-modifying CTE exactly once whether or not the final SELECT reads it.
 *
 * <p><b>Guards.</b> The feature's transition (an {@code UPDATE ... WHERE state = ...} or an insert) picks at most one
 * winner and feeds the input CTE only with what it won; the ledger's unique indexes are the second guard: one hold and at
 * most one resolution (void or capture) per order, one entry per (order, kind), a deposit once per reference, a payout
 * or forfeit once per reference. The wallet's {@code CHECK (balance >= 0)} refuses any outflow the balance no longer
 * covers.
 *
 * <p><b>Lock order</b>, the same in every statement, so that statements may wait for each other but never in a
 * circle (no deadlock):
 * <ol>
 *   <li>the feature's own rows (orders by ascending id, a claim, a payout request, a held refund, an account): a batch
 *   locks its orders in a statement of its own first, inside its transaction (activation expiries, outage refunds,
 *   rental ends), a single order is locked by its guarded {@code UPDATE};</li>
 *   <li>then wallet rows, by ascending account id, each fragment taking them itself ({@code <name>_locks} in every
 *   fragment that credits or debits, {@code hold_locks}, {@code credit_locks}, {@code forfeit_locks}).</li>
 * </ol>
 * Ledger entries are only ever inserted; their unique indexes are the only thing they lock, and a key is only ever
 * contested by a statement that locks the same order row or the same wallet first (or, for a deposit, payout or
 * adjustment reference, by one that has nothing locked yet), so where in the statement they are written adds no circle.
 * Most fragments write their entries first and lock the wallets last, after every entry is written (the sum per
 * wallet reads them all), so the wallet rows, which every batch over the same accounts needs, are held only for
 * the wallet updates and the commit. A purchase locks its wallets first ({@link #HOLD}): it must read the balances to
 * choose the orders they cover. Wallet updates are pre-aggregated per account, so a statement updates a wallet row
 * once, however many of its orders it moves.
 *
 * <p><b>Credits to a terminated account are forfeited in the same statement.</b> {@link #FORFEIT} (a termination) flags
 * the wallet ({@code wallets.forfeits_credits}); from then on every fragment that credits a balance writes, beside each
 * credit entry to a flagged wallet, a {@code forfeit} entry of the same amount (reference {@code forfeit:entry:<id>} of
 * the credit) and leaves the balance at 0. The flag is read from the wallet row the statement updates, after its lock,
 * so a credit racing a termination is forfeited whichever commits first: the termination forfeits the balance it
 * locks, a later credit sees the flag.
 *
 * <p><b>Named variants.</b> {@link #RESOLVE} and {@link #RESOLVE_HOLDING_REFUNDS} differ on purpose: activations are
 * subject to the abuse consequence {@code hold_refunds} (their automatic refunds wait for an admin), rentals are not.
 * {@link #REFUND} and {@link #SERVICE_CREDIT} differ on purpose too: a second claim refund of an order fails its
 * statement (the claim's approval rolls back with it), a second service credit is skipped and reported.
 */
public final class Postings {
  private Postings() {}

  /**
   * A new account's wallet, empty. Reads {@code to_open (account_id)}.
   */
  public static final String OPEN_WALLET = """
      , opened_wallets AS (
        INSERT INTO wallets (account_id) SELECT account_id FROM to_open
        RETURNING account_id
      )""";

  /**
   * Purchase: holds the price of new orders (balance -p, held +p, one {@code hold} entry per order), for one wallet or
   * many. Reads {@code to_hold (account_id, order_id, price, ord)}: each wallet's orders are taken in {@code ord} order
   * while its balance covers them (the longest affordable prefix per wallet); the rest are not held. Defines
   * {@code hold_taken (account_id, order_id, price)}, the orders held (the feature creates only these), and
   * {@code hold_debits (account_id)}, the wallets debited. The order ids come from {@code order_ids} ({@code nextval} in
   * the input CTE, which PostgreSQL then evaluates once).
   *
   * <p>The wallets are locked first, in account order ({@code hold_locks}), and the prefix is chosen from the balance
   * as locked, which is the wallet's latest committed version: nobody can change it until the statement commits. The
   * debit is computed from that locked balance too, never from the version the statement's snapshot saw. PostgreSQL
   * evaluates an UPDATE's WHERE clause and the table's CHECK constraints on the snapshot's version of a row before it
   * finds that the row was updated since (and only then re-evaluates on the latest version); a wallet credited after the
   * snapshot (a refund racing the purchase) has a snapshot balance below the locked one, so a debit written as
   * {@code w.balance - total} failed {@code wallets_balance_check} and a guard {@code w.balance >= total} skipped a
   * purchase the balance covered. Neither happens here.
   */
  public static final String HOLD = """
      , hold_locks AS (
        SELECT account_id, balance FROM wallets WHERE account_id IN (SELECT account_id FROM to_hold)
         ORDER BY account_id FOR UPDATE
      ), hold_taken AS (
        SELECT h.account_id, h.order_id, h.price
          FROM (SELECT account_id, order_id, price,
                       sum(price) OVER (PARTITION BY account_id ORDER BY ord ROWS UNBOUNDED PRECEDING) AS running
                  FROM to_hold) h
          JOIN hold_locks l ON l.account_id = h.account_id
         WHERE h.running <= l.balance
      ), hold_debits AS (
        UPDATE wallets w SET balance = t.locked_balance - t.total, held = w.held + t.total
          FROM (SELECT h.account_id, sum(h.price)::bigint AS total, min(l.balance) AS locked_balance
                  FROM hold_taken h JOIN hold_locks l ON l.account_id = h.account_id GROUP BY h.account_id) t
         WHERE w.account_id = t.account_id
        RETURNING w.account_id
      ), hold_entries AS (
        INSERT INTO ledger_entries (account_id, order_id, kind, balance_delta, held_delta)
        SELECT h.account_id, h.order_id, 'hold', -h.price, h.price
          FROM hold_taken h JOIN hold_debits d ON d.account_id = h.account_id
      )""";

  /**
   * Resolves the holds of orders that just closed: a {@code capture} (held -p: the price becomes revenue) or a
   * {@code void} (held -p, balance +p: the price goes back). Reads
   * {@code to_resolve (order_id, account_id, price, capture boolean)}, one row per ledger order (a rental and each of
   * its extensions are orders of their own). Also the decision on a refund held for review: releasing it is the void
   * it did not get, denying it a capture. Defines {@code resolve_entries} and {@code resolve_wallets}.
   */
  public static final String RESOLVE = resolve("to_resolve");

  /**
   * {@link #RESOLVE} for orders subject to the abuse consequence {@code hold_refunds} (activations): the void of an
   * automatic refund ({@code refund_reviewable}: a cancel, an expiry, an outage refund) of an account with an open
   * {@code hold_refunds} flag is not written; a {@code held_refunds} row is, and the price stays held until an admin
   * releases (void) or denies (capture) it. So an order is held if and only if it got no resolution. Reads
   * {@code to_resolve (order_id, account_id, price, capture boolean, refund_reviewable boolean)}. Defines
   * {@code refunds_held (order_id)} besides those of {@link #RESOLVE}.
   */
  public static final String RESOLVE_HOLDING_REFUNDS = """
      , refunds_held AS (
        INSERT INTO held_refunds (order_id, account_id, price)
        SELECT r.order_id, r.account_id, r.price FROM to_resolve r
         WHERE NOT r.capture AND r.refund_reviewable
           AND EXISTS (SELECT 1 FROM abuse_flags f WHERE f.account_id = r.account_id AND f.resolved_at IS NULL
                          AND f.action = 'hold_refunds')
        RETURNING order_id
      ), resolving AS (
        SELECT order_id, account_id, price, capture FROM to_resolve
         WHERE order_id NOT IN (SELECT order_id FROM refunds_held)
      )""" + resolve("resolving");

  /**
   * A claim approved on a captured order: its price back to the balance ({@code refund}, balance +x). Reads
   * {@code to_refund (account_id, order_id, amount, reference)}. A second refund of the same order fails the whole
   * statement (unique (order_id, kind)), so the transition that asked for it rolls back too. Defines
   * {@code refund_entries} and {@code refund_wallets (account_id, balance, held)}.
   */
  public static final String REFUND = """
      , refund_entries AS (
        INSERT INTO ledger_entries (account_id, order_id, kind, balance_delta, held_delta, reference)
        SELECT account_id, order_id, 'refund', amount, 0, reference FROM to_refund
        RETURNING id, account_id, balance_delta, held_delta
      )""" + apply("refund_entries", "refund_wallets");

  /**
   * An operator's service credit on closed orders ({@code service_credit}, balance +x). Reads
   * {@code to_credit (account_id, order_id, amount, reference)}. Locks the wallets in account order first; an order
   * credited before is skipped, not credited twice. Defines {@code credit_entries (account_id, order_id, balance_delta,
   * held_delta)}: the orders credited now.
   */
  public static final String SERVICE_CREDIT = """
      , credit_locks AS (
        SELECT account_id FROM wallets WHERE account_id IN (SELECT account_id FROM to_credit)
         ORDER BY account_id FOR UPDATE
      ), credit_entries AS (
        INSERT INTO ledger_entries (account_id, order_id, kind, balance_delta, held_delta, reference)
        SELECT account_id, order_id, 'service_credit', amount, 0, reference FROM to_credit
         WHERE (SELECT count(*) FROM credit_locks) >= 0
        ON CONFLICT DO NOTHING
        RETURNING id, account_id, order_id, balance_delta, held_delta
      )""" + apply("credit_entries", "credit_wallets");

  /**
   * A top-up ({@code deposit}, balance +x), credited once per external reference: a replay writes nothing. Reads
   * {@code to_deposit (account_id, amount, reference)}. Defines {@code deposit_entries (id, account_id, ...)} and
   * {@code deposit_wallets (account_id, balance, held)}.
   */
  public static final String DEPOSIT = """
      , deposit_entries AS (
        INSERT INTO ledger_entries (account_id, kind, balance_delta, held_delta, reference)
        SELECT account_id, 'deposit', amount, 0, reference FROM to_deposit
        ON CONFLICT (reference) WHERE kind = 'deposit' DO NOTHING
        RETURNING id, account_id, balance_delta, held_delta
      )""" + apply("deposit_entries", "deposit_wallets");

  /**
   * Money sent out to a customer leaving the platform ({@code payout}, balance -x), once per reference. Reads
   * {@code to_pay_out (account_id, amount, reference)}. A balance that no longer covers the amount fails the statement
   * (check violation 23514). Defines {@code payout_entries} and {@code payout_wallets}.
   */
  public static final String PAYOUT = """
      , payout_entries AS (
        INSERT INTO ledger_entries (account_id, kind, balance_delta, held_delta, reference)
        SELECT account_id, 'payout', -amount, 0, reference FROM to_pay_out
        RETURNING id, account_id, balance_delta, held_delta
      )""" + apply("payout_entries", "payout_wallets");

  /**
   * Terminates a wallet's right to a balance ({@code forfeit}, balance -balance), once per reference: takes the whole
   * balance (nothing when it is zero) and flags the wallet {@code forfeits_credits}, so every later credit is forfeited by
   * the statement that credits it (see the class comment). Money held by open orders is not touched: those orders still
   * resolve, and what they return is forfeited then. Reads {@code to_forfeit (account_id, reference)}; locks the wallets
   * (account order) to read the balance it takes, and writes the wallet's balance as 0, not as {@code w.balance - taken}:
   * that expression would be checked against the snapshot's version of the row first (see {@link #HOLD}), which a credit
   * committed while the termination waited for the lock leaves below the balance taken. Defines {@code forfeit_entries (id, account_id, balance_delta,
   * held_delta)} and {@code forfeit_wallets (account_id, balance, held)}.
   */
  public static final String FORFEIT = """
      , forfeit_locks AS (
        SELECT w.account_id, w.balance, f.reference FROM wallets w JOIN to_forfeit f ON f.account_id = w.account_id
         ORDER BY w.account_id FOR UPDATE OF w
      ), forfeit_entries AS (
        INSERT INTO ledger_entries (account_id, kind, balance_delta, held_delta, reference)
        SELECT account_id, 'forfeit', -balance, 0, reference FROM forfeit_locks WHERE balance > 0
        RETURNING id, account_id, balance_delta, held_delta
      ), forfeit_wallets AS (
        UPDATE wallets w SET balance = 0, forfeits_credits = true
          FROM forfeit_locks l WHERE w.account_id = l.account_id
        RETURNING w.account_id, w.balance, w.held
      )""";

  /**
   * Resolves the holds of orders that closed with part of their price returned: a rental refunded pro rata. Reads
   * {@code to_settle (order_id, account_id, price, refund)} with {@code 0 <= refund <= price}, one row per ledger order:
   * a {@code void} when the whole price returns, a {@code capture} when nothing does, else a {@code partial_void} (held
   * -p, balance +refund; the rest is revenue). Still one resolution per order (the same unique index). Defines
   * {@code settle_entries} and {@code settle_wallets}.
   */
  public static final String SETTLE = """
      , settle_entries AS (
        INSERT INTO ledger_entries (account_id, order_id, kind, balance_delta, held_delta)
        SELECT account_id, order_id,
               CASE WHEN refund = price THEN 'void' WHEN refund = 0 THEN 'capture' ELSE 'partial_void' END, refund, -price
          FROM to_settle
        RETURNING id, account_id, balance_delta, held_delta
      )""" + apply("settle_entries", "settle_wallets");

  /**
   * An admin's adjustment resolving an account claim ({@code adjustment}, balance +x or -x), once per reference. Reads
   * {@code to_adjust (account_id, amount, reference)}; a debit the balance does not cover fails the statement (check
   * violation 23514). Defines {@code adjust_entries} and {@code adjust_wallets}.
   */
  public static final String ADJUST = """
      , adjust_entries AS (
        INSERT INTO ledger_entries (account_id, kind, balance_delta, held_delta, reference)
        SELECT account_id, 'adjustment', amount, 0, reference FROM to_adjust
        RETURNING id, account_id, balance_delta, held_delta
      )""" + apply("adjust_entries", "adjust_wallets");

  /** One capture or void per row of {@code source}, applied to the wallets pre-aggregated. */
  private static String resolve(String source) {
    return """
        , resolve_entries AS (
          INSERT INTO ledger_entries (account_id, order_id, kind, balance_delta, held_delta)
          SELECT account_id, order_id, CASE WHEN capture THEN 'capture' ELSE 'void' END,
                 CASE WHEN capture THEN 0 ELSE price END, -price
            FROM %s
          RETURNING id, account_id, balance_delta, held_delta
        )""".formatted(source) + apply("resolve_entries", "resolve_wallets");
  }

  /**
   * Applies the entries just written ({@code entries}: id, account_id, balance_delta, held_delta) to their wallets, one
   * update per wallet (several entries of one wallet are summed first: an UPDATE ... FROM would apply only one of them).
   * The wallets are locked here, in account order ({@code <name>_locks}), after the entries are written: the sum per
   * wallet reads every entry first, so the wallet rows, the rows every batch of the same accounts waits for, are held
   * only for the wallet updates and the commit, not while the orders and the ledger are written (a batch of 2,000
   * expiries over the same 100 wallets as the next batch no longer makes it wait for all its work). The new balance
   * and held amount are computed from the row as locked, the latest committed version, never from the version the
   * statement's snapshot saw (see {@link #HOLD}): a debit (a payout, a negative adjustment) that a credit committed
   * while it waited for the lock made affordable is not refused by {@code wallets_balance_check}.
   * A wallet flagged {@code forfeits_credits} (a terminated account) keeps its balance: each credit to it is forfeited
   * by a {@code forfeit} entry of the same amount, written here ({@code <name>_forfeits}), read from the wallet row as
   * locked by {@code <name>_locks}. Held amounts move as usual (the open orders of a terminated account still resolve).
   */
  private static String apply(String entries, String name) {
    return """
        , %2$s_deltas AS (
          SELECT account_id, sum(balance_delta)::bigint AS balance_delta, sum(held_delta)::bigint AS held_delta,
                 sum(GREATEST(balance_delta, 0))::bigint AS credited
            FROM %1$s GROUP BY account_id
        ), %2$s_locks AS (
          SELECT w.account_id, w.balance, w.held, w.forfeits_credits FROM wallets w JOIN %2$s_deltas d ON d.account_id = w.account_id
           ORDER BY w.account_id FOR UPDATE OF w
        ), %2$s AS (
          UPDATE wallets w SET balance = l.balance + t.balance_delta - CASE WHEN l.forfeits_credits THEN t.credited ELSE 0 END,
                               held = l.held + t.held_delta
            FROM %2$s_deltas t JOIN %2$s_locks l ON l.account_id = t.account_id
           WHERE w.account_id = t.account_id
          RETURNING w.account_id, w.balance, w.held, w.forfeits_credits
        ), %2$s_forfeits AS (
          INSERT INTO ledger_entries (account_id, kind, balance_delta, held_delta, reference)
          SELECT e.account_id, 'forfeit', -e.balance_delta, 0, 'forfeit:entry:' || e.id
            FROM %1$s e JOIN %2$s w ON w.account_id = e.account_id
           WHERE w.forfeits_credits AND e.balance_delta > 0
        )""".formatted(entries, name);
  }
}
