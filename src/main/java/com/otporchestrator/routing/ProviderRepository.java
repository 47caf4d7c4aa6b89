package com.otporchestrator.routing;

import com.otporchestrator.upstream.ProviderRecord;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

public final class ProviderRepository {
  private static final String ALL = """
      SELECT id, protocol, base_url, api_key, push_key_hash, enabled, priority FROM providers ORDER BY id""";
  private static final String UPSERT = """
      INSERT INTO providers (id, protocol, base_url, api_key, push_key_hash, enabled, priority)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (id) DO UPDATE SET protocol = EXCLUDED.protocol, base_url = EXCLUDED.base_url,
        api_key = EXCLUDED.api_key, push_key_hash = EXCLUDED.push_key_hash, enabled = EXCLUDED.enabled,
        priority = EXCLUDED.priority""";

  /** An admin's PUT: the whole record, channels limit included (null: no limit). */
  private static final String PUT = """
      INSERT INTO providers (id, protocol, base_url, api_key, push_key_hash, enabled, priority, channels_limit)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (id) DO UPDATE SET protocol = EXCLUDED.protocol, base_url = EXCLUDED.base_url,
        api_key = EXCLUDED.api_key, push_key_hash = EXCLUDED.push_key_hash, enabled = EXCLUDED.enabled,
        priority = EXCLUDED.priority, channels_limit = EXCLUDED.channels_limit""";

  private final Pool pool;

  public ProviderRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<List<ProviderRecord>> all() {
    return pool.query(ALL).execute().map(rows -> {
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
    return pool.preparedQuery(UPSERT).execute(args).mapEmpty();
  }

  /** Writes the whole supplier, its channels limit (null: none) included, in one statement. */
  public Future<Void> upsert(ProviderRecord p, Integer channelsLimit) {
    Tuple args = Tuple.of(p.id(), p.protocol(), p.baseUrl(), p.apiKey(),
        p.pushKeyHash() == null ? null : Buffer.buffer(p.pushKeyHash()), p.enabled(), p.priority(), channelsLimit);
    return pool.preparedQuery(PUT).execute(args).mapEmpty();
  }
}
