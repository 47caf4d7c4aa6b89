package com.otporchestrator.routing;

/** Every statement on the configured suppliers. */
final class ProviderSql {
  private ProviderSql() {}

  static final String ALL = """
      SELECT id, protocol, base_url, api_key, push_key_hash, enabled, priority FROM providers ORDER BY id""";
  static final String UPSERT = """
      INSERT INTO providers (id, protocol, base_url, api_key, push_key_hash, enabled, priority)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (id) DO UPDATE SET protocol = EXCLUDED.protocol, base_url = EXCLUDED.base_url,
        api_key = EXCLUDED.api_key, push_key_hash = EXCLUDED.push_key_hash, enabled = EXCLUDED.enabled,
        priority = EXCLUDED.priority""";

  /** An admin's PUT: the whole record, channels limit included (null: no limit). */
  static final String PUT = """
      INSERT INTO providers (id, protocol, base_url, api_key, push_key_hash, enabled, priority, channels_limit)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (id) DO UPDATE SET protocol = EXCLUDED.protocol, base_url = EXCLUDED.base_url,
        api_key = EXCLUDED.api_key, push_key_hash = EXCLUDED.push_key_hash, enabled = EXCLUDED.enabled,
        priority = EXCLUDED.priority, channels_limit = EXCLUDED.channels_limit""";

  /** A page of suppliers by id, after $1 (null: from the start), at most $2; the keys stay out of it. */
  static final String PAGE = """
      SELECT id, protocol, base_url, enabled, priority, channels_limit FROM providers
       WHERE $1::text IS NULL OR id > $1 ORDER BY id LIMIT $2""";

  /** Enables or disables one supplier; no row when it does not exist. */
  static final String SET_ENABLED = """
      UPDATE providers SET enabled = $2 WHERE id = $1 RETURNING id""";

  /** One supplier's activation offers (any service, any country), cheapest stock first by service; at most $2. */
  static final String OFFERS = """
      SELECT service, country, price, cost, stock FROM offers WHERE provider_id = $1
       ORDER BY service, country LIMIT $2""";

  /** One supplier's rent offers; at most $2. */
  static final String RENT_OFFERS = """
      SELECT service, country, hourly_price AS price, hourly_cost AS cost, stock FROM rent_offers WHERE provider_id = $1
       ORDER BY service, country LIMIT $2""";
}
