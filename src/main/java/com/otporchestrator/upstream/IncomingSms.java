package com.otporchestrator.upstream;

import java.time.Instant;

/**
 * One SMS as a supplier reported it. {@code providerSmsId} is null when the protocol has no id (we
 * then deduplicate on a content hash); {@code code} is null when the supplier did not extract one.
 */
public record IncomingSms(String providerSmsId, String sender, String text, String code, Instant receivedAt) {}
