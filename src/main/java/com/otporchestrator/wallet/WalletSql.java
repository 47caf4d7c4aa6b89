package com.otporchestrator.wallet;

import com.otporchestrator.ledger.Postings;

final class WalletSql {
  private WalletSql() {}

  static final String BALANCE = "SELECT balance, held FROM wallets WHERE account_id = $1";

  /**
   * Credits a top-up of a live account once per external reference ({@link Postings#DEPOSIT}); a replay inserts nothing
   * and changes nothing.
   */
  static final String DEPOSIT = """
      WITH to_deposit AS (
        SELECT id AS account_id, $2::bigint AS amount, $3::text AS reference FROM accounts
         WHERE id = $1 AND status <> 'terminated'
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
