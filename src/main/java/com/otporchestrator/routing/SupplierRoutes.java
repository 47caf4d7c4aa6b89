package com.otporchestrator.routing;

import com.otporchestrator.account.ApiKeys;
import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.Requests;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.upstream.ProviderRecord;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * {@code PUT /admin/v1/providers/{id}} (configure a supplier; every node reloads it) and
 * {@code GET /admin/v1/providers/health} (this process's view of every configured supplier's breaker).
 */
final class SupplierRoutes {
  private final ProviderRepository repository;
  private final ProviderRegistry registry;

  SupplierRoutes(ProviderRepository repository, ProviderRegistry registry) {
    this.repository = repository;
    this.registry = registry;
  }

  void mount(Router router) {
    router.put("/admin/v1/providers/:id").handler(this::putProvider);
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
          .map(v -> ApiResponse.json(200, new JsonObject().put("id", id).put("protocol", protocol)
              .put("baseUrl", baseUrl).put("enabled", enabled).put("priority", priority)
              .put("channelsLimit", channelsLimit)));
    });
  }
}
