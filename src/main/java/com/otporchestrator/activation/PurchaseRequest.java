package com.otporchestrator.activation;

import java.util.List;

/**
 * A customer's order for one number; {@code maxPrice} is null when the customer set no ceiling,
 * {@code webhookUrl} (already validated) is null when the account's webhook URL applies.
 */
public record PurchaseRequest(String service, int country, Long maxPrice, String operator, List<String> excludedPrefixes,
                              String webhookUrl) {}
