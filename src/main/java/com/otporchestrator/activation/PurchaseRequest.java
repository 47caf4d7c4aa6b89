package com.otporchestrator.activation;

import com.otporchestrator.order.Channel;
import java.util.List;
import java.util.Objects;

/**
 * A customer's order for one number; {@code maxPrice} is null when the customer set no ceiling,
 * {@code webhookUrl} (already validated) is null when the account's webhook URL applies, {@code channel} how it was
 * placed (the JSON API, the compatible API, the web console): the order records it. {@code reuse} is null, or the
 * number (and its supplier) the order must be on: a reactivation or an additional service. {@code clientAddress} is the
 * address the customer bought from (abuse controls count accounts per address), null when unknown.
 */
public record PurchaseRequest(String service, int country, Long maxPrice, String operator, List<String> excludedPrefixes,
                              String webhookUrl, Channel channel, Reuse reuse, String clientAddress) {
  public PurchaseRequest {
    Objects.requireNonNull(channel, "channel");
  }

  public PurchaseRequest(String service, int country, Long maxPrice, String operator, List<String> excludedPrefixes,
                         String webhookUrl, Channel channel) {
    this(service, country, maxPrice, operator, excludedPrefixes, webhookUrl, channel, null, null);
  }

  public PurchaseRequest(String service, int country, Long maxPrice, String operator, List<String> excludedPrefixes,
                         String webhookUrl, Channel channel, Reuse reuse) {
    this(service, country, maxPrice, operator, excludedPrefixes, webhookUrl, channel, reuse, null);
  }

  /** The same request, placed from {@code address}. */
  public PurchaseRequest from(String address) {
    return new PurchaseRequest(service, country, maxPrice, operator, excludedPrefixes, webhookUrl, channel, reuse, address);
  }

  /** The number a new order must be on: {@code phone} at supplier {@code providerId}, as held by order {@code fromOrder}. */
  public record Reuse(long fromOrder, String providerId, String phone) {}
}
