package com.otporchestrator.account;

import com.otporchestrator.common.DomainException;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves API keys to accounts. A small cache (a few seconds) keeps the hot path free of a database round trip per
 * request. One instance serves every event loop of the process: each calling thread (each event loop) has a cache of
 * its own, so no lock is taken and no cache is shared between threads.
 *
 * <p>A change of an account's status (suspension, termination, closing, reactivation) takes effect at once:
 * {@link #revoke} marks the account, and every cached entry read before that instant is a miss from then on, on every
 * thread (one lock-free map lookup per hit). {@link Revocations} calls it on every node through Redis pub/sub; the
 * cache's expiry stays the fallback when a notice is lost.
 */
public final class Authenticator {
  static final long TTL_MILLIS = 5_000;
  private static final int MAX_ENTRIES = 10_000;

  private final AccountRepository accounts;
  private final ThreadLocal<Map<String, Cached>> caches = ThreadLocal.withInitial(Authenticator::newCache);
  /** Account id to the instant (epoch ms) its status last changed; kept one TTL, the age of the oldest live entry. */
  private final Map<Long, Long> revokedAt = new ConcurrentHashMap<>();

  /** @param readAt when the lookup that filled it started: a revocation at or after it makes the entry stale */
  private record Cached(Account account, long readAt) {}

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
    if (hit != null && fresh(hit, now)) return Future.succeededFuture(hit.account());
    return accounts.findByApiKey(apiKey).map(found -> {
      Account account = found.orElseThrow(
          () -> new DomainException(DomainException.Kind.UNAUTHORIZED, "unknown API key"));
      cache.put(apiKey, new Cached(account, now));
      return account;
    });
  }

  private boolean fresh(Cached hit, long now) {
    if (hit.readAt() + TTL_MILLIS <= now) return false;
    Long revoked = revokedAt.get(hit.account().id());
    return revoked == null || revoked < hit.readAt();
  }

  /** The account's status changed: every entry of it cached on this node until now is read again on its next use. */
  public void revoke(long accountId) {
    long now = System.currentTimeMillis();
    revokedAt.merge(accountId, now, Math::max);
    if (revokedAt.size() > 1_000) revokedAt.values().removeIf(at -> at + TTL_MILLIS < now);
  }
}
