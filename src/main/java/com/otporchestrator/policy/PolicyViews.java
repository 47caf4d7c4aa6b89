package com.otporchestrator.policy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** The one JSON shape of an order's refund position under its policy version, for activations and rentals alike. */
public final class PolicyViews {
  private PolicyViews() {}

  /** {@code GET /v1/activations/{id}/refund} and {@code GET /v1/rentals/{id}/refund}. */
  public static JsonObject refundPosition(long orderId, String kind, String state, RefundPolicy policy, boolean refunded,
                                         RefundDecision d) {
    JsonArray options = new JsonArray();
    for (var o : d.options()) {
      options.add(new JsonObject().put("action", o.action().name().toLowerCase(Locale.ROOT))
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
}
