package com.otporchestrator.web;

import com.otporchestrator.policy.Policies;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The refund policy in words (in force, or any version an order was bought under) and the notices of changes. */
final class PolicyPages {
  private final CustomerPages pages;
  private final Policies policies;

  PolicyPages(CustomerPages pages, Policies policies) {
    this.pages = pages;
    this.policies = policies;
  }

  void mount(Router router) {
    router.get("/app/policy").handler(ctx -> show(ctx, policies.explainInForce()));
    router.get("/app/policy/:id/:version").handler(ctx -> {
      String id = ctx.pathParam("id");
      String version = ctx.pathParam("version");
      if (!id.matches("[a-z][a-z0-9_]{0,63}") || !version.matches("[1-9][0-9]{0,8}")) {
        pages.pages().notFound(ctx);
        return;
      }
      show(ctx, policies.explain(id, Integer.parseInt(version)));
    });
  }

  private void show(RoutingContext ctx, Future<Policies.Explained> explained) {
    explained.compose(e -> policies.notices().list(null, 10).map(notices -> {
      pages.render(ctx, pages.page(ctx, "Refund policy", "/app/policy"), "app/policy.jte", "policy", e,
          "notices", notices);
      return null;
    })).onFailure(ctx::fail);
  }
}
