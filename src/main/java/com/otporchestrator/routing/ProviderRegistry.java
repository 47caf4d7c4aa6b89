package com.otporchestrator.routing;

import com.otporchestrator.upstream.Provider;
import com.otporchestrator.upstream.ProviderRecord;
import com.otporchestrator.account.ApiKeys;
import com.otporchestrator.config.BreakerSettings;
import io.vertx.core.Future;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The live adapters of every configured supplier, rebuilt from PostgreSQL on start and whenever an
 * admin changes a supplier (other pods pick the change up on their next periodic reload).
 */
public final class ProviderRegistry {
  private final ProviderRepository repository;
  private final ProviderFactory factory;
  private final ProviderHealth health;
  private volatile Map<String, Entry> entries = Map.of();

  private record Entry(ProviderRecord record, Provider provider) {}

  public ProviderRegistry(ProviderRepository repository, ProviderFactory factory) {
    this(repository, factory, new ProviderHealth(BreakerSettings.defaults()));
  }

  /** {@code health} is what the factory's adapters report to (see {@code MeteredProvider}). */
  public ProviderRegistry(ProviderRepository repository, ProviderFactory factory, ProviderHealth health) {
    this.repository = repository;
    this.factory = factory;
    this.health = health;
  }

  /** This process's view of every supplier's health and circuit breaker. */
  public ProviderHealth health() {
    return health;
  }

  public Future<Void> reload() {
    return repository.all().map(records -> {
      Map<String, Entry> fresh = new HashMap<>();
      Map<String, Entry> current = entries;
      for (ProviderRecord record : records) {
        Entry old = current.get(record.id());
        boolean unchanged = old != null && sameConnection(old.record(), record);
        fresh.put(record.id(), new Entry(record, unchanged ? old.provider() : factory.create(record)));
      }
      entries = Map.copyOf(fresh);
      return null;
    });
  }

  public Optional<Provider> get(String id) {
    Entry entry = entries.get(id);
    return entry == null ? Optional.empty() : Optional.of(entry.provider());
  }

  /** Every configured supplier's id, enabled or not. */
  public java.util.Set<String> ids() {
    return entries.keySet();
  }

  public Iterable<Provider> enabled() {
    return entries.values().stream().filter(e -> e.record().enabled()).map(Entry::provider).toList();
  }

  /** Constant-time check of the key a supplier presents when it pushes to us. */
  public boolean acceptsPushKey(String providerId, String key) {
    Entry entry = entries.get(providerId);
    if (entry == null || entry.record().pushKeyHash() == null || key == null) return false;
    return MessageDigest.isEqual(entry.record().pushKeyHash(), ApiKeys.hash(key));
  }

  private static boolean sameConnection(ProviderRecord a, ProviderRecord b) {
    return a.protocol().equals(b.protocol()) && a.baseUrl().equals(b.baseUrl()) && a.apiKey().equals(b.apiKey());
  }
}
