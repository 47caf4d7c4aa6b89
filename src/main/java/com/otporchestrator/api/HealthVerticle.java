package com.otporchestrator.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The listener of a process without the api role (a timers worker): {@code /health/live},
 * {@code /health/ready} and {@code /metrics} only, on HEALTH_PORT, so Kubernetes can probe it and
 * Prometheus scrape it. Everything else 404s.
 */
public final class HealthVerticle extends VerticleBase {
  private final HealthRoutes routes;
  private final Handler<RoutingContext> metrics;
  private final String host;
  private final int port;
  private HttpServer server;

  public HealthVerticle(HealthRoutes routes, Handler<RoutingContext> metrics, String host, int port) {
    this.routes = routes;
    this.metrics = metrics;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    routes.mount(router);
    router.get("/metrics").handler(metrics);
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
        // probes and scrapes send no body: the body timeout hardly matters here
        .connectionHandler(MalformedRequests.installer(java.time.Duration.ofSeconds(30)))
        .requestHandler(router).listen()
        .onSuccess(s -> server = s);
  }

  /** The port it listens on (useful when HEALTH_PORT is 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
