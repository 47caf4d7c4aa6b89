package com.otporchestrator.rental;

import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.CustomerAuth;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.IdempotencyStore;
import com.otporchestrator.api.Requests;
import com.otporchestrator.api.Views;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.order.Channel;
import com.otporchestrator.webhook.WebhookUrls;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;

/** {@code /v1/rentals}: rent a number, read it with its SMS, cancel inside the cancel window, finish early, extend. */
final class RentalRoutes {
  private static final Set<String> PURCHASE_FIELDS = Set.of("service", "country", "hours", "webhookUrl");
  private static final Set<String> EXTEND_FIELDS = Set.of("hours");
  /** A year: beyond any policy's maximum, just a sanity bound before the policy's own range is checked. */
  static final int MAX_HOURS = 8760;

  private final RentalService rentals;
  private final RentalRefunds refunds;
  private final IdempotencyStore idempotency;
  private final WebhookUrls webhookUrls;

  RentalRoutes(RentalService rentals, RentalRefunds refunds, IdempotencyStore idempotency, WebhookUrls webhookUrls) {
    this.rentals = rentals;
    this.refunds = refunds;
    this.idempotency = idempotency;
    this.webhookUrls = webhookUrls;
  }

  void mount(Router router) {
    router.post("/v1/rentals").handler(this::purchase);
    router.get("/v1/rentals").handler(this::list);
    router.get("/v1/rentals/:id").handler(this::get);
    router.get("/v1/rentals/:id/refund").handler(this::refund);
    router.post("/v1/rentals/:id/cancel").handler(ctx -> act(ctx, rentals::cancel));
    router.post("/v1/rentals/:id/finish").handler(ctx -> act(ctx, rentals::finish));
    router.post("/v1/rentals/:id/extend").handler(this::extend);
  }

  private void purchase(RoutingContext ctx) {
    Endpoints.respondOnce(ctx, idempotency, () -> {
      long accountId = CustomerAuth.activeAccount(ctx).id();
      JsonObject body = Requests.jsonBody(ctx, PURCHASE_FIELDS);
      String service = Requests.optionalString(body, "service", 20);
      if (service != null && !service.matches("[a-z0-9_]{1,20}")) throw DomainException.invalid("unknown service '" + service + "'");
      if (Rental.ANY_SERVICE.equals(service)) service = null;
      int country = Requests.requiredInt(body, "country", 0, 100_000);
      int hours = Requests.requiredInt(body, "hours", 1, MAX_HOURS);
      String webhookUrl = Requests.optionalString(body, "webhookUrl", WebhookUrls.MAX_LENGTH + 1);
      if (webhookUrl != null) webhookUrls.validate("webhookUrl", webhookUrl);
      return rentals.purchase(accountId, new RentalService.RentRequest(service, country, hours, webhookUrl, Channel.API))
          .map(r -> ApiResponse.json(201, RentalViews.rental(r)).withHeader("Location", "/v1/rentals/" + r.id()));
    });
  }

  private void get(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "rental");
      return rentals.get(id, CustomerAuth.account(ctx).id()).map(r -> ApiResponse.json(200, RentalViews.rental(r)));
    });
  }

  private void list(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      RentalState state = state(ctx.request().getParam("state"));
      int limit = Requests.limit(ctx, 50, 500);
      Long cursor = Requests.cursor(ctx);
      return rentals.list(CustomerAuth.account(ctx).id(), state, cursor, limit).map(page -> {
        List<JsonObject> items = page.stream().map(RentalViews::rental).toList();
        Long next = page.size() == limit ? page.get(page.size() - 1).id() : null;
        return ApiResponse.json(200, Views.page(items, next));
      });
    });
  }

  private void refund(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "rental");
      return refunds.position(id, CustomerAuth.account(ctx).id(), Instant.now())
          .map(p -> ApiResponse.json(200, RentalViews.refundPosition(p)));
    });
  }

  private void extend(RoutingContext ctx) {
    Endpoints.respondOnce(ctx, idempotency, () -> {
      long id = Requests.pathId(ctx, "id", "rental");
      int hours = Requests.requiredInt(Requests.jsonBody(ctx, EXTEND_FIELDS), "hours", 1, MAX_HOURS);
      return rentals.extend(id, CustomerAuth.activeAccount(ctx).id(), hours).map(r -> ApiResponse.json(200, RentalViews.rental(r)));
    });
  }

  private void act(RoutingContext ctx, BiFunction<Long, Long, Future<Rental>> action) {
    Endpoints.respondOnce(ctx, idempotency, () -> {
      long id = Requests.pathId(ctx, "id", "rental");
      return action.apply(id, CustomerAuth.account(ctx).id()).map(r -> ApiResponse.json(200, RentalViews.rental(r)));
    });
  }

  private static RentalState state(String raw) {
    if (raw == null || raw.isEmpty()) return null;
    try {
      return RentalState.valueOf(raw.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("unknown state '" + raw + "'");
    }
  }
}
