package com.otporchestrator.activation;

import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerHandler;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.timer.TimerService;
import com.otporchestrator.upstream.IncomingSms;
import com.otporchestrator.upstream.PollResult;
import com.otporchestrator.upstream.Provider;
import com.otporchestrator.routing.ProviderRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls suppliers that do not push: soon after purchase, then backing off, until the order closes.
 * Every SMS seen goes through {@link SmsDelivery}, the same path as pushed ones.
 */
public final class UpstreamPollHandler implements TimerHandler {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamPollHandler.class);
  private final Pool pool;
  private final ProviderRegistry providers;
  private final SmsDelivery delivery;
  private final ActivationRepository activations;
  private final TimerService timers;

  public UpstreamPollHandler(Pool pool, ProviderRegistry providers, SmsDelivery delivery,
                             ActivationRepository activations, TimerService timers) {
    this.pool = pool;
    this.providers = providers;
    this.delivery = delivery;
    this.activations = activations;
    this.timers = timers;
  }

  @Override
  public Future<Void> fire(List<Long> ids) {
    return pool.preparedQuery(UpstreamSql.POLL_CANDIDATES).execute(Tuple.of((Object) ids.toArray(Long[]::new)))
        .compose(rows -> {
          List<Future<Void>> polls = new ArrayList<>(rows.size());
          for (Row row : rows) polls.add(poll(row));
          return Future.join(polls).mapEmpty();
        });
  }

  private Future<Void> poll(Row row) {
    long id = row.getLong("id");
    String providerId = row.getString("provider_id");
    Provider provider = providers.get(providerId).orElse(null);
    if (provider == null) return scheduleNext(id, row.getOffsetDateTime("created_at"));
    return provider.poll(row.getString("provider_activation_id"))
        .compose(result -> apply(id, providerId, row.getString("state"), result))
        .recover(error -> {
          LOG.warn("poll of order {} at {} failed, polling again later: {}", id, providerId, error.toString());
          return Future.succeededFuture();
        })
        .compose(v -> scheduleNext(id, row.getOffsetDateTime("created_at")));
  }

  private Future<Void> apply(long id, String providerId, String state, PollResult result) {
    Future<Void> delivered = Future.succeededFuture();
    for (IncomingSms sms : result.messages()) {
      delivered = delivered.compose(v -> delivery.toOrder(id, providerId, sms).mapEmpty());
    }
    if (result.status() == PollResult.UpstreamStatus.CLOSED && result.messages().isEmpty() && "WAITING_CODE".equals(state)) {
      delivered = delivered.compose(v -> activations.closeByUpstream(id, "the supplier closed the number"))
          .compose(closed -> {
            if (closed) delivery.announceChange(id);
            return Future.<Void>succeededFuture();
          });
    }
    return delivered;
  }

  /** Polls every 3 s in the first minute, every 5 s up to five minutes, then every 10 s. */
  private Future<Void> scheduleNext(long id, OffsetDateTime createdAt) {
    long age = Duration.between(createdAt, OffsetDateTime.now()).toMillis();
    long every = age < 60_000 ? 3_000 : age < 300_000 ? 5_000 : 10_000;
    return timers.schedule(new Timer(TimerKind.POLL, id, System.currentTimeMillis() + every));
  }
}
