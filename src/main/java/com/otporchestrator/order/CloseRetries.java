package com.otporchestrator.order;

import com.otporchestrator.upstream.CloseOutcome;
import com.otporchestrator.upstream.Provider;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.time.Duration;

/**
 * How an order that closed here is closed with its supplier, for activations and rentals alike: an error (unreachable,
 * timed out) is an attempt to retry, never a failure; retries back off exponentially (5 s, doubling, at most 30 min,
 * never sooner than the supplier asks); after {@link #MAX_ATTEMPTS} the close is recorded as refused: what the supplier
 * keeps is our cost, never the customer's. The feature keeps its own rows and what a refusal means for them.
 */
public final class CloseRetries {
  public static final int MAX_ATTEMPTS = 12;
  /** A supplier that is not configured (any more) is asked again this much later. */
  public static final Duration UNCONFIGURED = Duration.ofMinutes(5);
  private static final long BASE_BACKOFF_MS = 5_000;
  private static final long MAX_BACKOFF_MS = 30 * 60_000;
  private static final int MAX_NOTE = 500;

  private CloseRetries() {}

  /**
   * A close timer batch, one completion per order ({@code TimerHandler.fireEach}): each order {@code candidates} answers
   * (the ones due to close now, with an {@code id} column) is closed on its own by {@code close}, so a supplier that hangs
   * holds back only its own orders; the ids it does not answer are handed to {@code resync} together.
   */
  public static List<Future<Void>> closeEach(List<Long> ids, Future<RowSet<Row>> candidates,
                                             Function<Row, Future<Void>> close, Function<List<Long>, Future<Void>> resync) {
    Map<Long, Promise<Void>> each = new LinkedHashMap<>();
    ids.forEach(id -> each.put(id, Promise.promise()));
    candidates
        .onFailure(error -> each.values().forEach(p -> p.tryFail(error)))
        .onSuccess(rows -> {
          Set<Long> handled = new HashSet<>();
          for (Row row : rows) {
            long id = row.getLong("id");
            handled.add(id);
            close.apply(row).onComplete(each.get(id));
          }
          List<Long> notDue = ids.stream().filter(id -> !handled.contains(id)).toList();
          resync.apply(notDue).onComplete(done -> notDue.forEach(id -> each.get(id).tryComplete()));
        });
    return ids.stream().map(id -> each.get(id).future()).toList();
  }

  /** Asks the supplier to close; an error comes back as a {@link CloseOutcome.RetryLater} with no delay of its own. */
  public static Future<CloseOutcome> close(Provider provider, String providerOrderId, boolean used) {
    return provider.close(providerOrderId, used)
        .recover(error -> Future.succeededFuture(new CloseOutcome.RetryLater(Duration.ZERO, error.toString())));
  }

  /** True when {@code attempts} failed attempts leave no room for another: give up, as refused. */
  public static boolean exhausted(int attempts) {
    return attempts + 1 >= MAX_ATTEMPTS;
  }

  /** Why the close was given up, after {@link #exhausted}. */
  public static String gaveUp(String reason) {
    return "gave up after " + MAX_ATTEMPTS + " attempts: " + reason;
  }

  /** How long to wait after {@code attempts} failed attempts: the backoff, or the supplier's hint if longer. */
  public static long delayMillis(int attempts, Duration hint) {
    long backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(attempts, 20));
    return Math.max(backoff, hint.toMillis());
  }

  /** A supplier's reason as stored on the order's row. */
  public static String note(String reason) {
    return reason == null || reason.length() <= MAX_NOTE ? reason : reason.substring(0, MAX_NOTE);
  }
}
