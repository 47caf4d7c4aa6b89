package com.otporchestrator.timer;

import io.vertx.core.Future;
import java.util.Collections;
import java.util.List;

/**
 * Applies a batch of fired timers of one kind. Delivery is at least once: the handler must be
 * idempotent (a PostgreSQL state transition decides), and must itself re-schedule any id it finds
 * not yet due. A timer whose work failed, or had not finished by the batch deadline, goes back to
 * the due set and fires again.
 */
@FunctionalInterface
public interface TimerHandler {
  Future<Void> fire(List<Long> ids);

  /**
   * Fires the batch, answering one completion per id, in the order of {@code ids}. The engine settles a batch per
   * timer: at the batch deadline the timers already done stay done and only the others go back. By default the batch
   * is one unit (every id completes with the whole); a handler whose ids finish independently (each a call to another
   * service) answers them one by one.
   */
  default List<Future<Void>> fireEach(List<Long> ids) {
    return Collections.nCopies(ids.size(), fire(ids));
  }
}
