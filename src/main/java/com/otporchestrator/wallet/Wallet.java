package com.otporchestrator.wallet;

/** A wallet's spendable balance and the amount reserved by open orders, in micro-USD. */
public record Wallet(long balance, long held) {}
