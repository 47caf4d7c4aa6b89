package com.otporchestrator.upstream;

/** Stock of one (service, country, operator) at a supplier; cost is null when the protocol does not say. */
public record StockLine(String service, int country, String operator, int count, Long costMicros) {}
