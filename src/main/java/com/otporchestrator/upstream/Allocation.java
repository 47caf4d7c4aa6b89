package com.otporchestrator.upstream;

import java.time.Instant;

/** A number the supplier gave us. {@code expiresAt} is the supplier's own end time when it tells one, else null. */
public record Allocation(String providerActivationId, String phone, Instant expiresAt) {}
