package com.otporchestrator.activation;

import com.otporchestrator.api.ClientAddress;
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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/** {@code /v1/activations}: buy a number, read it, cancel, finish, or ask for another code. */
final class ActivationRoutes {
  private static final Set<String> PURCHASE_FIELDS = Set.of("service", "country", "maxPrice", "operator", "excludedPrefixes",
      "webhookUrl");

  private final PurchaseService purchases;
  private final ActivationService activations;
  private final IdempotencyStore idempotency;
  private final WebhookUrls webhookUrls;
  private final ActivationRefunds refunds;
  private final PurchaseAdmission admission;

  ActivationRoutes(PurchaseService purchases, ActivationService activations, IdempotencyStore idempotency,
                   WebhookUrls webhookUrls, ActivationRefunds refunds, PurchaseAdmission admission) {
    this.refunds = refunds;
    this.admission = admission;
    this.purchases = purchases;
    this.activations = activations;
    this.idempotency = idempotency;
    this.webhookUrls = webhookUrls;
  }

  void mount(Router router) {
    router.post("/v1/activations").handler(this::purchase);
    router.get("/v1/activations").handler(this::list);
    router.get("/v1/activations/:id").handler(this::get);
    router.get("/v1/activations/:id/refund").handler(this::refund);
    router.post("/v1/activations/:id/cancel").handler(ctx -> act(ctx, activations::cancel));
    router.post("/v1/activations/:id/finish").handler(ctx -> act(ctx, activations::finish));
    router.post("/v1/activations/:id/retry").handler(ctx -> act(ctx, activations::retry));
  }

  private void purchase(RoutingContext ctx) {
    if (!admission.admit(ctx, 1)) return;
    Endpoints.respondOnce(ctx, idempotency, () -> {
      long accountId = CustomerAuth.activeAccount(ctx).id();
      PurchaseRequest request = purchaseRequest(Requests.jsonBody(ctx, PURCHASE_FIELDS), webhookUrls, Channel.API)
          .from(ClientAddress.of(ctx));
      return purchases.purchase(accountId, request)
          .map(order -> ApiResponse.json(201, ActivationViews.activation(order))
              .withHeader("Location", "/v1/activations/" + order.id()));
    });
  }

  /** The request in {@code body} (the JSON API's fields), placed through {@code channel}. */
  public static PurchaseRequest purchaseRequest(JsonObject body, WebhookUrls webhookUrls, Channel channel) {
    String service = Requests.requiredString(body, "service", 20);
    int country = Requests.requiredInt(body, "country", 0, 100_000);
    Long maxPrice = Requests.optionalCeilingUsd(body, "maxPrice");
    String operator = Requests.optionalString(body, "operator", 50);
    String webhookUrl = Requests.optionalString(body, "webhookUrl", WebhookUrls.MAX_LENGTH + 1);
    if (webhookUrl != null) webhookUrls.validate("webhookUrl", webhookUrl);
    return new PurchaseRequest(service, country, maxPrice, operator, prefixes(body.getValue("excludedPrefixes")),
        webhookUrl, channel);
  }

  private static List<String> prefixes(Object raw) {
    if (raw == null) return List.of();
    if (!(raw instanceof JsonArray array) || array.size() > 50) {
      throw DomainException.invalid("'excludedPrefixes' must be an array of at most 50 digit strings");
    }
    List<String> list = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof String prefix) || !prefix.matches("\\d{1,15}")) {
        throw DomainException.invalid("'excludedPrefixes' must contain digit strings such as \"7918\"");
      }
      list.add(prefix);
    }
    return list;
  }

  private void get(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "activation");
      return activations.get(id, CustomerAuth.account(ctx).id()).map(a -> ApiResponse.json(200, ActivationViews.activation(a)));
    });
  }

  private void refund(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "activation");
      return refunds.position(id, CustomerAuth.account(ctx).id(), java.time.Instant.now())
          .map(p -> ApiResponse.json(200, ActivationViews.refundPosition(p)));
    });
  }

  private void list(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      ActivationState state = state(ctx.request().getParam("state"));
      int limit = Requests.limit(ctx, 50, 500);
      Long cursor = Requests.cursor(ctx);
      return activations.list(CustomerAuth.account(ctx).id(), state, cursor, limit).map(page -> {
        List<JsonObject> items = page.stream().map(ActivationViews::activation).toList();
        Long next = page.size() == limit ? page.get(page.size() - 1).id() : null;
        return ApiResponse.json(200, Views.page(items, next));
      });
    });
  }

  private static ActivationState state(String raw) {
    if (raw == null || raw.isEmpty()) return null;
    try {
      return ActivationState.valueOf(raw.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("unknown state '" + raw + "'");
    }
  }

  private void act(RoutingContext ctx, BiFunction<Long, Long, Future<Activation>> action) {
    Endpoints.respondOnce(ctx, idempotency, () -> {
      long id = Requests.pathId(ctx, "id", "activation");
      return action.apply(id, CustomerAuth.account(ctx).id()).map(a -> ApiResponse.json(200, ActivationViews.activation(a)));
    });
  }
}
