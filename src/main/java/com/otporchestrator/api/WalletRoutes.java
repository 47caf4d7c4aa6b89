package com.otporchestrator.api;

import com.otporchestrator.catalog.CatalogRepository;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.wallet.WalletRepository;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** {@code /v1/wallet}, {@code /v1/wallet/transactions} and {@code /v1/offers}. */
final class WalletRoutes {
  private final WalletRepository wallets;
  private final CatalogRepository catalog;

  WalletRoutes(WalletRepository wallets, CatalogRepository catalog) {
    this.wallets = wallets;
    this.catalog = catalog;
  }

  void mount(Router router) {
    router.get("/v1/wallet").handler(this::wallet);
    router.get("/v1/offers").handler(this::offers);
  }

  private void wallet(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> wallets.wallet(CustomerAuth.account(ctx).id())
        .map(w -> ApiResponse.json(200, Views.wallet(w))));
  }

  private void offers(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String service = ctx.request().getParam("service");
      String countryParam = ctx.request().getParam("country");
      if (service != null && !service.matches("[a-z0-9_]{1,20}")) throw DomainException.invalid("'service' is not a service code");
      if (countryParam != null && !countryParam.matches("\\d{1,6}")) throw DomainException.invalid("'country' must be a numeric country id");
      Integer country = countryParam == null ? null : Integer.valueOf(countryParam);
      return catalog.customerOffers(service, country).map(list -> ApiResponse.json(200, new JsonObject().put("items", list)));
    });
  }
}
