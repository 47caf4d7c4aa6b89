package com.otporchestrator.catalog;

import com.otporchestrator.upstream.Provider;
import com.otporchestrator.routing.ProviderRegistry;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Asks every enabled supplier for its stock and records it on our offers. */
public final class StockRefresher {
  private static final Logger LOG = LoggerFactory.getLogger(StockRefresher.class);

  private final ProviderRegistry providers;
  private final CatalogRepository catalog;

  public StockRefresher(ProviderRegistry providers, CatalogRepository catalog) {
    this.providers = providers;
    this.catalog = catalog;
  }

  public Future<Void> refresh() {
    List<Future<?>> all = new ArrayList<>();
    for (Provider provider : providers.enabled()) {
      all.add(provider.stock()
          .compose(lines -> catalog.refreshStock(provider.id(), lines))
          .onFailure(e -> LOG.debug("stock of {} not refreshed: {}", provider.id(), e.toString())));
    }
    return Future.join(all).mapEmpty();
  }
}
