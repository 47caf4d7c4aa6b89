package com.otporchestrator.catalog;

import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.Requests;
import com.otporchestrator.common.DomainException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** {@code GET /v1/offers} (what customers can buy), {@code PUT /admin/v1/services/{code}} and {@code PUT /admin/v1/offers}. */
final class CatalogRoutes {
  private final CatalogRepository catalog;

  CatalogRoutes(CatalogRepository catalog) {
    this.catalog = catalog;
  }

  void mount(Router router) {
    router.get("/v1/offers").handler(this::offers);
    router.put("/admin/v1/services/:code").handler(this::putService);
    router.put("/admin/v1/offers").handler(this::putOffer);
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

  private void putService(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String code = ctx.pathParam("code");
      if (code == null || !code.matches("[a-z0-9_]{1,20}")) throw DomainException.invalid("service code must match [a-z0-9_]{1,20}");
      String name = Requests.requiredString(Requests.jsonBody(ctx, Set.of("name")), "name", 100);
      return catalog.upsertService(code, name).map(v -> ApiResponse.json(200, new JsonObject().put("code", code).put("name", name)));
    });
  }

  private void putOffer(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      JsonObject body = Requests.jsonBody(ctx, Set.of("service", "country", "provider", "price", "cost", "stock"));
      Offer offer = new Offer(Requests.requiredString(body, "service", 20), Requests.requiredInt(body, "country", 0, 100_000),
          Requests.requiredString(body, "provider", 40), Requests.requiredUsd(ctx, body, "price"),
          body.getValue("cost") == null ? 0 : Requests.requiredUsd(ctx, body, "cost"), 0);
      Integer stock = body.getValue("stock") == null ? null : Requests.requiredInt(body, "stock", 0, 10_000_000);
      return catalog.upsertOffer(offer, stock).map(saved -> ApiResponse.json(200, CatalogViews.offer(saved)));
    });
  }
}
