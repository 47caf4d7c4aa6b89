package com.otporchestrator.account;

import com.otporchestrator.common.DomainException;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resolves API keys to accounts. A small per-instance cache (a few seconds) keeps the hot path
 * free of a database round trip per request; suspension therefore takes effect within that time.
 */
public final class Authenticator {
  private static final long TTL_MILLIS = 5_000;
  private static final int MAX_ENTRIES = 10_000;

  private final AccountRepository accounts;
  private final Map<String, Cached> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  private record Cached(Account account, long until) {}

  public Authenticator(AccountRepository accounts) {
    this.accounts = accounts;
  }

  /** Must be called on one event loop per instance (the cache is not thread-safe by design). */
  public Future<Account> authenticate(String apiKey) {
    if (apiKey == null || apiKey.isBlank() || apiKey.length() > 200) {
      return Future.failedFuture(new DomainException(DomainException.Kind.UNAUTHORIZED, "missing or malformed API key"));
    }
    long now = System.currentTimeMillis();
    Cached hit = cache.get(apiKey);
    if (hit != null && hit.until() > now) return Future.succeededFuture(hit.account());
    return accounts.findByApiKey(apiKey).map(found -> {
      Account account = found.orElseThrow(
          () -> new DomainException(DomainException.Kind.UNAUTHORIZED, "unknown API key"));
      cache.put(apiKey, new Cached(account, now + TTL_MILLIS));
      return account;
    });
  }
}
