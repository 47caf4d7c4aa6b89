package com.otporchestrator.account;

import com.otporchestrator.ledger.Postings;

final class AccountSql {
  private AccountSql() {}

  /** The effective status: a suspension whose end has passed is over. */
  private static final String COLUMNS = """
      a.id, a.name,
      CASE WHEN a.status = 'suspended' AND a.suspended_until <= now() THEN 'active' ELSE a.status END AS status,
      CASE WHEN a.status = 'suspended' AND a.suspended_until > now() THEN a.suspended_until END AS suspended_until""";

  static final String CREATE = """
      WITH acct AS (
        INSERT INTO accounts (name) VALUES ($1) RETURNING id, name, status, suspended_until
      ), to_open AS (
        SELECT id AS account_id FROM acct
      )""" + Postings.OPEN_WALLET + """
      , key AS (
        INSERT INTO api_keys (key_hash, account_id, key_prefix) SELECT $2, id, $3 FROM acct
      )
      SELECT id, name, status, suspended_until FROM acct""";

  static final String BY_KEY = "SELECT " + COLUMNS + """
       FROM api_keys k JOIN accounts a ON a.id = k.account_id
      WHERE k.key_hash = $1 AND k.revoked_at IS NULL""";

  static final String BY_ID = "SELECT " + COLUMNS + " FROM accounts a WHERE a.id = $1";

  /** Activates or suspends (until $3, or indefinitely when null); a terminated or closed account stays so. */
  static final String SET_STATUS = """
      UPDATE accounts a SET status = $2, suspended_until = $3
       WHERE a.id = $1 AND a.status NOT IN ('terminated', 'closed')
      RETURNING\s""" + COLUMNS;

  /**
   * Operators' account search, newest first, before id $4 (null: from the newest), at most $5: the account with id $1,
   * or with a key starting with $2, or whose name contains $3 (case-insensitive), or whose console login is email $6
   * (case-insensitive); a null argument matches nothing. Reads accounts, api_keys, account_logins and wallets without
   * locks.
   */
  static final String SEARCH = """
      SELECT a.id, a.name, a.plan, a.created_at, w.balance, w.held,
             CASE WHEN a.status = 'suspended' AND a.suspended_until <= now() THEN 'active' ELSE a.status END AS status,
             CASE WHEN a.status = 'suspended' AND a.suspended_until > now() THEN a.suspended_until END AS suspended_until,
             (SELECT min(k.key_prefix) FROM api_keys k WHERE k.account_id = a.id AND k.revoked_at IS NULL) AS key_prefix,
             (SELECT l.email FROM account_logins l WHERE l.account_id = a.id) AS email
        FROM accounts a LEFT JOIN wallets w ON w.account_id = a.id
       WHERE ($1::bigint IS NULL AND $2::text IS NULL AND $3::text IS NULL AND $6::text IS NULL
              OR a.id = $1
              OR EXISTS (SELECT 1 FROM api_keys k WHERE k.account_id = a.id AND k.key_prefix LIKE $2 || '%')
              OR a.name ILIKE '%' || $3 || '%'
              OR EXISTS (SELECT 1 FROM account_logins l WHERE l.account_id = a.id AND lower(l.email) = lower($6)))
         AND ($4::bigint IS NULL OR a.id < $4)
       ORDER BY a.id DESC LIMIT $5""";
}
