package com.otporchestrator.wallet;

import java.time.OffsetDateTime;

/** One immutable ledger row as the customer sees it. */
public record LedgerEntry(long id, Long orderId, String kind, long balanceDelta, long heldDelta,
                          String reference, OffsetDateTime createdAt) {}
