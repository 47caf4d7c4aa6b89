package com.otporchestrator.api;

import com.otporchestrator.config.AppConfig;
import com.otporchestrator.module.FeatureModule;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP front: one instance per event loop, each with its own router and listener, mounting the routes of the
 * feature modules the process built once. It builds no service: the order below (what runs before what) is all it
 * decides.
 */
public final class HttpApiVerticle extends VerticleBase {
  static final long BODY_LIMIT_BYTES = 64 * 1024;
  /** One per process: the OpenAPI document is read once. */
  private static final ApiDocs DOCS = new ApiDocs();

  private final Guards guards;
  private final List<FeatureModule> modules;
  private final Handler<RoutingContext> metrics;
  private final HealthRoutes health;
  private final AppConfig config;
  private HttpServer server;

  /**
   * @param metrics the {@code GET /metrics} handler
   * @param modules every feature module, in the order their routes are mounted
   */
  public HttpApiVerticle(Guards guards, List<FeatureModule> modules, Handler<RoutingContext> metrics,
                         HealthRoutes health, AppConfig config) {
    this.guards = guards;
    this.modules = List.copyOf(modules);
    this.metrics = metrics;
    this.health = health;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    // Before the access log: a scrape every few seconds would drown it. Only in-memory values, no auth (no secrets).
    router.get("/metrics").handler(metrics);
    router.route().handler(new AccessLog());
    router.route().handler(ctx -> {
      Requests.limits(ctx, config.limits());
      ClientAddress.resolve(ctx, config.trustedProxies());
      ctx.next();
    });
    router.route().handler(RequestChecks::queryString);
    // Uploads read bodies above the global limit: their routes answer before the global body handler.
    modules.forEach(module -> module.mountBeforeBody(router));
    router.route().handler(RequestChecks.readingBody(BODY_LIMIT_BYTES)).handler(RequestChecks::bodyRead);
    health.mount(router);
    DOCS.mount(router); // the contract and its docs page: public, before the guards
    router.route("/v1/*").handler(guards.customers());
    router.route("/v1/*").handler(guards.rateLimit());
    router.route("/admin/v1/*").handler(guards.admins());
    modules.forEach(module -> module.mount(router));

    router.route().failureHandler(Problems::send);
    router.errorHandler(404, Problems::send);
    router.errorHandler(405, Problems::send);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.httpHost())
        .setPort(config.httpPort())
        .setDecompressionSupported(true)
        .setCompressionSupported(true)
        .setMaxFormAttributeSize((int) BODY_LIMIT_BYTES);
    return vertx.createHttpServer(options).connectionHandler(MalformedRequests.installer(config.limits().bodyTimeout())).requestHandler(router).listen()
        .onSuccess(s -> server = s);
  }

  /**
   * Graceful: the listener stops accepting at once, idle connections close, requests in flight get
   * up to SHUTDOWN_DRAIN_MS to finish (event streams end at once: see ActivationEventStream), then
   * whatever is left is closed.
   */
  @Override
  public Future<?> stop() {
    if (server == null) return Future.succeededFuture();
    return server.shutdown(config.lifecycle().shutdownDrain().toMillis(), TimeUnit.MILLISECONDS);
  }
}
