package com.otporchestrator.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The customer console's pages, behind {@link CustomerSessions}. */
final class AppRoutes {
  private final CustomerPages pages;

  AppRoutes(CustomerPages pages) {
    this.pages = pages;
  }

  void mount(Router router) {
    router.get("/app").handler(this::home);
  }

  private void home(RoutingContext ctx) {
    pages.render(ctx, pages.page(ctx, "Activations", "/app"), "app/home.jte");
  }
}
