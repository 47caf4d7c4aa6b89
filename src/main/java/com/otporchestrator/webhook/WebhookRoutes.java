package com.otporchestrator.webhook;

import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.CustomerAuth;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.IdempotencyStore;
import com.otporchestrator.api.Requests;
import com.otporchestrator.api.Views;
import com.otporchestrator.common.DomainException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/webhook}: the account's webhook URL and signing secret; {@code /v1/webhooks/deliveries}:
 * the account's delivery log. Every query is scoped to the calling account.
 */
final class WebhookRoutes {
  private static final Set<String> PUT_FIELDS = Set.of("url");

  private final WebhookRepository webhooks;
  private final WebhookUrls urls;
  private final IdempotencyStore idempotency;

  WebhookRoutes(WebhookRepository webhooks, WebhookUrls urls, IdempotencyStore idempotency) {
    this.webhooks = webhooks;
    this.urls = urls;
    this.idempotency = idempotency;
  }

  void mount(Router router) {
    router.put("/v1/webhook").handler(this::put);
    router.get("/v1/webhook").handler(this::get);
    router.delete("/v1/webhook").handler(this::delete);
    router.post("/v1/webhook/secret").handler(this::rotate);
    router.get("/v1/webhooks/deliveries").handler(this::deliveries);
  }

  private void put(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long accountId = CustomerAuth.activeAccount(ctx).id();
      JsonObject body = Requests.jsonBody(ctx, PUT_FIELDS);
      String url = urls.validate("url", Requests.requiredString(body, "url", WebhookUrls.MAX_LENGTH + 1));
      return webhooks.putUrl(accountId, url).map(endpoint -> ApiResponse.json(200, WebhookViews.endpoint(endpoint)));
    });
  }

  private void get(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> webhooks.find(CustomerAuth.account(ctx).id()).map(found -> ApiResponse.json(200,
        WebhookViews.endpoint(found.orElseThrow(() -> DomainException.notFound("no webhook is set for this account"))))));
  }

  /** Idempotent: 204 whether or not a URL was set. The secret stays (per-order URLs are signed with it). */
  private void delete(RoutingContext ctx) {
    try {
      webhooks.deleteUrl(CustomerAuth.activeAccount(ctx).id())
          .onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    } catch (RuntimeException e) {
      ctx.fail(e);
    }
  }

  /** A new secret at once (the old one stops signing); honours Idempotency-Key so a retry does not rotate twice. */
  private void rotate(RoutingContext ctx) {
    Endpoints.respondOnce(ctx, idempotency, () -> {
      if (ctx.body() != null && ctx.body().length() > 0) {
        Requests.jsonBody(ctx, Set.of()); // no fields: anything sent must be an empty JSON object
      }
      return webhooks.rotateSecret(CustomerAuth.activeAccount(ctx).id()).map(e -> ApiResponse.json(200, WebhookViews.endpoint(e)));
    });
  }

  private void deliveries(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      int limit = Requests.limit(ctx, 50, 500);
      Long cursor = Requests.cursor(ctx);
      return webhooks.deliveries(CustomerAuth.account(ctx).id(), cursor, limit).map(page -> {
        List<JsonObject> items = page.stream().map(WebhookViews::delivery).toList();
        Long next = page.size() == limit ? page.get(page.size() - 1).id() : null;
        return ApiResponse.json(200, Views.page(items, next));
      });
    });
  }
}
