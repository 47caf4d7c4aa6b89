package com.otporchestrator.timer;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the timers of a feature's rows in line with the rows, after any change: reads where each row stands in
 * PostgreSQL (the feature's own query), schedules the timers it should have now and cancels the one it no longer
 * needs. It never fails its caller: what it could not schedule, the PostgreSQL sweep finds ({@link SweepSource}).
 */
public final class TimerSync {
  private static final Logger LOG = LoggerFactory.getLogger(TimerSync.class);

  /** Where one row stands: the timers it should have now, and whether its timer of the sync's kind is done. */
  public record Due(long id, List<Timer> timers, boolean done) {}

  private final TimerService timers;
  private final TimerKind doneKind;
  private final String rows;
  private final Function<List<Long>, Future<List<Due>>> read;

  /**
   * @param doneKind the kind cancelled for a row that is {@link Due#done()}
   * @param rows what the rows are, for the log ("orders", "rentals")
   * @param read where the given rows stand
   */
  public TimerSync(TimerService timers, TimerKind doneKind, String rows, Function<List<Long>, Future<List<Due>>> read) {
    this.timers = timers;
    this.doneKind = doneKind;
    this.rows = rows;
    this.read = read;
  }

  public Future<Void> sync(long id) {
    return syncAll(List.of(id));
  }

  public Future<Void> syncAll(List<Long> ids) {
    if (ids.isEmpty()) return Future.succeededFuture();
    return read.apply(ids).compose(states -> {
      List<Timer> due = new ArrayList<>();
      List<Long> done = new ArrayList<>();
      for (Due s : states) {
        due.addAll(s.timers());
        if (s.done()) done.add(s.id());
      }
      return Future.all(timers.scheduleAll(due), timers.cancelAll(doneKind, done)).<Void>mapEmpty();
    }).recover(error -> {
      LOG.warn("could not schedule timers of {} {}; the sweep will catch them: {}", ids.size(), rows, error.toString());
      return Future.succeededFuture();
    });
  }

  /** Schedules deadlines known without reading their rows (the statement that set them answered them). */
  public Future<Void> scheduleAll(List<Timer> due) {
    return timers.scheduleAll(due).recover(error -> {
      LOG.warn("could not schedule {} timers of {}; the sweep will catch them: {}", due.size(), rows, error.toString());
      return Future.succeededFuture();
    });
  }

  /** Schedules a deadline known without reading its row (a watchdog, the end of a window just opened). */
  public Future<Void> schedule(Timer timer) {
    return timers.schedule(timer).recover(error -> {
      LOG.warn("could not schedule the {} timer of {}; the sweep will catch it: {}", timer.kind(), timer.id(), error.toString());
      return Future.succeededFuture();
    });
  }
}
