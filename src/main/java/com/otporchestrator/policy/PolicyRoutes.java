package com.otporchestrator.policy;

import com.otporchestrator.api.AdminAuth;
import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.Requests;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * {@code /admin/v1/policies}: publish a new version of a refund policy (YAML, validated), read every version, and choose
 * which policy applies to orders bought from now on.
 */
final class PolicyRoutes {
  private static final Set<String> YAML_TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml",
      "text/x-yaml", "application/json");
  private static final Set<String> IN_FORCE_FIELDS = Set.of("policyId");

  private final Policies policies;

  PolicyRoutes(Policies policies) {
    this.policies = policies;
  }

  void mount(Router router) {
    router.post("/admin/v1/policies").handler(this::publish);
    router.get("/admin/v1/policies").handler(this::list);
    router.get("/admin/v1/policies/in-force").handler(this::inForce);
    router.put("/admin/v1/policies/in-force").handler(this::setInForce);
    router.get("/admin/v1/policies/:id").handler(this::history);
    router.get("/admin/v1/policies/:id/versions/:version").handler(this::version);
  }

  private void publish(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String type = ctx.request().getHeader("Content-Type");
      String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
      if (!YAML_TYPES.contains(mediaType)) {
        throw new DomainException(Kind.UNSUPPORTED_MEDIA_TYPE, "send the policy document as application/yaml");
      }
      String body = Requests.bodyText(ctx);
      if (body == null || body.isBlank()) throw DomainException.invalid("the policy document is empty");
      return policies.publish(body, AdminAuth.actor(ctx))
          .map(p -> ApiResponse.json(201, Policies.toJson(p))
              .withHeader("Location", "/admin/v1/policies/" + p.id() + "/versions/" + p.version()));
    });
  }

  private void list(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> policies.latest().map(all -> ApiResponse.json(200,
        new JsonObject().put("items", json(all)))));
  }

  private void history(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> policies.history(policyId(ctx)).map(versions -> ApiResponse.json(200,
        new JsonObject().put("policyId", ctx.pathParam("id")).put("versions", json(versions)))));
  }

  private void version(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String id = policyId(ctx);
      int version = versionParam(ctx);
      return policies.document(id, version).map(doc -> ApiResponse.json(200, doc));
    });
  }

  private void inForce(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> policies.inForce().compose(now -> policies.inForceHistory().map(history ->
        ApiResponse.json(200, new JsonObject().put("policyId", now.policy().id()).put("version", now.policy().version())
            .put("since", now.since().toString()).put("setBy", now.setBy()).put("history", history)))));
  }

  private void setInForce(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String id = Requests.requiredString(Requests.jsonBody(ctx, IN_FORCE_FIELDS), "policyId", 64);
      checkId(id);
      return policies.setInForce(id, AdminAuth.actor(ctx)).map(now -> ApiResponse.json(200, new JsonObject()
          .put("policyId", now.policy().id()).put("version", now.policy().version())
          .put("since", now.since().toString()).put("setBy", now.setBy())));
    });
  }

  private static String policyId(RoutingContext ctx) {
    return checkId(ctx.pathParam("id"));
  }

  private static String checkId(String id) {
    if (id == null || !id.matches("[a-z][a-z0-9_]{0,63}")) {
      throw DomainException.invalid("a policy id is lower case letters, digits and _, starting with a letter");
    }
    return id;
  }

  private static int versionParam(RoutingContext ctx) {
    String raw = ctx.pathParam("version");
    if (raw == null || !raw.matches("[1-9][0-9]{0,8}")) throw DomainException.invalid("a version is a positive integer");
    return Integer.parseInt(raw);
  }

  private static JsonArray json(java.util.List<PublishedPolicy> all) {
    JsonArray out = new JsonArray();
    all.forEach(p -> out.add(Policies.toJson(p)));
    return out;
  }
}
