package com.otporchestrator.catalog;

/** One supplier's offer for a (service, country): our price, the supplier's payout, its stock. */
public record Offer(String service, int country, String providerId, long price, long cost, int stock) {}
