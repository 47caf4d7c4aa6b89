package com.otporchestrator.activation;

import com.otporchestrator.metrics.Meters;
import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.timer.TimerService;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Refunds the open orders of an outage's scope, one batch per transaction. Exactly once, however
 * many jobs run at once and however often an outage is declared: each order moves WAITING_CODE ->
 * CANCELLED in a guarded statement with its void (the ledger's one-resolution-per-order index backs
 * it up), and an order that got its SMS first is no longer WAITING_CODE. After the commit the
 * customers are told (push channels, webhooks) and the orders are closed with their suppliers.
 */
public final class ScopeRefunds {
  private final Pool pool;
  private final TimerService timers;
  private final ActivationTimers activationTimers;
  private final OrderEvents events;
  private final Meters meters;

  /** Which open orders an outage covers: each of provider, service, country null for "any". */
  public record Scope(String providerId, String service, Integer country, OffsetDateTime startsAt,
                      OffsetDateTime createdNoLaterThan) {}

  public ScopeRefunds(Pool pool, TimerService timers, ActivationTimers activationTimers, OrderEvents events, Meters meters) {
    this.pool = pool;
    this.timers = timers;
    this.activationTimers = activationTimers;
    this.events = events;
    this.meters = meters;
  }

  /** Refunds up to {@code limit} orders of the scope for outage {@code outageId}; answers their ids (empty: none left). */
  public Future<List<Long>> refundBatch(long outageId, Scope scope, int limit) {
    return pool.withTransaction(conn -> conn.preparedQuery(ScopeRefundSql.LOCK_SCOPE)
        .execute(Tuple.of(scope.providerId(), scope.service(), scope.country(), scope.createdNoLaterThan(),
            scope.startsAt(), limit))
        .compose(locked -> {
          if (locked.size() == 0) return Future.succeededFuture(new Batch(List.of(), List.of()));
          return conn.preparedQuery(ScopeRefundSql.REFUND_LOCKED).execute(Tuple.of(idsOf(locked).toArray(Long[]::new), outageId))
              .compose(closed -> {
                List<Long> refunded = idsOf(closed);
                return conn.preparedQuery(ScopeRefundSql.EVENTS_OF).execute(Tuple.of((Object) refunded.toArray(Long[]::new)))
                    .map(eventRows -> new Batch(refunded, idsOf(eventRows)));
              });
        }))
        .compose(this::afterCommit);
  }

  /** True while an order of the scope is still being bought (it will be refundable once it opens). */
  public Future<Boolean> allocatingInScope(Scope scope) {
    return pool.preparedQuery(ScopeRefundSql.ALLOCATING_IN_SCOPE)
        .execute(Tuple.of(scope.providerId(), scope.service(), scope.country(), scope.createdNoLaterThan()))
        .map(rows -> rows.iterator().next().getBoolean("found"));
  }

  private record Batch(List<Long> refunded, List<Long> webhookEvents) {}

  private Future<List<Long>> afterCommit(Batch batch) {
    if (batch.refunded().isEmpty()) return Future.succeededFuture(List.of());
    meters.refunds("outage", batch.refunded().size());
    events.changedAll(batch.refunded());
    long now = System.currentTimeMillis();
    List<Timer> posts = batch.webhookEvents().stream().map(id -> new Timer(TimerKind.WEBHOOK, id, now)).toList();
    Future<Void> webhooks = timers.scheduleAll(posts).recover(e -> Future.succeededFuture()); // the webhook sweep finds them
    return Future.join(webhooks, activationTimers.syncAll(batch.refunded())).map(batch.refunded());
  }

  private static List<Long> idsOf(RowSet<Row> rows) {
    List<Long> ids = new ArrayList<>(rows.size());
    rows.forEach(row -> ids.add(row.getLong("id")));
    return ids;
  }
}
