package com.otporchestrator.activation;

import com.otporchestrator.api.Views;
import com.otporchestrator.common.Money;
import com.otporchestrator.policy.PolicyViews;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** JSON shapes of activations: the order with its SMS, and its refund position. */
public final class ActivationViews {
  private ActivationViews() {}

  /** The order as the customer sees it (also in event streams and the sandbox routes). */
  public static JsonObject activation(Activation a) {
    JsonArray sms = new JsonArray();
    a.sms().forEach(s -> sms.add(new JsonObject().put("sender", s.sender()).put("text", s.text())
        .put("code", s.code()).put("receivedAt", Views.isoInstant(s.receivedAt()))));
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
        .put("createdAt", Views.time(a.createdAt()))
        .put("expiresAt", Views.time(a.expiresAt()))
        .put("cancellableAt", Views.time(a.cancellableAt()))
        .put("closedAt", Views.time(a.closedAt()))
        .put("closeReason", a.closeReason())
        .put("webhookUrl", a.webhookUrl())
        .put("refundHeld", a.refundHeld())
        .put("channel", a.channel().dbValue())
        .put("policy", a.policy() == null ? null
            : new JsonObject().put("id", a.policy().id()).put("version", a.policy().version()));
  }

  /** {@code GET /v1/activations/{id}/refund}: the order's refund position under its own policy version. */
  static JsonObject refundPosition(ActivationRefunds.Position p) {
    return PolicyViews.refundPosition(p.order().id(), "activation", p.order().state().name(), p.policy(), p.refunded(),
        p.decision());
  }
}
