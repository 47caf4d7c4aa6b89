package com.otporchestrator.routing;

import com.otporchestrator.api.DecisionLog;
import com.otporchestrator.common.DomainException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What operators do with suppliers, for the admin API and the console alike: list them with this process's breaker
 * view, enable or disable one (every node reloads within its reload period, this one at once), recording who decided.
 */
public final class Suppliers {
  /** The largest page of suppliers one request returns. */
  public static final int MAX_PAGE = 200;

  private final ProviderRepository repository;
  private final ProviderRegistry registry;
  private final DecisionLog decisions;

  Suppliers(ProviderRepository repository, ProviderRegistry registry, DecisionLog decisions) {
    this.repository = repository;
    this.registry = registry;
    this.decisions = decisions;
  }

  /** A supplier with its breaker as this process sees it ({@code health}: see {@code GET /admin/v1/providers/health}). */
  public record Supplier(ProviderRepository.Listed record, JsonObject health) {}

  public Future<List<Supplier>> page(String after, int limit) {
    if (limit < 1 || limit > MAX_PAGE) throw DomainException.invalid("'limit' must be an integer between 1 and " + MAX_PAGE);
    return repository.page(after, limit).map(list -> {
      JsonArray view = registry.health().view(list.stream().map(ProviderRepository.Listed::id).toList());
      Map<String, JsonObject> byId = new HashMap<>();
      view.forEach(item -> byId.put(((JsonObject) item).getString("provider"), (JsonObject) item));
      return list.stream().map(r -> new Supplier(r, byId.get(r.id()))).toList();
    });
  }

  /** What one supplier sells: activation offers, or rent offers (priced per hour), at most {@code limit}. */
  public Future<List<ProviderRepository.OfferRow>> offers(String id, boolean rent, int limit) {
    return repository.offers(id, rent, limit);
  }

  public Future<Void> setEnabled(String id, boolean enabled, String actor) {
    return repository.setEnabled(id, enabled).compose(found -> {
      if (!found) return Future.failedFuture(DomainException.notFound("supplier " + id + " is not configured"));
      return registry.reload().compose(v -> decisions.record(actor, enabled ? "supplier.enable" : "supplier.disable",
          "supplier:" + id, null));
    });
  }

  /** Records who configured a supplier through {@code PUT /admin/v1/providers/{id}}. */
  Future<Void> configured(String id, String actor) {
    return decisions.record(actor, "supplier.configure", "supplier:" + id, null);
  }
}
