package com.otporchestrator.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TcpProxy;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestStores;
import java.io.File;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows the stores: a node (api role, health on HTTP_PORT) and a worker (timers only,
 * health on HEALTH_PORT) both answer 503 naming the store while their own redis-server is stopped
 * or PostgreSQL is cut off (through a TCP proxy), stay live, and are ready again once it returns.
 */
@DisplayName("Readiness follows PostgreSQL and Redis, on api nodes and workers")
class ReadinessTest {
  private static final Duration FLIP = Duration.ofSeconds(10);

  private static TestStores.Isolated stores;
  private static int redisPort;
  private static Process redis;
  private static TcpProxy postgres;
  private static TestNode api;
  private static TestNode worker;
  private static Api workerHealth;

  @BeforeAll
  static void start() throws Exception {
    stores = TestStores.isolate(ReadinessTest.class);
    redisPort = TestNode.freePort();
    startRedis();
    URI db = URI.create(stores.databaseUrl());
    postgres = new TcpProxy(db.getHost(), db.getPort() < 0 ? 5432 : db.getPort());
    String proxiedDb = stores.databaseUrl().replace(db.getHost() + ":" + db.getPort(), "127.0.0.1:" + postgres.port());
    assertThat(proxiedDb).contains(":" + postgres.port() + "/");

    Map<String, String> env = TestNode.defaults(stores);
    env.put("DATABASE_URL", proxiedDb);
    env.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
    env.put("ROLES", "api,sandbox");
    api = TestNode.start(env);
    Map<String, String> workerEnv = TestNode.defaults(stores);
    workerEnv.put("DATABASE_URL", proxiedDb);
    workerEnv.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
    workerEnv.put("ROLES", "timers");
    int healthPort = TestNode.freePort();
    workerEnv.put("HEALTH_PORT", String.valueOf(healthPort));
    worker = TestNode.start(workerEnv);
    assertThat(worker.node().healthPort()).isEqualTo(healthPort);
    workerHealth = new Api("http://127.0.0.1:" + healthPort);
  }

  @AfterAll
  static void stop() {
    try {
      api.assertEventLoopNeverBlocked();
      worker.assertEventLoopNeverBlocked();
    } finally {
      postgres.restore();
      api.close();
      worker.close();
      stopRedis();
      postgres.close();
      stores.close();
    }
  }

  @Test
  @DisplayName("the worker's health listener serves only the two health paths")
  void workerServesOnlyHealth() {
    assertThat(workerHealth.get("/health/live", null).status()).isEqualTo(200);
    assertThat(workerHealth.get("/health/ready", null).status()).isEqualTo(200);
    assertThat(workerHealth.get("/v1/wallet", "x").status()).isEqualTo(404);
    assertThat(workerHealth.get("/admin/v1/invariants", TestNode.ADMIN_TOKEN).status()).isEqualTo(404);
    Api.Response scrape = workerHealth.get("/metrics", null);
    assertThat(scrape.status()).isEqualTo(200);
    assertThat(scrape.body()).contains("otp_timers_claimed_total");
  }

  @Test
  @DisplayName("Redis stopped: 503 naming Redis, still live; Redis back: ready again")
  void redisDownAndBack() throws Exception {
    awaitReady(true, "before");
    long stopped = System.nanoTime();
    stopRedis();
    awaitReady(false, "redis stopped");
    long flippedMs = (System.nanoTime() - stopped) / 1_000_000;
    for (Api health : List.of(api.api(), workerHealth)) {
      Api.Response ready = health.get("/health/ready", null);
      assertThat(ready.json().getString("redis")).startsWith("DOWN");
      assertThat(ready.json().getString("postgresql")).isEqualTo("UP");
      assertThat(health.get("/health/live", null).status()).isEqualTo(200);
    }
    long restarted = System.nanoTime();
    startRedis();
    awaitReady(true, "redis back");
    long backMs = (System.nanoTime() - restarted) / 1_000_000;
    System.out.printf("readiness: 503 %d ms after redis-server stopped, 200 again %d ms after it restarted%n", flippedMs, backMs);
  }

  @Test
  @DisplayName("PostgreSQL cut off: 503 naming PostgreSQL, still live; reachable again: ready again")
  void postgresDownAndBack() {
    awaitReady(true, "before");
    long cut = System.nanoTime();
    postgres.cut();
    awaitReady(false, "postgresql cut off");
    long flippedMs = (System.nanoTime() - cut) / 1_000_000;
    for (Api health : List.of(api.api(), workerHealth)) {
      Api.Response ready = health.get("/health/ready", null);
      assertThat(ready.json().getString("postgresql")).startsWith("DOWN");
      assertThat(ready.json().getString("redis")).isEqualTo("UP");
      assertThat(health.get("/health/live", null).status()).isEqualTo(200);
    }
    long restored = System.nanoTime();
    postgres.restore();
    awaitReady(true, "postgresql back");
    long backMs = (System.nanoTime() - restored) / 1_000_000;
    System.out.printf("readiness: 503 %d ms after PostgreSQL was cut off, 200 again %d ms after it returned%n", flippedMs, backMs);
  }

  private static void awaitReady(boolean expected, String when) {
    for (Api health : List.of(api.api(), workerHealth)) {
      Await.until((expected ? "ready" : "not ready") + " (" + when + ") at " + health.baseUrl(), FLIP, () -> {
        int status = health.get("/health/ready", null).status();
        return expected ? status == 200 : status == 503;
      });
    }
  }

  private static void startRedis() throws Exception {
    redis = new ProcessBuilder("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(new File("target/readiness-redis.log"))
        .start();
    Await.until("redis-server listening on " + redisPort, Duration.ofSeconds(10), () -> {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", redisPort)) {
        return true;
      } catch (Exception e) {
        return false;
      }
    });
  }

  private static void stopRedis() {
    if (redis == null) return;
    redis.destroy();
    try {
      if (!redis.waitFor(10, TimeUnit.SECONDS)) redis.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    redis = null;
  }
}
