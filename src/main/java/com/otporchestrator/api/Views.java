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
        .put("webhookUrl", a.webhookUrl());
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
