package com.otporchestrator.policy;

import java.time.OffsetDateTime;

/** A stored version's bookkeeping: who published it and when, and the hash of its document. */
public record PublishedPolicy(String id, int version, String sha256, OffsetDateTime publishedAt, String publishedBy) {}
