package com.otporchestrator.lookup;

/** The operators' order search: reads activations and rentals without locks (no lock order to keep). */
final class OrderLookupSql {
  private OrderLookupSql() {}

  /**
   * Orders of both kinds, newest first: id $1, phone $2 (with or without a leading +), account $3 and kind $4 narrow it
   * when not null; before id $5 (null: from the newest), at most $6.
   */
  static final String SEARCH = """
      SELECT * FROM (
        SELECT 'activation' AS kind, id, account_id, service, country, provider_id, price, state, phone, created_at,
               expires_at AS ends_at, closed_at
          FROM activations
         WHERE ($4::text IS NULL OR $4 = 'activation')
           AND ($1::bigint IS NULL OR id = $1) AND ($2::text IS NULL OR phone IN ($2, '+' || $2))
           AND ($3::bigint IS NULL OR account_id = $3) AND ($5::bigint IS NULL OR id < $5)
         ORDER BY id DESC LIMIT $6
      ) a
      UNION ALL
      SELECT * FROM (
        SELECT 'rental' AS kind, id, account_id, service, country, provider_id, price, state, phone, created_at,
               ends_at, closed_at
          FROM rentals
         WHERE ($4::text IS NULL OR $4 = 'rental')
           AND ($1::bigint IS NULL OR id = $1) AND ($2::text IS NULL OR phone IN ($2, '+' || $2))
           AND ($3::bigint IS NULL OR account_id = $3) AND ($5::bigint IS NULL OR id < $5)
         ORDER BY id DESC LIMIT $6
      ) r
      ORDER BY id DESC LIMIT $6""";
}
