package com.otporchestrator.wallet;

/** A ledger row with the order it belongs to, if any (service, country and state are null otherwise). */
public record HistoryEntry(LedgerEntry entry, String service, Integer country, String orderState) {}
