package com.otporchestrator.policy;

import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.Requests;
import com.otporchestrator.api.Views;
import com.otporchestrator.common.DomainException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * What customers read of the policy that binds them: {@code GET /v1/policy} (the policy in force, every rule in words
 * with its source sentence), {@code GET /v1/policies/{id}/versions/{version}} (any published version, so each order's
 * own version can be read) and {@code GET /v1/policy/notices} (the changes of the policy in force).
 */
final class CustomerPolicyRoutes {
  private final Policies policies;

  CustomerPolicyRoutes(Policies policies) {
    this.policies = policies;
  }

  void mount(Router router) {
    router.get("/v1/policy").handler(ctx -> Endpoints.respond(ctx, () -> policies.explainInForce()
        .map(e -> ApiResponse.json(200, explained(e)))));
    router.get("/v1/policy/notices").handler(this::notices);
    router.get("/v1/policies/:id/versions/:version").handler(ctx -> Endpoints.respond(ctx, () -> {
      String id = ctx.pathParam("id");
      if (id == null || !id.matches("[a-z][a-z0-9_]{0,63}")) {
        throw DomainException.invalid("a policy id is lower case letters, digits and _, starting with a letter");
      }
      String raw = ctx.pathParam("version");
      if (raw == null || !raw.matches("[1-9][0-9]{0,8}")) throw DomainException.invalid("a version is a positive integer");
      return policies.explain(id, Integer.parseInt(raw)).map(e -> ApiResponse.json(200, explained(e)));
    }));
  }

  private void notices(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      int limit = Requests.limit(ctx, 20, 100);
      return policies.notices().list(Requests.cursor(ctx), limit).map(page -> {
        List<JsonObject> items = page.stream().map(n -> new JsonObject().put("id", n.id()).put("policyId", n.policyId())
            .put("version", n.version()).put("appliesFrom", n.appliesFrom().toString()).put("text", n.text())
            .put("policyUrl", "/v1/policies/" + n.policyId() + "/versions/" + n.version())).toList();
        Long next = page.size() == limit ? page.get(page.size() - 1).id() : null;
        return ApiResponse.json(200, Views.page(items, next));
      });
    });
  }

  static JsonObject explained(Policies.Explained e) {
    JsonArray rules = new JsonArray();
    for (PolicyWords.Rule r : e.rules()) {
      rules.add(new JsonObject().put("path", r.path()).put("text", r.text()).put("sentences", new JsonArray(r.sentences())));
    }
    return new JsonObject()
        .put("policyId", e.policy().id())
        .put("version", e.policy().version())
        .put("source", e.policy().source())
        .put("effective", e.policy().effective().map(Object::toString).orElse(null))
        .put("revised", e.published().publishedAt().toLocalDate().toString())
        .put("publishedAt", e.published().publishedAt().toString())
        .put("inForceSince", e.inForceSince() == null ? null : e.inForceSince().toString())
        .put("rules", rules);
  }
}
