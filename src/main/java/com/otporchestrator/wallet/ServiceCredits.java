package com.otporchestrator.wallet;

import com.otporchestrator.common.DomainException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Service credits an operator grants at their discretion for an outage: each credit is tied to one closed order and
 * capped at that order's price ("Compensation is limited to the value of directly affected transactions"), and an order
 * is credited at most once, ever. Under a declared outage only the orders of its scope and time range are credited;
 * an order whose policy gives credits for outages only ({@code wallet.serviceCredits.outagesOnly}) needs one.
 */
public final class ServiceCredits {
  private final Pool pool;

  public ServiceCredits(Pool pool) {
    this.pool = pool;
  }

  public record Line(long orderId, long amount) {}

  /**
   * @param credited micro-USD credited (0 when skipped)
   * @param skipped why nothing was credited: {@code unknown_order}, {@code order_open}, {@code outside_outage} (not in
   *     the outage's scope or time range), {@code outage_required} (its policy credits outages only),
   *     {@code already_credited}
   */
  public record Outcome(long orderId, long credited, boolean capped, String skipped) {}

  public record Grant(long creditId, List<Outcome> outcomes) {}

  /** @param outageId the declared outage the credit is for, or null */
  public Future<Grant> grant(String reason, String outageRef, Long outageId, String grantedBy, List<Line> lines) {
    Long[] orders = lines.stream().map(Line::orderId).toArray(Long[]::new);
    Long[] amounts = lines.stream().map(Line::amount).toArray(Long[]::new);
    return confirmed(outageId).compose(v -> pool.preparedQuery(WalletOpsSql.GRANT_CREDIT)
        .execute(Tuple.of(reason, outageRef, grantedBy, orders, amounts, outageId))).map(rows -> {
          long creditId = 0;
          List<Outcome> outcomes = new ArrayList<>();
          for (Row r : rows) {
            creditId = r.getLong("credit_id");
            Long credited = r.getLong("credited");
            String skipped = credited != null ? null
                : !r.getBoolean("order_exists") ? "unknown_order"
                : !r.getBoolean("order_closed") ? "order_open"
                : outageId != null && !r.getBoolean("affected") ? "outside_outage"
                : outageId == null && r.getBoolean("outages_only") ? "outage_required" : "already_credited";
            outcomes.add(new Outcome(r.getLong("order_id"), credited == null ? 0 : credited,
                credited != null && Boolean.TRUE.equals(r.getBoolean("capped")), skipped));
          }
          return new Grant(creditId, outcomes);
        });
  }

  /** An outage credits are granted under must exist and have been confirmed (declared, or a suspicion confirmed). */
  private Future<Void> confirmed(Long outageId) {
    if (outageId == null) return Future.succeededFuture();
    return pool.preparedQuery(WalletOpsSql.OUTAGE_STATE).execute(Tuple.of(outageId)).compose(rows -> {
      if (rows.size() == 0) return Future.failedFuture(DomainException.notFound("outage " + outageId + " does not exist"));
      String state = rows.iterator().next().getString("state");
      if (state.equals("REFUNDING") || state.equals("DONE")) return Future.succeededFuture();
      return Future.failedFuture(new DomainException(DomainException.Kind.INVALID_STATE, "outage " + outageId + " is "
          + state.toLowerCase() + "; credits are granted under a confirmed outage",
          new io.vertx.core.json.JsonObject().put("state", state)));
    });
  }
}
