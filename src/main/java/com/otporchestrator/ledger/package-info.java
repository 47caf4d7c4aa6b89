/**
 * The ledger room: the only code that writes {@code ledger_entries} and {@code wallets}. Features append its posting
 * fragments ({@link com.otporchestrator.ledger.Postings}) to their own guarded transitions, so every money move stays
 * one statement; its fragments lock the wallets in one order (account id, after the feature's own rows); its invariants
 * ({@link com.otporchestrator.ledger.Invariants}) say whether the books balance. It imports no feature.
 */
package com.otporchestrator.ledger;
