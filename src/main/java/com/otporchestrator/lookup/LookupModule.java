package com.otporchestrator.lookup;

import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import io.vertx.ext.web.Router;

/** Operators' order search across activations and rentals: {@code GET /admin/v1/orders} and the console's search. */
public final class LookupModule implements FeatureModule {
  private final OrderLookup orders;
  private final OrderLookupRoutes routes;

  public LookupModule(Core core) {
    this.orders = new OrderLookup(core.pool());
    this.routes = new OrderLookupRoutes(orders);
  }

  public OrderLookup orders() {
    return orders;
  }

  @Override
  public void mount(Router router) {
    routes.mount(router);
  }
}
