package com.otporchestrator.abuse;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.common.Money;
import com.otporchestrator.ledger.Postings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Refunds held for review (abuse consequence {@code hold_refunds}): an admin releases one (the void the order would
 * have had: the price goes back to the wallet) or denies it (a capture: the platform keeps the price). Either is one
 * statement: the guarded decision with the ledger's resolution appended ({@link Postings#RESOLVE}); the ledger's
 * one-resolution-per-order index is the second guard.
 */
public final class HeldRefunds {
  /** The guarded decision (once), then its money: releasing is the void the order did not get, denying a capture. */
  private static final String DECIDE = """
      WITH d AS (
        UPDATE held_refunds SET decision = $2, decided_at = now(), decided_by = $3, note = $4
         WHERE order_id = $1 AND decision IS NULL
        RETURNING order_id, account_id, price, decision
      ), to_resolve AS (
        SELECT order_id, account_id, price, decision = 'denied' AS capture FROM d
      )""" + Postings.RESOLVE + """

      SELECT order_id, account_id, price, decision FROM d""";

  private static final String LIST = """
      SELECT order_id, account_id, price, held_at, decision, decided_at, decided_by, note FROM held_refunds
       WHERE ($1::bigint IS NULL OR account_id = $1) AND ($2::boolean IS NULL OR (decision IS NULL) = $2)
         AND ($3::bigint IS NULL OR order_id < $3)
       ORDER BY order_id DESC LIMIT $4""";

  private final Pool pool;

  public HeldRefunds(Pool pool) {
    this.pool = pool;
  }

  /** @param release true: the customer gets the price back; false: the platform keeps it */
  public Future<JsonObject> decide(long orderId, boolean release, String admin, String note) {
    return pool.preparedQuery(DECIDE).execute(Tuple.of(orderId, release ? "released" : "denied", admin, note))
        .compose(rows -> {
          if (rows.size() == 1) return Future.succeededFuture(json(rows.iterator().next()));
          return pool.preparedQuery("SELECT decision FROM held_refunds WHERE order_id = $1").execute(Tuple.of(orderId))
              .compose(found -> Future.failedFuture(found.size() == 0
                  ? DomainException.notFound("no refund of order " + orderId + " is held for review")
                  : new DomainException(Kind.INVALID_STATE, "the held refund of order " + orderId + " was already "
                      + found.iterator().next().getString("decision"))));
        });
  }

  public Future<JsonObject> list(Long accountId, Boolean pending, Long beforeOrderId, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(accountId, pending, beforeOrderId, limit)).map(rows -> {
      JsonArray items = new JsonArray();
      Long last = null;
      for (Row r : rows) {
        JsonObject item = json(r).put("heldAt", r.getOffsetDateTime("held_at").toString())
            .put("decidedBy", r.getString("decided_by")).put("note", r.getString("note"));
        items.add(item);
        last = r.getLong("order_id");
      }
      return new JsonObject().put("items", items)
          .put("nextCursor", rows.size() == limit && last != null ? String.valueOf(last) : null);
    });
  }

  private static JsonObject json(Row r) {
    return new JsonObject().put("orderId", r.getLong("order_id")).put("accountId", r.getLong("account_id"))
        .put("amount", Money.format(r.getLong("price"))).put("decision", r.getString("decision"));
  }
}
