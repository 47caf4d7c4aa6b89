package com.otporchestrator.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Liveness is cheap; readiness answers 503 while the process warms up after start and while it drains for shutdown,
 * and otherwise
 * checks PostgreSQL and Redis and answers 503 naming what is down (ready again once they answer).
 */
public final class HealthRoutes {
  private static final long CHECK_TIMEOUT_MS = 2_000;
  private final Pool pool;
  private final Redis redis;
  private final BooleanSupplier draining;
  private final BooleanSupplier warmedUp;

  /** @param warmedUp true once the node warmed up (connections, scripts, hot paths): not ready before */
  public HealthRoutes(Pool pool, Redis redis, BooleanSupplier draining, BooleanSupplier warmedUp) {
    this.pool = pool;
    this.redis = redis;
    this.draining = draining;
    this.warmedUp = warmedUp;
  }

  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    if (draining.getAsBoolean()) {
      json(ctx, 503, new JsonObject().put("status", "DRAINING"));
      return;
    }
    if (!warmedUp.getAsBoolean()) {
      json(ctx, 503, new JsonObject().put("status", "WARMING_UP"));
      return;
    }
    Future<String> postgres = pool.query("SELECT 1").execute().map("UP").timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(e -> Future.succeededFuture("DOWN: " + e.getMessage()));
    Future<String> cache = redis.send(Request.cmd(Command.PING)).map("UP").timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(e -> Future.succeededFuture("DOWN: " + e.getMessage()));
    Future.all(postgres, cache).onComplete(done -> {
      boolean up = "UP".equals(postgres.result()) && "UP".equals(cache.result());
      json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN")
          .put("postgresql", postgres.result()).put("redis", cache.result()));
    });
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
