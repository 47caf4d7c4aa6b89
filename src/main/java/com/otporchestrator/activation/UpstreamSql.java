package com.otporchestrator.activation;

/** Statements about an order's life at its supplier, kept apart from the customer's money. */
final class UpstreamSql {
  private UpstreamSql() {}

  static final String CLOSE_CANDIDATES = """
      SELECT id, provider_id, provider_activation_id, state, upstream_attempts,
             (extract(epoch FROM now() - created_at) * 1000)::bigint AS age_ms
        FROM activations
       WHERE id = ANY($1) AND upstream_state = 'CLOSING' AND upstream_next_at <= now()""";

  /**
   * The suppliers closed these orders ($1 ids, written together by a {@code GroupedStatement}): locked in id order,
   * the order of every statement that locks several activations.
   */
  static final String CLOSED = """
      WITH closing AS (
        SELECT id FROM activations WHERE id = ANY($1) AND upstream_state = 'CLOSING' ORDER BY id FOR UPDATE
      )
      UPDATE activations a SET upstream_state = 'CLOSED', upstream_next_at = NULL, upstream_note = NULL,
             upstream_attempts = a.upstream_attempts + 1
        FROM closing c WHERE a.id = c.id""";

  static final String RETRY_CLOSE = """
      UPDATE activations SET upstream_attempts = upstream_attempts + 1, upstream_note = $3,
             upstream_next_at = now() + $2::bigint * interval '1 millisecond'
       WHERE id = $1 AND upstream_state = 'CLOSING'
      RETURNING ceil(extract(epoch FROM upstream_next_at) * 1000)::bigint AS next_ms""";

  /**
   * The supplier refuses to close an activation this young: try again once it is $2 ms old (5 s
   * margin, since our created_at precedes the supplier's start by the purchase call). Spends no attempt.
   */
  static final String CLOSE_NOT_BEFORE = """
      UPDATE activations SET upstream_note = $3,
             upstream_next_at = GREATEST(created_at + ($2::bigint + 5000) * interval '1 millisecond',
                                         now() + interval '5 seconds')
       WHERE id = $1 AND upstream_state = 'CLOSING'
      RETURNING ceil(extract(epoch FROM upstream_next_at) * 1000)::bigint AS next_ms""";

  /** The supplier keeps the money: recorded as our cost on the order, never charged to the customer. */
  static final String CLOSE_REFUSED = """
      UPDATE activations SET upstream_state = 'REFUSED', upstream_next_at = NULL, upstream_note = $2,
             upstream_attempts = upstream_attempts + 1
       WHERE id = $1 AND upstream_state = 'CLOSING'""";

  static final String POLL_CANDIDATES = """
      UPDATE activations SET polled_at = now()
       WHERE id = ANY($1) AND state IN ('WAITING_CODE', 'CODE_RECEIVED', 'WAITING_RETRY')
         AND provider_activation_id IS NOT NULL
      RETURNING id, provider_id, provider_activation_id, state, created_at""";

  static final String PROVIDERS_WITH_UNKNOWN = """
      SELECT DISTINCT provider_id FROM activations WHERE upstream_state = 'UNKNOWN'""";

  static final String KNOWN_REFERENCES = """
      SELECT provider_activation_id FROM activations WHERE provider_id = $1 AND provider_activation_id = ANY($2)""";

  static final String MARK_RECONCILED = """
      UPDATE activations SET upstream_state = 'RECONCILED', upstream_note = $2
       WHERE provider_id = $1 AND upstream_state = 'UNKNOWN' AND closed_at < $3""";
}
