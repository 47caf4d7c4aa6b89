package com.otporchestrator.api;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.common.Money;
import com.otporchestrator.rental.Rental;
import com.otporchestrator.rental.RentalService;
import com.otporchestrator.sandbox.SandboxSetup;
import com.otporchestrator.sandbox.SandboxSupplier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import java.util.Set;

/**
 * Admin side of rentals: {@code PUT /admin/v1/rent-offers} (per-hour prices), {@code GET /admin/v1/rentals/incidents}
 * (silent disconnections waiting for review) and, in dev mode and tests, sandbox routes that push an SMS to a rented
 * number or make the sandbox supplier report it dead.
 */
final class RentalAdminRoutes {
  private final RentalService rentals;
  private final SandboxSupplier sandbox;

  RentalAdminRoutes(RentalService rentals, SandboxSupplier sandbox) {
    this.rentals = rentals;
    this.sandbox = sandbox;
  }

  void mount(Router router) {
    router.put("/admin/v1/rent-offers").handler(this::putOffer);
    router.get("/admin/v1/rentals/incidents").handler(this::incidents);
    if (sandbox != null) {
      router.post("/admin/v1/sandbox/rentals/:id/sms").handler(this::sandboxSms);
      router.post("/admin/v1/sandbox/rentals/:id/dead").handler(this::sandboxDead);
    }
  }

  private void putOffer(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      JsonObject body = Requests.jsonBody(ctx, Set.of("provider", "country", "service", "hourlyPrice", "hourlyCost", "stock",
          "hours"));
      String provider = Requests.requiredString(body, "provider", 40);
      int country = Requests.requiredInt(body, "country", 0, 100_000);
      String service = Requests.requiredString(body, "service", 20);
      if (!service.matches("[a-z0-9_]{1,20}")) throw DomainException.invalid("'service' must be a service code or \"full\"");
      long hourlyPrice = Requests.requiredUsd(body, "hourlyPrice");
      long hourlyCost = body.getValue("hourlyCost") == null ? 0 : Requests.requiredUsd(body, "hourlyCost");
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

  private Future<Rental> sandboxRental(RoutingContext ctx) {
    long id = Requests.pathId(ctx, "id", "rental");
    return rentals.repository().findAny(id).map(found -> {
      Rental rental = found.orElseThrow(() -> DomainException.notFound("rental " + id + " does not exist"));
      if (!SandboxSetup.PROVIDER_ID.equals(rental.providerId()) || rental.phone() == null) {
        throw new DomainException(Kind.INVALID_STATE, "rental " + id + " has no sandbox number");
      }
      return rental;
    });
  }

  private void sandboxSms(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      JsonObject body = Requests.jsonBody(ctx, Set.of("text", "sender"));
      String text = Requests.requiredString(body, "text", 1000);
      String sender = body.getValue("sender") == null ? "Sandbox" : Requests.requiredString(body, "sender", 50);
      return sandboxRental(ctx).compose(rental -> sandbox.sendSms(rental.phone(), sender, text)
          .recover(e -> Future.failedFuture(new DomainException(Kind.INVALID_STATE, "the sandbox could not deliver: " + e.getMessage())))
          .compose(v -> rentals.repository().findAny(rental.id()))
          .map(after -> ApiResponse.json(200, RentalRoutes.view(after.orElseThrow()))));
    });
  }

  /** The sandbox supplier kills the number and reports it, as a supplier would: the rental gets a NUMBER_DEAD incident. */
  private void sandboxDead(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> sandboxRental(ctx).compose(rental -> sandbox.markDead(rental.phone())
        .recover(e -> Future.failedFuture(new DomainException(Kind.INVALID_STATE, "the sandbox number is not open: " + e.getMessage())))
        .compose(v -> rentals.numberDead(rental.id(), "sandbox supplier reports number " + rental.phone() + " dead"))
        .map(fresh -> ApiResponse.json(200, new JsonObject().put("rentalId", rental.id()).put("incidentRecorded", fresh)))));
  }
}
