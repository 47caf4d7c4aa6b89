package com.otporchestrator.routing;

import com.otporchestrator.account.ApiKeys;
import com.otporchestrator.api.AdminAuth;
import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.Requests;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.upstream.ProviderRecord;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * {@code GET /admin/v1/providers} (the configured suppliers, paged, with their breakers), {@code PUT
 * /admin/v1/providers/{id}} (configure a supplier; every node reloads it), {@code POST .../enable} and {@code .../disable},
 * and {@code GET /admin/v1/providers/health} (this process's view of every configured supplier's breaker).
 */
final class SupplierRoutes {
  private static final String ID = "[a-z0-9][a-z0-9_-]{0,39}";
  private final ProviderRepository repository;
  private final ProviderRegistry registry;
  private final Suppliers suppliers;

  SupplierRoutes(ProviderRepository repository, ProviderRegistry registry, Suppliers suppliers) {
    this.repository = repository;
    this.registry = registry;
    this.suppliers = suppliers;
  }

  void mount(Router router) {
    router.get("/admin/v1/providers").handler(this::list);
    router.put("/admin/v1/providers/:id").handler(this::putProvider);
    router.post("/admin/v1/providers/:id/enable").handler(ctx -> setEnabled(ctx, true));
    router.post("/admin/v1/providers/:id/disable").handler(ctx -> setEnabled(ctx, false));
    router.get("/admin/v1/providers/health").handler(ctx -> Endpoints.respond(ctx, () -> Future.succeededFuture(
        ApiResponse.json(200, new JsonObject().put("items", registry.health().view(registry.ids()))))));
  }

  private void putProvider(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String id = ctx.pathParam("id");
      if (id == null || !id.matches("[a-z0-9][a-z0-9_-]{0,39}")) throw DomainException.invalid("provider id must match [a-z0-9][a-z0-9_-]{0,39}");
      JsonObject body = Requests.jsonBody(ctx, Set.of("protocol", "baseUrl", "apiKey", "pushKey", "enabled", "priority",
          "channelsLimit"));
      String protocol = Requests.requiredString(body, "protocol", 20);
      if (!protocol.equals(ProviderRecord.SMSHUB) && !protocol.equals(ProviderRecord.SMS_ACTIVATE)
          && !protocol.equals(ProviderRecord.FIVESIM)) {
        throw DomainException.invalid("'protocol' must be smshub, sms-activate or fivesim");
      }
      String baseUrl = Requests.requiredString(body, "baseUrl", 500);
      if (!baseUrl.matches("https?://.+")) throw DomainException.invalid("'baseUrl' must be an http(s) URL");
      String pushKey = Requests.optionalString(body, "pushKey", 200);
      Object enabled = body.getValue("enabled", true);
      if (!(enabled instanceof Boolean)) throw DomainException.invalid("'enabled' must be a boolean");
      int priority = body.getValue("priority") == null ? 100 : Requests.requiredInt(body, "priority", 0, 10_000);
      Integer channelsLimit = body.getValue("channelsLimit") == null ? null
          : Requests.requiredInt(body, "channelsLimit", 1, 1_000_000);
      ProviderRecord record = new ProviderRecord(id, protocol, baseUrl, Requests.requiredString(body, "apiKey", 500),
          pushKey == null ? null : ApiKeys.hash(pushKey), (Boolean) enabled, priority);
      return repository.upsert(record, channelsLimit).compose(v -> registry.reload())
          .compose(v -> suppliers.configured(id, AdminAuth.actor(ctx)))
          .map(v -> ApiResponse.json(200, new JsonObject().put("id", id).put("protocol", protocol)
              .put("baseUrl", baseUrl).put("enabled", enabled).put("priority", priority)
              .put("channelsLimit", channelsLimit)));
    });
  }

  /** {@code ?after=<id>&limit=} (1 to 200, 50 by default): suppliers by id, with their breakers. */
  private void list(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      int limit = Requests.limit(ctx, 50, Suppliers.MAX_PAGE);
      String after = ctx.request().getParam("after");
      if (after != null && !after.matches(ID)) throw DomainException.invalid("'after' must be a supplier id");
      return suppliers.page(after, limit).map(list -> {
        JsonArray items = new JsonArray();
        list.forEach(s -> items.add(supplier(s)));
        JsonObject page = new JsonObject().put("items", items);
        if (list.size() == limit) page.put("nextAfter", list.get(list.size() - 1).record().id());
        return ApiResponse.json(200, page);
      });
    });
  }

  private void setEnabled(RoutingContext ctx, boolean enabled) {
    Endpoints.respond(ctx, () -> {
      String id = supplierId(ctx);
      return suppliers.setEnabled(id, enabled, AdminAuth.actor(ctx))
          .map(v -> ApiResponse.json(200, new JsonObject().put("id", id).put("enabled", enabled)));
    });
  }

  static JsonObject supplier(Suppliers.Supplier s) {
    ProviderRepository.Listed r = s.record();
    return new JsonObject().put("id", r.id()).put("protocol", r.protocol()).put("baseUrl", r.baseUrl())
        .put("enabled", r.enabled()).put("priority", r.priority()).put("channelsLimit", r.channelsLimit())
        .put("health", s.health());
  }

  private static String supplierId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !id.matches(ID)) throw DomainException.invalid("provider id must match " + ID);
    return id;
  }
}
