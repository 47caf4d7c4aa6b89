package com.otporchestrator.wallet;

import com.otporchestrator.ledger.Postings;

final class WalletSql {
  private WalletSql() {}

  static final String BALANCE = "SELECT balance, held FROM wallets WHERE account_id = $1";

  /**
   * Credits a top-up of a live account once per external reference ({@link Postings#DEPOSIT}); a replay inserts nothing
   * and changes nothing. A deposit that would take the wallet's balance + held above $4 (MAX_WALLET_BALANCE_USD)
   * inserts nothing either. Lock order: the account's wallet row (FOR UPDATE, so the bound is checked on the latest
   * balance), then the posting's own writes to that same row.
   */
  static final String DEPOSIT = """
      WITH target AS (
        SELECT a.id AS account_id, w.balance::numeric + w.held + $2 <= $4 AS fits
          FROM accounts a JOIN wallets w ON w.account_id = a.id
         WHERE a.id = $1 AND a.status <> 'terminated'
           FOR UPDATE OF w
      ), to_deposit AS (
        SELECT account_id, $2::bigint AS amount, $3::text AS reference FROM target WHERE fits
      )""" + Postings.DEPOSIT + """

      SELECT e.id AS entry_id, w.balance, w.held
        FROM deposit_entries e JOIN deposit_wallets w ON w.account_id = e.account_id""";

  static final String DEPOSIT_BY_REFERENCE = """
      SELECT id, account_id, balance_delta FROM ledger_entries WHERE kind = 'deposit' AND reference = $1""";

  static final String TRANSACTIONS = """
      SELECT id, order_id, kind, balance_delta, held_delta, reference, created_at
        FROM ledger_entries
       WHERE account_id = $1 AND ($2::bigint IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3""";
}
