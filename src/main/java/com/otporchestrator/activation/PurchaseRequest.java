package com.otporchestrator.activation;

import com.otporchestrator.order.Channel;
import java.util.List;
import java.util.Objects;

/**
 * A customer's order for one number; {@code maxPrice} is null when the customer set no ceiling,
 * {@code webhookUrl} (already validated) is null when the account's webhook URL applies, {@code channel} how it was
 * placed (the JSON API, the compatible API, the web console): the order records it.
 */
public record PurchaseRequest(String service, int country, Long maxPrice, String operator, List<String> excludedPrefixes,
                              String webhookUrl, Channel channel) {
  public PurchaseRequest {
    Objects.requireNonNull(channel, "channel");
  }
}
