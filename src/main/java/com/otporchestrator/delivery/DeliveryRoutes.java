package com.otporchestrator.delivery;

import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.common.DomainException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * {@code GET /v1/delivery-rates} (per service and country, over every supplier) and {@code GET /admin/v1/delivery-rates}
 * (per supplier too).
 */
final class DeliveryRoutes {
  private final DeliveryRates rates;

  DeliveryRoutes(DeliveryRates rates) {
    this.rates = rates;
  }

  void mount(Router router) {
    router.get("/v1/delivery-rates").handler(this::customers);
    router.get("/admin/v1/delivery-rates").handler(this::operators);
  }

  private void customers(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> rates.byPair(service(ctx), country(ctx)).map(list -> {
      JsonArray items = new JsonArray();
      list.forEach(r -> items.add(view(r)));
      return ApiResponse.json(200, envelope(items));
    }));
  }

  private void operators(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String provider = ctx.request().getParam("provider");
      if (provider != null && !provider.matches("[a-z0-9][a-z0-9_-]{0,39}")) {
        throw DomainException.invalid("'provider' is not a supplier id");
      }
      return rates.bySupplier(service(ctx), country(ctx), provider).map(list -> {
        JsonArray items = new JsonArray();
        list.forEach(r -> items.add(view(r).put("provider", r.providerId())));
        return ApiResponse.json(200, envelope(items));
      });
    });
  }

  private static JsonObject envelope(JsonArray items) {
    return new JsonObject().put("windowHours", DeliveryRates.WINDOW_HOURS).put("items", items);
  }

  static JsonObject view(DeliveryRates.Rate r) {
    return new JsonObject().put("service", r.service()).put("country", r.country())
        .put("delivered", r.delivered()).put("ended", r.ended()).put("rate", rateText(r));
  }

  /** The rate as a decimal string with four places ("0.9500"), null before anything ended. */
  static String rateText(DeliveryRates.Rate r) {
    return r.ended() == 0 ? null
        : new BigDecimal(r.delivered()).divide(new BigDecimal(r.ended()), 4, RoundingMode.HALF_EVEN).toPlainString();
  }

  private static String service(RoutingContext ctx) {
    String service = ctx.request().getParam("service");
    if (service != null && !service.matches("[a-z0-9_]{1,20}")) throw DomainException.invalid("'service' is not a service code");
    return service;
  }

  private static Integer country(RoutingContext ctx) {
    String country = ctx.request().getParam("country");
    if (country != null && !country.matches("\\d{1,6}")) throw DomainException.invalid("'country' must be a numeric country id");
    return country == null ? null : Integer.valueOf(country);
  }
}
