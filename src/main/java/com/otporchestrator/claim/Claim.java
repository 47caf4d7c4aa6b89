package com.otporchestrator.claim;

import com.otporchestrator.common.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** One claim row. */
public record Claim(long id, long accountId, long orderId, String orderKind, String type, String text, List<String> tags,
                    String policyId, int policyVersion, ClaimState state, List<String> missingEvidence,
                    int evidenceCount, int escalationLevel, String autoRemedy, OffsetDateTime filedAt,
                    OffsetDateTime responseDueAt, OffsetDateTime respondedAt, OffsetDateTime responseMissedAt,
                    OffsetDateTime resolutionDueAt, OffsetDateTime resolutionMissedAt, OffsetDateTime decidedAt,
                    String decidedBy, String decisionNote, String remedy, Long refundAmount, boolean overdue) {

  static Claim of(Row r) {
    return new Claim(r.getLong("id"), r.getLong("account_id"), r.getLong("order_id"), r.getString("order_kind"),
        r.getString("type"), r.getString("text"), list(r.getArrayOfStrings("tags")), r.getString("policy_id"),
        r.getInteger("policy_version"), ClaimState.valueOf(r.getString("state")),
        list(r.getArrayOfStrings("missing_evidence")), r.getInteger("evidence_count"), r.getInteger("escalation_level"),
        r.getString("auto_remedy"), r.getOffsetDateTime("filed_at"), r.getOffsetDateTime("response_due_at"),
        r.getOffsetDateTime("responded_at"), r.getOffsetDateTime("response_missed_at"),
        r.getOffsetDateTime("resolution_due_at"), r.getOffsetDateTime("resolution_missed_at"),
        r.getOffsetDateTime("decided_at"), r.getString("decided_by"), r.getString("decision_note"), r.getString("remedy"),
        r.getLong("refund_amount"), Boolean.TRUE.equals(r.getBoolean("overdue")));
  }

  private static List<String> list(String[] values) {
    return values == null ? List.of() : Arrays.asList(values);
  }

  /**
   * The claim as JSON. Customers see who acted as "support" or "system", never an admin's name.
   *
   * @param escalationRole the role of the current escalation level, if the policy names one
   */
  public JsonObject toJson(boolean admin, String escalationRole) {
    JsonObject json = new JsonObject().put("id", id).put("orderId", orderId).put("orderKind", orderKind).put("type", type)
        .put("text", text).put("tags", new JsonArray(tags))
        .put("policy", new JsonObject().put("id", policyId).put("version", policyVersion))
        .put("state", state.name()).put("missingEvidence", new JsonArray(missingEvidence))
        .put("evidenceCount", evidenceCount)
        .put("escalation", new JsonObject().put("level", escalationLevel).put("role", escalationRole))
        .put("filedAt", text(filedAt)).put("responseDueAt", text(responseDueAt)).put("respondedAt", text(respondedAt))
        .put("resolutionDueAt", text(resolutionDueAt)).put("automaticRemedy", autoRemedy).put("overdue", overdue);
    if (responseMissedAt != null) json.put("responseMissedAt", text(responseMissedAt));
    if (resolutionMissedAt != null) json.put("resolutionMissedAt", text(resolutionMissedAt));
    if (decidedAt != null) {
      JsonObject decision = new JsonObject().put("at", text(decidedAt)).put("by", shownActor(decidedBy, admin))
          .put("note", decisionNote).put("remedy", remedy)
          .put("refunded", refundAmount == null ? null : Money.format(refundAmount));
      json.put("decision", decision);
    }
    if (admin) json.put("accountId", accountId);
    return json;
  }

  static String shownActor(String actor, boolean admin) {
    if (actor == null || admin) return actor;
    return actor.startsWith("admin") ? "support" : actor;
  }

  static String text(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
