package com.otporchestrator.claim;

import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * One claim row. An account claim ({@code orderKind} "account") has no order: it names a deposit reference.
 *
 * @param chosenRemedy the customer's choice, where the policy gives it (refund or replacement)
 * @param adjustmentAmount the ledger adjustment that resolved an account claim, micro-USD (negative: a debit)
 */
public record Claim(long id, long accountId, Long orderId, String orderKind, String type, String text, List<String> tags,
                    String policyId, int policyVersion, ClaimState state, List<String> missingEvidence,
                    int evidenceCount, int escalationLevel, String autoRemedy, OffsetDateTime filedAt,
                    OffsetDateTime responseDueAt, OffsetDateTime respondedAt, OffsetDateTime responseMissedAt,
                    OffsetDateTime resolutionDueAt, OffsetDateTime resolutionMissedAt, OffsetDateTime decidedAt,
                    String decidedBy, String decisionNote, String remedy, Long refundAmount, boolean overdue,
                    String depositReference, String chosenRemedy, Long adjustmentAmount) {

  public boolean onAccount() {
    return "account".equals(orderKind);
  }


  static Claim of(Row r) {
    return new Claim(r.getLong("id"), r.getLong("account_id"), r.getLong("order_id"), r.getString("order_kind"),
        r.getString("type"), r.getString("text"), list(r.getArrayOfStrings("tags")), r.getString("policy_id"),
        r.getInteger("policy_version"), ClaimState.valueOf(r.getString("state")),
        list(r.getArrayOfStrings("missing_evidence")), r.getInteger("evidence_count"), r.getInteger("escalation_level"),
        r.getString("auto_remedy"), r.getOffsetDateTime("filed_at"), r.getOffsetDateTime("response_due_at"),
        r.getOffsetDateTime("responded_at"), r.getOffsetDateTime("response_missed_at"),
        r.getOffsetDateTime("resolution_due_at"), r.getOffsetDateTime("resolution_missed_at"),
        r.getOffsetDateTime("decided_at"), r.getString("decided_by"), r.getString("decision_note"), r.getString("remedy"),
        r.getLong("refund_amount"), Boolean.TRUE.equals(r.getBoolean("overdue")), r.getString("deposit_reference"),
        r.getString("chosen_remedy"), r.getLong("adjustment_amount"));
  }

  private static List<String> list(String[] values) {
    return values == null ? List.of() : Arrays.asList(values);
  }
}
