package com.otporchestrator.account;

import com.otporchestrator.common.DomainException;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resolves API keys to accounts. A small cache (a few seconds) keeps the hot path free of a database
 * round trip per request; suspension therefore takes effect within that time. One instance serves every
 * event loop of the process: each calling thread (each event loop) has a cache of its own, so no lock is
 * taken and no cache is shared between threads.
 */
public final class Authenticator {
  private static final long TTL_MILLIS = 5_000;
  private static final int MAX_ENTRIES = 10_000;

  private final AccountRepository accounts;
  private final ThreadLocal<Map<String, Cached>> caches = ThreadLocal.withInitial(Authenticator::newCache);

  private record Cached(Account account, long until) {}

  public Authenticator(AccountRepository accounts) {
    this.accounts = accounts;
  }

  private static Map<String, Cached> newCache() {
    return new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
        return size() > MAX_ENTRIES;
      }
    };
  }

  /** Answers on the calling thread's cache; a miss reads PostgreSQL and fills the cache of the thread that asked. */
  public Future<Account> authenticate(String apiKey) {
    if (apiKey == null || apiKey.isBlank() || apiKey.length() > 200) {
      return Future.failedFuture(new DomainException(DomainException.Kind.UNAUTHORIZED, "missing or malformed API key"));
    }
    long now = System.currentTimeMillis();
    Map<String, Cached> cache = caches.get();
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
