package com.otporchestrator.webhook;

import com.otporchestrator.api.Views;
import io.vertx.core.json.JsonObject;

/** JSON shapes of an account's webhook endpoint and of its delivery log. */
final class WebhookViews {
  private WebhookViews() {}

  static JsonObject endpoint(WebhookRepository.Endpoint e) {
    return new JsonObject().put("url", e.url()).put("secret", e.secret())
        .put("signature", "Standard Webhooks: webhook-signature: v1,base64(HMAC-SHA256(base64decode(secret without whsec_),"
            + " webhook-id + \".\" + webhook-timestamp + \".\" + body))")
        .put("updatedAt", Views.time(e.updatedAt()));
  }

  static JsonObject delivery(WebhookRepository.Delivery d) {
    return new JsonObject()
        .put("id", d.id())
        .put("eventId", "evt_" + d.eventId())
        .put("orderId", d.orderId())
        .put("attempt", d.attempt())
        .put("url", d.url())
        .put("statusCode", d.statusCode())
        .put("error", d.error())
        .put("durationMs", d.durationMs())
        .put("attemptedAt", Views.time(d.attemptedAt()))
        .put("eventState", d.eventState());
  }
}
