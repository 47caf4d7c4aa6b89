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
        .execute(Tuple.of(name, io.vertx.core.buffer.Buffer.buffer(ApiKeys.hash(apiKey)), ApiKeys.prefix(apiKey)))
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

  /** An account as operators list it: with its wallet, plan, creation time and the prefix of a live key (if known). */
  public record Summary(Account account, String plan, java.time.OffsetDateTime createdAt, long balance, long held,
                        String keyPrefix, String email) {}

  /** What a search text asks for: an id, the start of an API key, or part of a name (any of them may be null). */
  public record Search(Long id, String keyPrefix, String nameLike, String email) {
    /** The longest search text accepted. */
    public static final int MAX_TEXT = 100;

    /**
     * Reads what an operator typed: digits may be an account id, 4 or more hex digits the start of an API key, text
     * with an @ the console login's email, and any text part of a name; blank lists every account. Longer than {@link #MAX_TEXT} is refused.
     */
    public static Search of(String text) {
      if (text == null || text.isBlank()) return new Search(null, null, null, null);
      String q = text.strip();
      if (q.length() > MAX_TEXT) {
        throw com.otporchestrator.common.DomainException.invalid("'q' must be at most " + MAX_TEXT + " characters");
      }
      Long id = q.matches("\\d{1,18}") ? Long.valueOf(q) : null;
      String key = q.matches("[0-9a-fA-F]{4,32}") ? q.substring(0, Math.min(8, q.length())).toLowerCase(java.util.Locale.ROOT)
          : null;
      String name = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
      return new Search(id, key, name, q.contains("@") ? q : null);
    }
  }

  /** Accounts matching {@code search}, newest first, below id {@code before} (null: from the newest). */
  public Future<java.util.List<Summary>> search(Search search, Long before, int limit) {
    return pool.preparedQuery(AccountSql.SEARCH)
        .execute(Tuple.from(java.util.Arrays.asList(search.id(), search.keyPrefix(), search.nameLike(), before, limit,
            search.email()))).map(rows -> {
          java.util.List<Summary> out = new java.util.ArrayList<>();
          for (Row row : rows) {
            Long balance = row.getLong("balance");
            Long held = row.getLong("held");
            out.add(new Summary(toAccount(row), row.getString("plan"), row.getOffsetDateTime("created_at"),
                balance == null ? 0 : balance, held == null ? 0 : held, row.getString("key_prefix"), row.getString("email")));
          }
          return out;
        });
  }

  private static Optional<Account> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(toAccount(rows.iterator().next()));
  }

  private static Account toAccount(Row row) {
    return new Account(row.getLong("id"), row.getString("name"), row.getString("status"),
        row.getOffsetDateTime("suspended_until"));
  }
}
