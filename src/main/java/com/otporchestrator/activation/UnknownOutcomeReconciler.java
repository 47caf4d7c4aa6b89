package com.otporchestrator.activation;

import com.otporchestrator.upstream.Provider;
import com.otporchestrator.routing.ProviderRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purchases whose supplier outcome was unknown were refunded at once and never retried. This job
 * asks each such supplier which activations it holds open, and cancels the ones we do not know
 * (an orphan must be seen on two consecutive passes, so an allocation still being recorded is
 * never cancelled). Suppliers that cannot list their activations are marked reconciled as is.
 */
public final class UnknownOutcomeReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(UnknownOutcomeReconciler.class);

  private final Pool pool;
  private final ProviderRegistry providers;
  private Set<String> orphansSeenBefore = Set.of();

  public UnknownOutcomeReconciler(Pool pool, ProviderRegistry providers) {
    this.pool = pool;
    this.providers = providers;
  }

  public Future<Void> run() {
    return pool.query(UpstreamSql.PROVIDERS_WITH_UNKNOWN).execute().compose(rows -> {
      Future<Void> all = Future.succeededFuture();
      for (Row row : rows) {
        String providerId = row.getString("provider_id");
        all = all.compose(v -> reconcile(providerId).recover(error -> {
          LOG.warn("reconciling supplier {} failed, will retry: {}", providerId, error.toString());
          return Future.succeededFuture();
        }));
      }
      return all;
    });
  }

  private Future<Void> reconcile(String providerId) {
    Provider provider = providers.get(providerId).orElse(null);
    if (provider == null) return Future.succeededFuture();
    return pool.query("SELECT now() AS now").execute().map(r -> r.iterator().next().getOffsetDateTime("now"))
        .compose(cutoff -> provider.openActivationIds()
            .compose(open -> cancelOrphans(providerId, provider, open))
            .compose(awaitingConfirmation -> awaitingConfirmation ? Future.succeededFuture()
                : markReconciled(providerId, "supplier's open activations checked", cutoff))
            .recover(error -> error instanceof UnsupportedOperationException
                ? markReconciled(providerId, "supplier cannot list open activations", cutoff)
                : Future.failedFuture(error)));
  }

  /** Answers true while some orphan was seen only once and must be confirmed on the next pass. */
  private Future<Boolean> cancelOrphans(String providerId, Provider provider, List<String> open) {
    if (open.isEmpty()) return Future.succeededFuture(false);
    return pool.preparedQuery(UpstreamSql.KNOWN_REFERENCES).execute(Tuple.of(providerId, open.toArray(String[]::new)))
        .compose(rows -> {
          Set<String> orphans = new HashSet<>(open);
          rows.forEach(row -> orphans.remove(row.getString("provider_activation_id")));
          List<String> confirmed = orphans.stream().filter(o -> orphansSeenBefore.contains(providerId + ":" + o)).toList();
          orphansSeenBefore = orphans.stream().map(o -> providerId + ":" + o).collect(java.util.stream.Collectors.toSet());
          List<Future<?>> closes = new ArrayList<>();
          for (String orphan : confirmed) {
            LOG.warn("cancelling orphan activation {} at supplier {}", orphan, providerId);
            closes.add(provider.close(orphan, false));
          }
          boolean awaiting = confirmed.size() < orphans.size();
          return Future.join(closes).map(awaiting);
        });
  }

  private Future<Void> markReconciled(String providerId, String note, OffsetDateTime cutoff) {
    return pool.preparedQuery(UpstreamSql.MARK_RECONCILED).execute(Tuple.of(providerId, note, cutoff)).mapEmpty();
  }
}
