package com.otporchestrator.rental;

import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.Requests;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.Money;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import java.util.Set;

/**
 * Admin side of rentals: {@code PUT /admin/v1/rent-offers} (per-hour prices) and {@code GET /admin/v1/rentals/incidents}
 * (silent disconnections waiting for review).
 */
final class RentalAdminRoutes {
  private final RentalService rentals;

  RentalAdminRoutes(RentalService rentals) {
    this.rentals = rentals;
  }

  void mount(Router router) {
    router.put("/admin/v1/rent-offers").handler(this::putOffer);
    router.get("/admin/v1/rentals/incidents").handler(this::incidents);
  }

  private void putOffer(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      JsonObject body = Requests.jsonBody(ctx, Set.of("provider", "country", "service", "hourlyPrice", "hourlyCost", "stock",
          "hours"));
      String provider = Requests.requiredString(body, "provider", 40);
      int country = Requests.requiredInt(body, "country", 0, 100_000);
      String service = Requests.requiredString(body, "service", 20);
      if (!service.matches("[a-z0-9_]{1,20}")) throw DomainException.invalid("'service' must be a service code or \"full\"");
      long hourlyPrice = Requests.requiredUsd(ctx, body, "hourlyPrice");
      long hourlyCost = body.getValue("hourlyCost") == null ? 0 : Requests.requiredUsd(ctx, body, "hourlyCost");
      int stock = Requests.requiredInt(body, "stock", 0, 10_000_000);
      Integer[] hours = allowedHours(body.getValue("hours"));
      return rentals.repository().known(country, service).compose(known -> {
        if (!known[1]) throw DomainException.invalid("unknown service '" + service + "'");
        return rentals.repository().upsertOffer(provider, country, service, hourlyPrice, hourlyCost, stock, hours);
      }).recover(error -> error instanceof PgException pg && "23503".equals(pg.getSqlState())
          ? Future.failedFuture(DomainException.invalid("unknown provider or country in the rent offer"))
          : Future.failedFuture(error))
          .map(v -> ApiResponse.json(200, new JsonObject().put("provider", provider).put("country", country)
              .put("service", service).put("hourlyPrice", Money.format(hourlyPrice))
              .put("hourlyCost", Money.format(hourlyCost)).put("stock", stock)
              .put("hours", hours == null ? null : new io.vertx.core.json.JsonArray(java.util.List.of(hours)))));
    });
  }

  /** {@code "hours": [4, 12, 24]}: the lengths the offer sells (absent or null: any inside the policy's bounds). */
  private static Integer[] allowedHours(Object raw) {
    if (raw == null) return null;
    if (!(raw instanceof io.vertx.core.json.JsonArray array) || array.isEmpty() || array.size() > 50) {
      throw DomainException.invalid("'hours' must be an array of 1 to 50 rental lengths in hours");
    }
    java.util.TreeSet<Integer> hours = new java.util.TreeSet<>();
    for (Object h : array) {
      if (!(h instanceof Integer i) || i < 1 || i > 8760) {
        throw DomainException.invalid("'hours' must contain whole numbers of hours between 1 and 8760");
      }
      hours.add(i);
    }
    return hours.toArray(Integer[]::new);
  }

  private void incidents(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      int limit = Requests.limit(ctx, 100, 1000);
      Long cursor = Requests.cursor(ctx);
      return rentals.repository().incidents(cursor, limit).map(items -> {
        Long next = items.size() == limit ? items.getJsonObject(items.size() - 1).getLong("id") : null;
        return ApiResponse.json(200, new JsonObject().put("items", items)
            .put("nextCursor", next == null ? null : String.valueOf(next)));
      });
    });
  }
}
