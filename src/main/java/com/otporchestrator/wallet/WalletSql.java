package com.otporchestrator.wallet;

final class WalletSql {
  private WalletSql() {}

  static final String BALANCE = "SELECT balance, held FROM wallets WHERE account_id = $1";

  /** Credits a top-up once per external reference; a replay inserts nothing and changes nothing. */
  static final String DEPOSIT = """
      WITH entry AS (
        INSERT INTO ledger_entries (account_id, kind, balance_delta, held_delta, reference)
        SELECT id, 'deposit', $2, 0, $3 FROM accounts WHERE id = $1 AND status <> 'terminated'
        ON CONFLICT (reference) WHERE kind = 'deposit' DO NOTHING
        RETURNING id, account_id, balance_delta
      )
      UPDATE wallets w SET balance = w.balance + e.balance_delta
        FROM entry e WHERE w.account_id = e.account_id
      RETURNING e.id AS entry_id, w.balance, w.held""";

  static final String DEPOSIT_BY_REFERENCE = """
      SELECT id, account_id, balance_delta FROM ledger_entries WHERE kind = 'deposit' AND reference = $1""";

  static final String TRANSACTIONS = """
      SELECT id, order_id, kind, balance_delta, held_delta, reference, created_at
        FROM ledger_entries
       WHERE account_id = $1 AND ($2::bigint IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3""";
}
