package com.otporchestrator.api;

import com.otporchestrator.activation.Activation;
import com.otporchestrator.common.Money;
import com.otporchestrator.wallet.LedgerEntry;
import com.otporchestrator.wallet.Wallet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;

/** JSON shapes of the customer API. Money is a decimal USD string, times are ISO-8601 UTC. */
final class Views {
  private Views() {}

  static JsonObject activation(Activation a) {
    JsonArray sms = new JsonArray();
    a.sms().forEach(s -> sms.add(new JsonObject().put("sender", s.sender()).put("text", s.text())
        .put("code", s.code()).put("receivedAt", isoInstant(s.receivedAt()))));
    return new JsonObject()
        .put("id", a.id())
        .put("state", a.state().name())
        .put("service", a.service())
        .put("country", a.country())
        .put("phone", a.phone())
        .put("price", Money.format(a.price()))
        .put("currency", "USD")
        .put("code", a.lastCode())
        .put("sms", sms)
        .put("createdAt", time(a.createdAt()))
        .put("expiresAt", time(a.expiresAt()))
        .put("cancellableAt", time(a.cancellableAt()))
        .put("closedAt", time(a.closedAt()))
        .put("closeReason", a.closeReason())
        .put("webhookUrl", a.webhookUrl())
        .put("refundHeld", a.refundHeld())
        .put("policy", a.policy() == null ? null
            : new JsonObject().put("id", a.policy().id()).put("version", a.policy().version()));
  }

  /** {@code GET /v1/activations/{id}/refund}: the order's refund position under its own policy version. */
  static JsonObject refundPosition(com.otporchestrator.activation.ActivationRefunds.Position p) {
    return refundPosition(p.order().id(), "activation", p.order().state().name(), p.policy(), p.refunded(), p.decision());
  }

  /** The one shape of an order's refund position, for activations and rentals alike. */
  static JsonObject refundPosition(long orderId, String kind, String state, com.otporchestrator.policy.RefundPolicy policy,
                                   boolean refunded, com.otporchestrator.policy.RefundDecision d) {
    JsonArray options = new JsonArray();
    for (var o : d.options()) {
      options.add(new JsonObject().put("action", o.action().name().toLowerCase(java.util.Locale.ROOT))
          .put("claimType", o.claimType().orElse(null))
          .put("notBefore", o.notBefore().map(Object::toString).orElse(null))
          .put("until", o.until().map(Object::toString).orElse(null)));
    }
    return new JsonObject()
        .put("orderId", orderId)
        .put("kind", kind)
        .put("state", state)
        .put("policy", new JsonObject().put("id", policy.id()).put("version", policy.version()))
        .put("refunded", refunded)
        .put("refundableNow", d.refundableNow())
        .put("rule", d.rule())
        .put("until", d.until().map(Object::toString).orElse(null))
        .put("options", options);
  }

  static JsonObject page(List<JsonObject> items, Long nextCursor) {
    return new JsonObject().put("items", new JsonArray(items)).put("nextCursor", nextCursor == null ? null : String.valueOf(nextCursor));
  }

  static JsonObject wallet(Wallet w) {
    return new JsonObject().put("balance", Money.format(w.balance())).put("held", Money.format(w.held())).put("currency", "USD");
  }

  static JsonObject ledgerEntry(LedgerEntry e) {
    return new JsonObject()
        .put("id", e.id())
        .put("kind", e.kind())
        .put("orderId", e.orderId())
        .put("amount", Money.format(e.balanceDelta()))
        .put("heldChange", Money.format(e.heldDelta()))
        .put("reference", e.reference())
        .put("createdAt", time(e.createdAt()));
  }

  /** PostgreSQL's JSON timestamps ("...+00:00") in the same Instant form as every other time. */
  private static String isoInstant(String postgresTime) {
    return postgresTime == null ? null : OffsetDateTime.parse(postgresTime).toInstant().toString();
  }

  static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
