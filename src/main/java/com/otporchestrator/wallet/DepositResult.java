package com.otporchestrator.wallet;

/** A credited top-up, or the replay of one already credited under the same reference. */
public record DepositResult(long entryId, boolean replayed, Wallet wallet) {}
