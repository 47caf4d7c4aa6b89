package com.otporchestrator.outage;

import com.otporchestrator.claim.IncidentClaims;

/** Statements about outages (the refunds themselves are in {@code activation.ScopeRefundSql}). */
final class OutageSql {
  private OutageSql() {}

  static final String COLUMNS = """
      id, provider_id, service, country, platform_wide, starts_at, ends_at, state, source, reason, refunded,
      batches, created_at, confirmed_at, finished_at""";

  /** An admin's declaration: refunding starts at once. */
  static final String DECLARE = """
      INSERT INTO outages (provider_id, service, country, platform_wide, starts_at, ends_at, state, source, reason,
                           confirmed_at)
      VALUES ($1, $2, $3, $4, $5, $6, 'REFUNDING', 'admin', $7, now())""" + " RETURNING " + COLUMNS;

  /** A breaker opened: one suspicion per supplier waits for an admin, more add nothing. */
  static final String SUSPECT = """
      INSERT INTO outages (provider_id, starts_at, state, source, reason)
      VALUES ($1, now(), 'SUSPECTED', 'breaker', $2)
      ON CONFLICT (provider_id) WHERE state = 'SUSPECTED' DO NOTHING
      RETURNING id""";

  static final String FIND = "SELECT " + COLUMNS + " FROM outages WHERE id = $1";

  static final String LIST = "SELECT " + COLUMNS + """
       FROM outages WHERE ($1::text IS NULL OR state = $1) AND ($2::bigint IS NULL OR id < $2)
      ORDER BY id DESC LIMIT $3""";

  static final String CONFIRM = """
      UPDATE outages SET state = 'REFUNDING', confirmed_at = now()
       WHERE id = $1 AND state = 'SUSPECTED'""" + " RETURNING " + COLUMNS;

  static final String DISMISS = """
      UPDATE outages SET state = 'DISMISSED', finished_at = now()
       WHERE id = $1 AND state = 'SUSPECTED'""" + " RETURNING " + COLUMNS;

  /** Takes (or renews) the lease of the oldest outage being refunded that no live job holds. */
  static final String CLAIM = """
      UPDATE outages SET lease_until = now() + $1::bigint * interval '1 millisecond'
       WHERE id = (SELECT id FROM outages
                    WHERE state = 'REFUNDING' AND (lease_until IS NULL OR lease_until < now())
                    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)""" + " RETURNING " + COLUMNS;

  static final String RENEW = """
      UPDATE outages SET lease_until = now() + $2::bigint * interval '1 millisecond'
       WHERE id = $1 AND state = 'REFUNDING'
      RETURNING id""";

  /**
   * The refunds are done. In the same statement, once (the REFUNDING -> DONE transition): every rental of the scope
   * that held its number during the outage gets a SILENT_WHILE_UNHEALTHY incident and, like any incident the customer
   * suffers, a rental_disconnected claim for review (a rental is not refunded in full for an outage of hours; support
   * decides, e.g. a refund or a service credit capped at its price). A cancelled rental was refunded already.
   */
  static final String FINISH = """
      WITH done AS (
        UPDATE outages SET state = 'DONE', finished_at = now(), lease_until = NULL
         WHERE id = $1 AND state = 'REFUNDING'
        RETURNING id, provider_id, service, country, platform_wide, starts_at,
                  COALESCE(ends_at, confirmed_at, now()) AS until
      ), hit AS (
        SELECT r.id AS rental_id, r.account_id, d.id AS outage_id, d.starts_at, d.until
          FROM done d JOIN rentals r
            ON r.state IN ('ACTIVE', 'FINISHED', 'ENDED') AND r.starts_at < d.until
           AND COALESCE(r.closed_at, 'infinity') > d.starts_at
           AND (d.platform_wide OR ((d.provider_id IS NULL OR r.provider_id = d.provider_id)
                AND (d.service IS NULL OR r.service IS NULL OR r.service = d.service)
                AND (d.country IS NULL OR r.country = d.country)))
      ), incident AS (
        INSERT INTO rental_incidents (rental_id, account_id, kind, evidence)
        SELECT rental_id, account_id, 'SILENT_WHILE_UNHEALTHY',
               'outage ' || outage_id || ' of its scope, from ' || starts_at || ' to ' || until || ', covered this rental'
          FROM hit
        ON CONFLICT (rental_id, kind) DO NOTHING
        RETURNING rental_id, account_id, kind, evidence
      )""" + IncidentClaims.OPEN_FOR_RENTAL_INCIDENTS
      + "SELECT (SELECT count(*) FROM done) AS finished, (SELECT count(*) FROM incident) AS rentals_flagged";
}
