package com.otporchestrator.timer;

import io.vertx.core.Future;
import java.util.List;

/**
 * Applies a batch of fired timers of one kind. Delivery is at least once: the handler must be
 * idempotent (a PostgreSQL state transition decides), and must itself re-schedule any id it finds
 * not yet due. A failed Future leaves the batch leased, so the reaper re-queues it after the lease.
 */
@FunctionalInterface
public interface TimerHandler {
  Future<Void> fire(List<Long> ids);
}
