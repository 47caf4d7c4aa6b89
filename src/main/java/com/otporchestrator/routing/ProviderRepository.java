package com.otporchestrator.routing;

import com.otporchestrator.upstream.ProviderRecord;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The configured suppliers in PostgreSQL ({@link ProviderSql}); the registry builds their adapters from them. */
public final class ProviderRepository {
  private final Pool pool;
  private volatile Runnable onChange = () -> {};

  public ProviderRepository(Pool pool) {
    this.pool = pool;
  }

  /** Who is told, after it is written, that a supplier was configured, enabled or disabled (the offers cache). */
  public void onChange(Runnable listener) {
    this.onChange = listener;
  }

  private <T> T changed(T result) {
    onChange.run();
    return result;
  }

  public Future<List<ProviderRecord>> all() {
    return pool.query(ProviderSql.ALL).execute().map(rows -> {
      List<ProviderRecord> list = new ArrayList<>();
      for (Row row : rows) {
        Buffer hash = row.getBuffer("push_key_hash");
        list.add(new ProviderRecord(row.getString("id"), row.getString("protocol"), row.getString("base_url"),
            row.getString("api_key"), hash == null ? null : hash.getBytes(), row.getBoolean("enabled"),
            row.getInteger("priority")));
      }
      return list;
    });
  }

  public Future<Void> upsert(ProviderRecord p) {
    Tuple args = Tuple.of(p.id(), p.protocol(), p.baseUrl(), p.apiKey(),
        p.pushKeyHash() == null ? null : Buffer.buffer(p.pushKeyHash()), p.enabled(), p.priority());
    return pool.preparedQuery(ProviderSql.UPSERT).execute(args).map(this::changed).mapEmpty();
  }

  /** Writes the whole supplier, its channels limit (null: none) included, in one statement. */
  public Future<Void> upsert(ProviderRecord p, Integer channelsLimit) {
    Tuple args = Tuple.of(p.id(), p.protocol(), p.baseUrl(), p.apiKey(),
        p.pushKeyHash() == null ? null : Buffer.buffer(p.pushKeyHash()), p.enabled(), p.priority(), channelsLimit);
    return pool.preparedQuery(ProviderSql.PUT).execute(args).map(this::changed).mapEmpty();
  }

  /** A configured supplier as operators see it (never its keys). */
  public record Listed(String id, String protocol, String baseUrl, boolean enabled, int priority, Integer channelsLimit) {}

  /** Suppliers by id after {@code after} (null: from the first), at most {@code limit}. */
  public Future<List<Listed>> page(String after, int limit) {
    return pool.preparedQuery(ProviderSql.PAGE).execute(Tuple.of(after, limit)).map(rows -> {
      List<Listed> list = new ArrayList<>();
      for (Row row : rows) {
        list.add(new Listed(row.getString("id"), row.getString("protocol"), row.getString("base_url"),
            row.getBoolean("enabled"), row.getInteger("priority"), row.getInteger("channels_limit")));
      }
      return list;
    });
  }

  /** False when no such supplier is configured. */
  public Future<Boolean> setEnabled(String id, boolean enabled) {
    return pool.preparedQuery(ProviderSql.SET_ENABLED).execute(Tuple.of(id, enabled)).map(rows -> changed(rows.size() == 1));
  }

  /** What a supplier sells: per service and country, our price, its cost and its stock (rent offers: per hour). */
  public record OfferRow(String service, int country, long price, long cost, int stock) {}

  public Future<List<OfferRow>> offers(String id, boolean rent, int limit) {
    return pool.preparedQuery(rent ? ProviderSql.RENT_OFFERS : ProviderSql.OFFERS).execute(Tuple.of(id, limit)).map(rows -> {
      List<OfferRow> list = new ArrayList<>();
      for (Row r : rows) {
        list.add(new OfferRow(r.getString("service"), r.getInteger("country"), r.getLong("price"), r.getLong("cost"),
            r.getInteger("stock")));
      }
      return list;
    });
  }
}
