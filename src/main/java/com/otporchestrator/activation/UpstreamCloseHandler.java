package com.otporchestrator.activation;

import com.otporchestrator.order.CloseRetries;
import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerHandler;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.timer.TimerService;
import com.otporchestrator.upstream.CloseOutcome;
import com.otporchestrator.upstream.Provider;
import com.otporchestrator.routing.ProviderRegistry;
import com.otporchestrator.store.GroupedStatement;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes finished orders with their supplier (finish when a code was delivered, cancel otherwise),
 * retried as every order's close is ({@link CloseRetries}); a supplier's "too early" waits for the
 * activation's minimum age without spending an attempt.
 */
public final class UpstreamCloseHandler implements TimerHandler {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamCloseHandler.class);
  static final int MAX_CLOSES_PER_STATEMENT = 1_000;

  private final Pool pool;
  private final ProviderRegistry providers;
  private final TimerService timers;
  private final ActivationTimers activationTimers;
  /**
   * The closes suppliers confirmed, written together rather than one statement and commit each: at 2,000 expiries a
   * second (the steady benchmark) as many closes a second run beside the refunds, on the same timer connections.
   */
  private final GroupedStatement closed;

  public UpstreamCloseHandler(Pool pool, ProviderRegistry providers, TimerService timers, ActivationTimers activationTimers) {
    this.pool = pool;
    this.providers = providers;
    this.timers = timers;
    this.activationTimers = activationTimers;
    this.closed = new GroupedStatement(pool, UpstreamSql.CLOSED, MAX_CLOSES_PER_STATEMENT);
  }

  @Override
  public Future<Void> fire(List<Long> ids) {
    return Future.all(fireEach(ids)).mapEmpty();
  }

  /** Each order's close completes on its own, so a supplier that hangs holds back only its own orders' timers. */
  @Override
  public List<Future<Void>> fireEach(List<Long> ids) {
    return CloseRetries.closeEach(ids, pool.preparedQuery(UpstreamSql.CLOSE_CANDIDATES).execute(Tuple.of((Object) ids.toArray(Long[]::new))),
        this::close, activationTimers::syncAll);
  }

  private Future<Void> close(Row row) {
    long id = row.getLong("id");
    int attempts = row.getInteger("upstream_attempts");
    Provider provider = providers.get(row.getString("provider_id")).orElse(null);
    if (provider == null) return retry(id, attempts, CloseRetries.UNCONFIGURED, "supplier is not configured");
    boolean codeDelivered = "FINISHED".equals(row.getString("state"));
    return CloseRetries.close(provider, row.getString("provider_activation_id"), codeDelivered)
        .compose(outcome -> switch (outcome) {
          case CloseOutcome.Closed done -> closed.add(id);
          case CloseOutcome.Refused refused -> refuse(id, refused.reason());
          case CloseOutcome.RetryLater later -> retry(id, attempts, later.after(), later.reason());
          case CloseOutcome.TooEarly early -> early.minimumAge().toMillis() <= row.getLong("age_ms")
              ? retry(id, attempts, Duration.ZERO, "still " + early.reason()) // old enough: a real refusal, backed off
              : notBefore(id, early);
        });
  }

  private Future<Void> retry(long id, int attempts, Duration hint, String reason) {
    if (CloseRetries.exhausted(attempts)) return refuse(id, CloseRetries.gaveUp(reason));
    Tuple args = Tuple.of(id, CloseRetries.delayMillis(attempts, hint), CloseRetries.note(reason));
    return pool.preparedQuery(UpstreamSql.RETRY_CLOSE).execute(args).compose(rows -> {
      if (rows.size() == 0) return Future.succeededFuture();
      return timers.schedule(new Timer(TimerKind.CLOSE, id, rows.iterator().next().getLong("next_ms")));
    });
  }

  /** Too early for the supplier: ask again when the activation reaches its minimum age, spending no attempt. */
  private Future<Void> notBefore(long id, CloseOutcome.TooEarly early) {
    Tuple args = Tuple.of(id, early.minimumAge().toMillis(), CloseRetries.note("too early: " + early.reason()));
    return pool.preparedQuery(UpstreamSql.CLOSE_NOT_BEFORE).execute(args).compose(rows -> rows.size() == 0
        ? Future.succeededFuture()
        : timers.schedule(new Timer(TimerKind.CLOSE, id, rows.iterator().next().getLong("next_ms"))));
  }

  private Future<Void> refuse(long id, String reason) {
    LOG.warn("supplier refused to close order {}: {}", id, reason);
    return update(UpstreamSql.CLOSE_REFUSED, Tuple.of(id, CloseRetries.note(reason)));
  }

  private Future<Void> update(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).mapEmpty();
  }
}
