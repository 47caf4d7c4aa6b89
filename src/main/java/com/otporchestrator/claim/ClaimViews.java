package com.otporchestrator.claim;

import com.otporchestrator.common.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * JSON shapes of claims. Customers see who acted as "support" or "system", never an admin's name, and no internal
 * note; each evidence file links to the download route of the audience's API.
 */
final class ClaimViews {
  private ClaimViews() {}

  /** A claim with its evidence and history. */
  static JsonObject detail(ClaimService.Detail d) {
    boolean admin = d.forAdmin();
    JsonObject json = claim(d.claim(), admin, d.escalationRole());
    String base = (admin ? "/admin/v1/claims/" : "/v1/claims/") + d.claim().id() + "/evidence/";
    JsonArray evidence = new JsonArray();
    for (ClaimRepository.Evidence f : d.evidence()) {
      evidence.add(new JsonObject().put("n", f.n()).put("mediaType", f.mediaType()).put("size", f.sizeBytes())
          .put("sha256", f.sha256()).put("uploadedAt", text(f.uploadedAt())).put("href", base + f.n()));
    }
    json.put("evidence", evidence);
    JsonArray history = new JsonArray();
    for (ClaimRepository.Event e : d.history()) {
      JsonObject item = new JsonObject().put("at", text(e.at())).put("by", shownActor(e.actor(), admin))
          .put("from", e.fromState()).put("to", e.toState()).put("note", e.note());
      if (admin) item.put("internal", e.internal());
      history.add(item);
    }
    return json.put("history", history);
  }

  /** A page of claims, newest first; {@code nextCursor} only when the page is full. */
  static JsonObject page(List<Claim> claims, int limit, boolean admin) {
    JsonArray items = new JsonArray();
    claims.forEach(c -> items.add(claim(c, admin, null)));
    JsonObject out = new JsonObject().put("items", items);
    if (claims.size() == limit && !claims.isEmpty()) out.put("nextCursor", String.valueOf(claims.get(claims.size() - 1).id()));
    return out;
  }

  /**
   * The claim itself.
   *
   * @param escalationRole the role of the current escalation level, if the policy names one
   */
  static JsonObject claim(Claim c, boolean admin, String escalationRole) {
    JsonObject json = new JsonObject().put("id", c.id()).put("orderId", c.orderId()).put("orderKind", c.orderKind())
        .put("depositReference", c.depositReference()).put("chosenRemedy", c.chosenRemedy())
        .put("type", c.type()).put("text", c.text()).put("tags", new JsonArray(c.tags()))
        .put("policy", new JsonObject().put("id", c.policyId()).put("version", c.policyVersion()))
        .put("state", c.state().name()).put("missingEvidence", new JsonArray(c.missingEvidence()))
        .put("evidenceCount", c.evidenceCount())
        .put("escalation", new JsonObject().put("level", c.escalationLevel()).put("role", escalationRole))
        .put("filedAt", text(c.filedAt())).put("responseDueAt", text(c.responseDueAt()))
        .put("respondedAt", text(c.respondedAt())).put("resolutionDueAt", text(c.resolutionDueAt()))
        .put("automaticRemedy", c.autoRemedy()).put("overdue", c.overdue());
    if (c.responseMissedAt() != null) json.put("responseMissedAt", text(c.responseMissedAt()));
    if (c.resolutionMissedAt() != null) json.put("resolutionMissedAt", text(c.resolutionMissedAt()));
    if (c.decidedAt() != null) {
      JsonObject decision = new JsonObject().put("at", text(c.decidedAt())).put("by", shownActor(c.decidedBy(), admin))
          .put("note", c.decisionNote()).put("remedy", c.remedy())
          .put("refunded", c.refundAmount() == null ? null : Money.format(c.refundAmount()));
      if (c.adjustmentAmount() != null) decision.put("adjustment", Money.format(c.adjustmentAmount()));
      json.put("decision", decision);
    }
    if (admin) json.put("accountId", c.accountId());
    return json;
  }

  private static String shownActor(String actor, boolean admin) {
    if (actor == null || admin) return actor;
    return actor.startsWith("customer") || actor.equals("system") ? actor : "support";
  }

  private static String text(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
