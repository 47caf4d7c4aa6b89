/**
 * The order machinery activations and rentals share, kept here so that neither copies the other: what a failed
 * allocation means for the order and its customer ({@link com.otporchestrator.order.AllocationFailure}), how an SMS is
 * stored on an order ({@link com.otporchestrator.order.StoredSms}, {@link com.otporchestrator.order.CodeExtractor}),
 * and how a close with the supplier is retried ({@link com.otporchestrator.order.CloseRetries}). Their money is the
 * ledger's ({@code com.otporchestrator.ledger}), their timers' upkeep the timer engine's
 * ({@code com.otporchestrator.timer.TimerSync}).
 *
 * <p>What differs stays in the features: an activation is quoted across suppliers and fails over, its holds are
 * coalesced per wallet, its refunds may be held for review, it is closed by its own timer kinds (expire, close, poll)
 * and announced on push channels; a rental has one supplier, policy-bound lengths, extensions that are orders of their
 * own, and one timer for its end and its close.
 */
package com.otporchestrator.order;
