package com.otporchestrator.wallet;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Service credits an operator grants at their discretion for an outage: each credit is tied to one closed order and
 * capped at that order's price, and an order is credited at most once, ever.
 */
public final class ServiceCredits {
  private final Pool pool;

  public ServiceCredits(Pool pool) {
    this.pool = pool;
  }

  public record Line(long orderId, long amount) {}

  /**
   * @param credited micro-USD credited (0 when skipped)
   * @param skipped why nothing was credited: {@code unknown_order}, {@code order_open}, {@code already_credited}
   */
  public record Outcome(long orderId, long credited, boolean capped, String skipped) {}

  public record Grant(long creditId, List<Outcome> outcomes) {}

  public Future<Grant> grant(String reason, String outageRef, String grantedBy, List<Line> lines) {
    Long[] orders = lines.stream().map(Line::orderId).toArray(Long[]::new);
    Long[] amounts = lines.stream().map(Line::amount).toArray(Long[]::new);
    return pool.preparedQuery(WalletOpsSql.GRANT_CREDIT)
        .execute(Tuple.of(reason, outageRef, grantedBy, orders, amounts)).map(rows -> {
          long creditId = 0;
          List<Outcome> outcomes = new ArrayList<>();
          for (Row r : rows) {
            creditId = r.getLong("credit_id");
            Long credited = r.getLong("credited");
            String skipped = credited != null ? null
                : !r.getBoolean("order_exists") ? "unknown_order"
                : !r.getBoolean("order_closed") ? "order_open" : "already_credited";
            outcomes.add(new Outcome(r.getLong("order_id"), credited == null ? 0 : credited,
                credited != null && Boolean.TRUE.equals(r.getBoolean("capped")), skipped));
          }
          return new Grant(creditId, outcomes);
        });
  }
}
