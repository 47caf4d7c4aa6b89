package com.otporchestrator.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The consoles' static files under {@code /assets/}: our stylesheet and script (src/main/resources/web/assets), and
 * htmx with its server-sent events extension from their webjars. Nothing is fetched from another origin.
 */
public final class Assets {
  /** The webjars' folders: their versions are the pom's htmx.version and htmx-ext-sse.version (AssetsTest fetches each). */
  static final String HTMX = "META-INF/resources/webjars/htmx.org/2.0.4/dist";
  static final String HTMX_SSE = "META-INF/resources/webjars/htmx-ext-sse/2.2.2";

  private Assets() {}

  static void mount(Router router) {
    router.route("/assets/*").handler(Pages::securityHeaders);
    router.get("/assets/htmx/*").handler(StaticHandler.create(HTMX).setCachingEnabled(true).setMaxAgeSeconds(3600));
    router.get("/assets/htmx-sse/*").handler(StaticHandler.create(HTMX_SSE).setCachingEnabled(true).setMaxAgeSeconds(3600));
    router.get("/assets/*").handler(StaticHandler.create("web/assets").setCachingEnabled(true).setMaxAgeSeconds(300));
  }
}
