package com.otporchestrator.catalog;

final class CatalogSql {
  private CatalogSql() {}

  /**
   * The routing weight: price / smoothed delivery rate, i.e. the expected price of one delivered code. The rate is
   * (delivered + 8) / (ended + 10): a supplier with no history counts as 80 % (so one failure does not bury it, and a
   * new supplier is neither favoured nor shunned), and its own figures outweigh that prior after a few dozen orders
   * (docs/routing-and-outages.md, "Delivery rates").
   */
  static final String PRICE_PER_DELIVERY = "(COALESCE(d.ended, 0) + 10) / (COALESCE(d.delivered, 0) + 8)";

  /**
   * Every enabled supplier's offer for a (service, country), best first: in stock, then the lowest price per code
   * delivered (the price weighed by the supplier's delivery rate, below), then the supplier's priority, then the lowest
   * cost. {@code at_limit}
   * says the supplier already holds {@code channels_limit} of our orders holding a number (the live
   * states, which the partial index activations_open_by_phone covers, so the count is an index scan); {@code limited}
   * says it has such a limit at all (then the answer is not cached: {@link OffersCache}).
   */
  static final String RANKED_OFFERS = """
      SELECT o.service, o.country, o.provider_id, o.price, o.cost, o.stock, p.channels_limit IS NOT NULL AS limited,
             p.channels_limit IS NOT NULL AND (SELECT count(*) FROM activations a
                WHERE a.provider_id = o.provider_id
                  AND a.state IN ('WAITING_CODE', 'CODE_RECEIVED', 'WAITING_RETRY')) >= p.channels_limit
               AS at_limit
        FROM offers o JOIN providers p ON p.id = o.provider_id AND p.enabled
        LEFT JOIN delivery_rates d ON d.service = o.service AND d.country = o.country AND d.provider_id = o.provider_id
       WHERE o.service = $1 AND o.country = $2
       ORDER BY (o.stock > 0) DESC, o.price::numeric * """ + PRICE_PER_DELIVERY + """
      , p.priority, o.cost, o.provider_id""";


  static final String KNOWN = """
      SELECT EXISTS (SELECT 1 FROM services WHERE code = $1) AS service_known,
             EXISTS (SELECT 1 FROM countries WHERE id = $2) AS country_known""";

  /** What customers see: per (service, country), the lowest price and the stock across suppliers. */
  static final String CUSTOMER_OFFERS = """
      SELECT o.service, s.name AS service_name, o.country, c.name AS country_name,
             min(o.price) AS price, sum(o.stock)::bigint AS stock
        FROM offers o
        JOIN providers p ON p.id = o.provider_id AND p.enabled
        JOIN services s ON s.code = o.service
        JOIN countries c ON c.id = o.country
       WHERE ($1::text IS NULL OR o.service = $1) AND ($2::int IS NULL OR o.country = $2)
       GROUP BY o.service, s.name, o.country, c.name
       ORDER BY o.service, o.country""";

  static final String COUNTRIES = "SELECT id, name FROM countries ORDER BY id";

  static final String SERVICES = "SELECT code, name FROM services ORDER BY code";

  static final String UPSERT_OFFER = """
      INSERT INTO offers (service, country, provider_id, price, cost, stock)
      VALUES ($1, $2, $3, $4, $5, COALESCE($6, 0))
      ON CONFLICT (service, country, provider_id)
      DO UPDATE SET price = EXCLUDED.price, cost = EXCLUDED.cost, stock = COALESCE($6, offers.stock)
      RETURNING service, country, provider_id, price, cost, stock""";

  /** Replaces a supplier's stock with what it just reported; offers it did not mention drop to 0. */
  static final String REFRESH_STOCK = """
      UPDATE offers o
         SET stock = COALESCE((SELECT sum(s.count) FROM unnest($2::text[], $3::int[], $4::int[]) AS s(service, country, count)
                                WHERE s.service = o.service AND s.country = o.country), 0),
             stock_updated_at = now()
       WHERE o.provider_id = $1""";

  /** Replaces a supplier's operators (per country, with their stock) with what it just reported. Lock order: none. */
  static final String REFRESH_OPERATORS = """
      WITH gone AS (
        DELETE FROM supplier_operators WHERE provider_id = $1
      )
      INSERT INTO supplier_operators (provider_id, country, operator, stock)
      SELECT $1, country, operator, sum(count)::int FROM unnest($2::int[], $3::text[], $4::int[]) AS s(country, operator, count)
       WHERE operator IS NOT NULL AND length(operator) BETWEEN 1 AND 50
       GROUP BY country, operator
      ON CONFLICT (provider_id, country, operator) DO UPDATE SET stock = EXCLUDED.stock""";

  /** The operators enabled suppliers report with stock, per country ($1 null: every country). */
  static final String OPERATORS = """
      SELECT o.country, array_agg(DISTINCT o.operator ORDER BY o.operator) AS operators
        FROM supplier_operators o JOIN providers p ON p.id = o.provider_id AND p.enabled
       WHERE o.stock > 0 AND ($1::int IS NULL OR o.country = $1)
       GROUP BY o.country""";

  /** Every enabled supplier's offer of a service ($1 null: every service) with its price and stock: price ladders. */
  static final String OFFER_LINES = """
      SELECT o.service, o.country, o.provider_id, o.price, o.stock
        FROM offers o JOIN providers p ON p.id = o.provider_id AND p.enabled
       WHERE ($1::text IS NULL OR o.service = $1)
       ORDER BY o.country, o.price""";

  /** Per country: whether activations (any offer) and rentals (a rent offer in stock) are sold there. */
  static final String COUNTRY_FLAGS = """
      SELECT c.id, c.name,
             EXISTS (SELECT 1 FROM offers o JOIN providers p ON p.id = o.provider_id AND p.enabled
                      WHERE o.country = c.id) AS activations,
             EXISTS (SELECT 1 FROM rent_offers r JOIN providers p ON p.id = r.provider_id AND p.enabled
                      WHERE r.country = c.id AND r.stock > 0) AS rentals
        FROM countries c ORDER BY c.id""";

  static final String UPSERT_SERVICE = """
      INSERT INTO services (code, name) VALUES ($1, $2)
      ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name""";
}
