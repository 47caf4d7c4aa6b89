package com.otporchestrator.account;

final class AccountSql {
  private AccountSql() {}

  static final String CREATE = """
      WITH acct AS (
        INSERT INTO accounts (name) VALUES ($1) RETURNING id, name, status
      ), wallet AS (
        INSERT INTO wallets (account_id) SELECT id FROM acct
      ), key AS (
        INSERT INTO api_keys (key_hash, account_id) SELECT $2, id FROM acct
      )
      SELECT id, name, status FROM acct""";

  static final String BY_KEY = """
      SELECT a.id, a.name, a.status FROM api_keys k JOIN accounts a ON a.id = k.account_id
       WHERE k.key_hash = $1 AND k.revoked_at IS NULL""";

  static final String BY_ID = "SELECT id, name, status FROM accounts WHERE id = $1";
}
