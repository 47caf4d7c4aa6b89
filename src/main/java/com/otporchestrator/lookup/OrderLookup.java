package com.otporchestrator.lookup;

import com.otporchestrator.common.DomainException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds orders, activations and rentals alike, by order id, phone number or account, for the admin API and the
 * operator console. A search text of digits is both an order id and a phone number; {@code +} and spaces in a phone are
 * ignored.
 */
public final class OrderLookup {
  /** The largest page one request returns. */
  public static final int MAX_PAGE = 200;
  public static final Set<String> KINDS = Set.of("activation", "rental");

  /** One order as operators list it; {@code endsAt} is an activation's window end or a rental's period end. */
  public record Found(String kind, long id, long accountId, String service, Integer country, String providerId,
                      long price, String state, String phone, OffsetDateTime createdAt, OffsetDateTime endsAt,
                      OffsetDateTime closedAt) {}

  /** What to look for; null fields do not narrow. */
  public record Query(String text, Long accountId, String kind) {}

  private final Pool pool;

  OrderLookup(Pool pool) {
    this.pool = pool;
  }

  public Future<List<Found>> search(Query query, Long before, int limit) {
    if (limit < 1 || limit > MAX_PAGE) throw DomainException.invalid("'limit' must be an integer between 1 and " + MAX_PAGE);
    if (query.kind() != null && !KINDS.contains(query.kind())) {
      throw DomainException.invalid("'kind' must be activation or rental");
    }
    Long id = null;
    String phone = null;
    if (query.text() != null && !query.text().isBlank()) {
      String digits = query.text().strip().replaceAll("[+\\s()-]", "");
      if (!digits.matches("\\d{1,18}")) {
        throw DomainException.invalid("'q' must be an order id or a phone number (digits, optionally with + and spaces)");
      }
      phone = digits;
      id = Long.valueOf(digits);
      // an order id and a phone number look alike: one search finds either
      return run(new Tuple[] {Tuple.of(id, null, query.accountId(), query.kind(), before, limit),
          Tuple.of(null, phone, query.accountId(), query.kind(), before, limit)}, limit);
    }
    return run(new Tuple[] {Tuple.of(id, phone, query.accountId(), query.kind(), before, limit)}, limit);
  }

  private Future<List<Found>> run(Tuple[] searches, int limit) {
    List<Future<List<Found>>> parts = new ArrayList<>();
    for (Tuple args : searches) parts.add(pool.preparedQuery(OrderLookupSql.SEARCH).execute(args).map(OrderLookup::rows));
    return Future.all(parts).map(all -> {
      List<Found> merged = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) merged.addAll(all.<List<Found>>resultAt(i));
      return merged.stream().distinct().sorted((a, b) -> Long.compare(b.id(), a.id())).limit(limit).toList();
    });
  }

  private static List<Found> rows(io.vertx.sqlclient.RowSet<Row> rows) {
    List<Found> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new Found(r.getString("kind"), r.getLong("id"), r.getLong("account_id"), r.getString("service"),
          r.getInteger("country"), r.getString("provider_id"), r.getLong("price"), r.getString("state"),
          r.getString("phone"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("ends_at"),
          r.getOffsetDateTime("closed_at")));
    }
    return out;
  }
}
