package com.otporchestrator.delivery;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Delivery rates: orders that received a code / orders that ended, per service, country and supplier, over the last
 * {@link #WINDOW_HOURS} hours (docs/routing-and-outages.md, "Delivery rates"). Kept by {@link #refresh}, a batched job:
 * the order statements themselves are untouched, so buying and expiring pay nothing but one index entry per close.
 */
public final class DeliveryRates {
  /** The rolling window: a week of hourly buckets. */
  public static final int WINDOW_HOURS = 168;
  /** How long after a close it is counted: longer than any transaction that closes orders stays open. */
  public static final Duration LAG = Duration.ofSeconds(30);
  /** Folds per refresh: each takes at most an hour of closes, so a platform that was down catches up in a few runs. */
  private static final int MAX_FOLDS = 24;

  private final Pool pool;
  private volatile Runnable onChange = () -> {};

  public DeliveryRates(Pool pool) {
    this.pool = pool;
  }

  /** Who is told that the rates were re-summed (routing weighs offers with them: the offers cache). */
  public void onChange(Runnable listener) {
    this.onChange = listener;
  }

  /** One (service, country[, supplier]) line: its counts over the window. */
  public record Rate(String service, int country, String providerId, long delivered, long ended) {
    /** delivered / ended; null before anything ended. */
    public Double rate() {
      return ended == 0 ? null : (double) delivered / ended;
    }
  }

  /** Folds the closes older than {@code lag} into the buckets, then re-sums the window. Answers how many were folded. */
  public Future<Long> refresh(Duration lag) {
    return fold(lag, 0, 0L).compose(folded -> pool.preparedQuery(DeliverySql.RESUM).execute(Tuple.of(WINDOW_HOURS))
        .map(resummed -> {
          if (folded > 0) onChange.run();
          return folded;
        }));
  }

  private Future<Long> fold(Duration lag, int run, long total) {
    return pool.withTransaction(conn -> conn.preparedQuery(DeliverySql.FOLD).execute(Tuple.of(lag.toMillis())))
        .compose(rows -> {
          Row row = rows.iterator().next();
          long folded = total + row.getLong("folded");
          boolean caughtUp = !Boolean.FALSE.equals(row.getBoolean("caught_up"));
          return !caughtUp && run + 1 < MAX_FOLDS ? fold(lag, run + 1, folded) : Future.succeededFuture(folded);
        });
  }

  /** Per (service, country), over every supplier; either filter may be null. */
  public Future<List<Rate>> byPair(String service, Integer country) {
    return pool.preparedQuery(DeliverySql.BY_PAIR).execute(Tuple.of(service, country)).map(rows -> {
      List<Rate> list = new ArrayList<>(rows.size());
      for (Row r : rows) {
        list.add(new Rate(r.getString("service"), r.getInteger("country"), null, r.getLong("delivered"), r.getLong("ended")));
      }
      return list;
    });
  }

  /** Per (service, country, supplier); every filter may be null. */
  public Future<List<Rate>> bySupplier(String service, Integer country, String providerId) {
    return pool.preparedQuery(DeliverySql.BY_SUPPLIER).execute(Tuple.of(service, country, providerId)).map(rows -> {
      List<Rate> list = new ArrayList<>(rows.size());
      for (Row r : rows) {
        list.add(new Rate(r.getString("service"), r.getInteger("country"), r.getString("provider_id"),
            r.getLong("delivered"), r.getLong("ended")));
      }
      return list;
    });
  }
}
