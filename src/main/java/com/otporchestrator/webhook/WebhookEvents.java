package com.otporchestrator.webhook;

import java.util.Map;
import java.util.TreeMap;

/**
 * The catalogue of webhook events: every type we send, with when. The outbox table takes any dotted lower-case type,
 * so adding an event is: write its row in the statement (or trigger) that makes the change, add it here, and document
 * its payload in docs/api.md ("Webhook events"); WebhookEventCatalogueTest fails when these three drift.
 */
public final class WebhookEvents {
  public static final Map<String, String> TYPES = new TreeMap<>(Map.ofEntries(
      Map.entry("activation.sms", "an SMS reached an activation (its state becomes or stays CODE_RECEIVED)"),
      Map.entry("activation.waiting_code", "the supplier gave the number: the activation waits for its code"),
      Map.entry("activation.waiting_retry", "the customer asked for another code on the same number"),
      Map.entry("activation.finished", "the code was confirmed, or the window ended after a code: the price is captured"),
      Map.entry("activation.cancelled", "cancelled by the customer, the supplier or an outage: refunded"),
      Map.entry("activation.expired", "the window ended without a code: refunded"),
      Map.entry("activation.failed", "no supplier gave a number: the hold is voided"),
      Map.entry("activation.refunded", "refunded because of an outage (with activation.cancelled)"),
      Map.entry("rental.sms", "an SMS reached a rented number (the family's rent webhook, to the rental's own URL)"),
      Map.entry("rental.active", "the supplier gave the rented number"),
      Map.entry("rental.finished", "the customer ended the rental early: captured"),
      Map.entry("rental.ended", "the rental reached its end: captured"),
      Map.entry("rental.cancelled", "cancelled inside the cancel window: refunded"),
      Map.entry("rental.failed", "no supplier gave a number: the hold is voided"),
      Map.entry("policy.changed", "a different refund policy version applies to new orders (to every account's URL)")));

  private WebhookEvents() {}
}
