package com.otporchestrator.catalog;

import com.otporchestrator.common.Money;
import io.vertx.core.json.JsonObject;

/** JSON shapes of the catalog as the admin API shows it. */
final class CatalogViews {
  private CatalogViews() {}

  static JsonObject offer(Offer saved) {
    return new JsonObject().put("service", saved.service()).put("country", saved.country()).put("provider", saved.providerId())
        .put("price", Money.format(saved.price())).put("cost", Money.format(saved.cost())).put("stock", saved.stock());
  }
}
