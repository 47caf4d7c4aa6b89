package com.otporchestrator.claim;

/**
 * Claims the platform opens on its own. {@link #OPEN_FOR_RENTAL_INCIDENTS} is appended to a statement whose CTE named
 * {@code incident} returns (rental_id, account_id, kind, evidence) of incidents just recorded: each one the customer
 * suffers (not a refused close, which is our cost) opens a {@code rental_disconnected} claim IN_REVIEW, judged by the
 * rental's policy version and filed by "system", in that same statement. An open claim on the rental already covers it.
 * The statement adds its own final SELECT.
 */
public final class IncidentClaims {
  private IncidentClaims() {}

  public static final String OPEN_FOR_RENTAL_INCIDENTS = """
      , claim AS (
        INSERT INTO claims (account_id, order_id, order_kind, type, text, policy_id, policy_version, state)
        SELECT i.account_id, i.rental_id, 'rental', 'rental_disconnected',
               'Opened by the platform (' || i.kind || '): ' || i.evidence,
               COALESCE(r.policy_id, p.policy_id), COALESCE(r.policy_version, p.version), 'IN_REVIEW'
          FROM incident i JOIN rentals r ON r.id = i.rental_id LEFT JOIN policy_current p ON true
         WHERE i.kind <> 'CLOSE_REFUSED'
        ON CONFLICT DO NOTHING
        RETURNING id, state
      ), claim_event AS (
        INSERT INTO claim_events (claim_id, actor, from_state, to_state, note)
        SELECT id, 'system', NULL, state, 'opened on its own from a rental incident' FROM claim
      )
      """;
}
