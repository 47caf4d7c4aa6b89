package com.otporchestrator.catalog;

import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.module.PeriodicJob;
import com.otporchestrator.routing.RoutingModule;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;

/** The catalog: services, and the offers customers buy (price, cost, supplier, stock refreshed from the suppliers). */
public final class CatalogModule implements FeatureModule {
  private static final Duration STOCK_REFRESH = Duration.ofSeconds(15);

  private final CatalogRepository repository;
  private final StockRefresher stock;
  private final CatalogRoutes routes;

  public CatalogModule(Core core, RoutingModule routing) {
    this.repository = new CatalogRepository(core.pool(),
        new OffersCache(core.redis(), core.config().redisUrl(), core.config().redisKeyPrefix()));
    // a supplier configured, enabled or disabled changes which offers are sold
    routing.repository().onChange(() -> repository.offersCache().changed());
    this.stock = new StockRefresher(routing.registry(), repository);
    this.routes = new CatalogRoutes(repository);
  }

  /** The offers this node sells, cached until a change notice (from this node or another) arrives. */
  public OffersCache offersCache() {
    return repository.offersCache();
  }

  public CatalogRepository repository() {
    return repository;
  }

  @Override
  public void mount(Router router) {
    routes.mount(router);
  }

  /** Every enabled supplier's stock, recorded on our offers. */
  @Override
  public List<PeriodicJob> periodicJobs() {
    return List.of(PeriodicJob.timersNodes("stock refresh", Duration.ofSeconds(1), STOCK_REFRESH, stock::refresh));
  }
}
