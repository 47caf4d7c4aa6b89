package com.otporchestrator.wallet;

import java.time.OffsetDateTime;

/**
 * A ledger row with the order it belongs to, if any (the order fields are null otherwise): {@code orderKind} activation,
 * rental or rental_extension; for rentals the rental's id and the period the entry's order pays for (null until the
 * rental got its number).
 */
public record HistoryEntry(LedgerEntry entry, String service, Integer country, String orderState, String orderKind,
                           Long rentalId, OffsetDateTime periodStart, OffsetDateTime periodEnd) {}
