package com.otporchestrator.wallet;

import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;

/** A request to pay a balance out to the customer, and the admin's decision on it. */
public record Payout(long id, long accountId, long amount, String destination, String state, String policyId,
                     int policyVersion, OffsetDateTime requestedAt, OffsetDateTime decidedAt, String decidedBy,
                     String decisionNote, boolean closesAccount) {

  static Payout of(Row r) {
    return new Payout(r.getLong("id"), r.getLong("account_id"), r.getLong("amount"), r.getString("destination"),
        r.getString("state"), r.getString("policy_id"), r.getInteger("policy_version"),
        r.getOffsetDateTime("requested_at"), r.getOffsetDateTime("decided_at"), r.getString("decided_by"),
        r.getString("decision_note"), r.getBoolean("closes_account"));
  }
}
