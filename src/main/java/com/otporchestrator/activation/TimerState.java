package com.otporchestrator.activation;

/** Where an order's timers should stand, read from PostgreSQL after a change. */
record TimerState(long id, ActivationState state, String upstreamState, long expiresMillis, Long upstreamNextMillis,
                  boolean polled) {}
