package com.otporchestrator.rental;

import com.otporchestrator.api.Views;
import com.otporchestrator.common.Money;
import com.otporchestrator.policy.PolicyViews;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** JSON shapes of rentals: the rental with its SMS and extensions, and its refund position. */
public final class RentalViews {
  private RentalViews() {}

  /** The rental as its owner sees it (also answered by the sandbox routes). */
  public static JsonObject rental(Rental r) {
    JsonArray sms = new JsonArray();
    r.sms().forEach(s -> sms.add(new JsonObject().put("sender", s.sender()).put("text", s.text()).put("code", s.code())
        .put("receivedAt", Views.isoInstant(s.receivedAt()))));
    JsonArray extensions = new JsonArray();
    r.extensions().forEach(e -> extensions.add(new JsonObject().put("id", e.id()).put("hours", e.hours())
        .put("price", Money.format(e.price())).put("createdAt", Views.isoInstant(e.createdAt()))));
    return new JsonObject()
        .put("id", r.id())
        .put("state", r.state().name())
        .put("service", r.serviceCode())
        .put("anyService", r.service() == null)
        .put("country", r.country())
        .put("phone", r.phone())
        .put("hours", r.hours())
        .put("hourlyPrice", Money.format(r.hourlyPrice()))
        .put("price", Money.format(r.price()))
        .put("totalPrice", Money.format(r.totalPrice()))
        .put("currency", "USD")
        .put("createdAt", Views.time(r.createdAt()))
        .put("startsAt", Views.time(r.startsAt()))
        .put("endsAt", r.state() == RentalState.ALLOCATING ? null : Views.time(r.endsAt()))
        .put("cancellableUntil", Views.time(r.cancelUntil()))
        .put("closedAt", Views.time(r.closedAt()))
        .put("closeReason", r.closeReason())
        .put("webhookUrl", r.webhookUrl())
        .put("channel", r.channel().dbValue())
        .put("policy", r.policy() == null ? null : new JsonObject().put("id", r.policy().id()).put("version", r.policy().version()))
        .put("extensions", extensions)
        .put("sms", sms);
  }

  /** The same shape as {@code GET /v1/activations/{id}/refund}. */
  static JsonObject refundPosition(RentalRefunds.Position p) {
    return PolicyViews.refundPosition(p.rental().id(), "rental", p.rental().state().name(), p.policy(), p.refunded(),
        p.decision());
  }
}
