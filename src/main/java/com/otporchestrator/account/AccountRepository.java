package com.otporchestrator.account;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

public final class AccountRepository {
  private final Pool pool;

  public AccountRepository(Pool pool) {
    this.pool = pool;
  }

  /** Creates the account, its empty wallet and its first API key in one statement. */
  public Future<Account> create(String name, String apiKey) {
    return pool.preparedQuery(AccountSql.CREATE)
        .execute(Tuple.of(name, io.vertx.core.buffer.Buffer.buffer(ApiKeys.hash(apiKey))))
        .map(rows -> toAccount(rows.iterator().next()));
  }

  public Future<Optional<Account>> findByApiKey(String apiKey) {
    return pool.preparedQuery(AccountSql.BY_KEY)
        .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(ApiKeys.hash(apiKey))))
        .map(AccountRepository::first);
  }

  public Future<Optional<Account>> findById(long id) {
    return pool.preparedQuery(AccountSql.BY_ID).execute(Tuple.of(id)).map(AccountRepository::first);
  }

  /**
   * Sets an account active, or suspended until {@code until} (indefinitely when null). Empty when the
   * account does not exist or is terminated.
   */
  public Future<Optional<Account>> setStatus(long id, String status, java.time.OffsetDateTime until) {
    return pool.preparedQuery(AccountSql.SET_STATUS).execute(Tuple.of(id, status, until)).map(AccountRepository::first);
  }

  private static Optional<Account> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(toAccount(rows.iterator().next()));
  }

  private static Account toAccount(Row row) {
    return new Account(row.getLong("id"), row.getString("name"), row.getString("status"),
        row.getOffsetDateTime("suspended_until"));
  }
}
