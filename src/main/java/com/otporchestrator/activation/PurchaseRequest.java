package com.otporchestrator.activation;

import java.util.List;

/**
 * A customer's order for one number; {@code maxPrice} is null when the customer set no ceiling,
 * {@code webhookUrl} (already validated) is null when the account's webhook URL applies. {@code reuse} is null, or
 * the number (and its supplier) the order must be on: a reactivation or an additional service.
 */
public record PurchaseRequest(String service, int country, Long maxPrice, String operator, List<String> excludedPrefixes,
                              String webhookUrl, Reuse reuse) {

  public PurchaseRequest(String service, int country, Long maxPrice, String operator, List<String> excludedPrefixes,
                         String webhookUrl) {
    this(service, country, maxPrice, operator, excludedPrefixes, webhookUrl, null);
  }

  /** The number a new order must be on: {@code phone} at supplier {@code providerId}, as held by order {@code fromOrder}. */
  public record Reuse(long fromOrder, String providerId, String phone) {}
}
