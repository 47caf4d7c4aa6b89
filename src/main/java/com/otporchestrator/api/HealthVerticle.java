package com.otporchestrator.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The health listener of a process without the api role (a timers worker): {@code /health/live}
 * and {@code /health/ready} only, on HEALTH_PORT, so Kubernetes can probe it. Everything else 404s.
 */
public final class HealthVerticle extends VerticleBase {
  private final HealthRoutes routes;
  private final String host;
  private final int port;
  private HttpServer server;

  public HealthVerticle(HealthRoutes routes, String host, int port) {
    this.routes = routes;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    routes.mount(router);
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)).requestHandler(router).listen()
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
