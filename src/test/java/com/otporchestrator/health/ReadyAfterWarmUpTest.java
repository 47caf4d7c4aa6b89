package com.otporchestrator.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.Node;
import com.otporchestrator.config.AppConfig;
import com.otporchestrator.metrics.Metrics;
import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A node's listener is up before it has warmed up; until the warm-up is done readiness answers 503 WARMING_UP while
 * liveness answers 200, and the warm-up's own requests have not happened. The warm-up is held back by the test
 * (a gate the node waits on), so what is asserted is the order of things, not how long they take.
 */
@DisplayName("A starting node reports ready only after its warm-up: connections, Lua scripts, requests through the hot paths and purchase rehearsals that write nothing")
class ReadyAfterWarmUpTest {
  private static final int WARMUP_REQUESTS = 120;

  @Test
  void readinessWaitsForTheWarmUpAndTheWarmUpRunsTheHotPaths() throws Exception {
    try (TestStores.Isolated stores = TestStores.isolate(ReadyAfterWarmUpTest.class)) {
      Map<String, String> env = TestNode.defaults(stores);
      env.put("WARMUP_REQUESTS", String.valueOf(WARMUP_REQUESTS));
      AppConfig config = AppConfig.from(env);
      Vertx vertx = Metrics.vertx(new VertxOptions());
      try {
        Promise<Void> gate = Promise.promise();
        Node node = Node.start(vertx, config, gate.future()).await(60, TimeUnit.SECONDS);
        Api api = new Api("http://127.0.0.1:" + config.httpPort());

        for (int probe = 0; probe < 5; probe++) {
          Api.Response ready = api.get("/health/ready", null);
          assertThat(ready.status()).as("%s", ready).isEqualTo(503);
          assertThat(ready.json()).isEqualTo(new JsonObject().put("status", "WARMING_UP"));
          assertThat(api.get("/health/live", null).status()).isEqualTo(200);
        }
        assertThat(node.warmedUp().isComplete()).isFalse();
        assertThat(refusedKeyLookups(api)).as("warm-up requests before the warm-up").isZero();
        Api.Response offer = api.put("/admin/v1/offers", TestNode.ADMIN_TOKEN, new JsonObject().put("service", "tg")
            .put("country", 0).put("provider", "sandbox").put("price", "0.20").put("cost", "0.01").put("stock", 100));
        assertThat(offer.status()).as("%s", offer).isEqualTo(200);
        assertThat(orderIdsDrawn(node)).as("order ids drawn before the warm-up").isFalse();

        gate.complete();
        node.warmedUp().await(60, TimeUnit.SECONDS);

        // the purchase rehearsals ran the hold statement (it draws an order id) and it wrote nothing
        assertThat(orderIdsDrawn(node)).as("order ids drawn by the rehearsals' hold statements").isTrue();
        assertThat(count(node, "activations")).isZero();
        assertThat(count(node, "ledger_entries")).isZero();

        Api.Response ready = api.get("/health/ready", null);
        assertThat(ready.status()).as("%s", ready).isEqualTo(200);
        assertThat(ready.json().getString("status")).isEqualTo("UP");
        // one request in six looks an unknown key up on GET /v1/activations (another GETs /v1/wallet with none)
        assertThat(refusedKeyLookups(api)).isGreaterThanOrEqualTo(WARMUP_REQUESTS / 6);
        for (String script : List.of("rate-limit", "abuse-window", "timer-claim", "timer-reap", "timer-settle", "timer-unpark")) {
          Response exists = Await.result(node.core().redis().send(Request.cmd(Command.SCRIPT).arg("EXISTS")
              .arg(sha1("/lua/" + script + ".lua"))));
          assertThat(exists.get(0).toInteger()).as("script %s loaded", script).isEqualTo(1);
        }
        node.stop().await(30, TimeUnit.SECONDS);
      } finally {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  private static boolean orderIdsDrawn(Node node) {
    return Await.result(node.core().pool().query("SELECT is_called FROM order_ids").execute()).iterator().next()
        .getBoolean("is_called");
  }

  private static long count(Node node, String table) {
    return Await.result(node.core().pool().query("SELECT count(*) AS n FROM " + table).execute()).iterator().next()
        .getLong("n");
  }

  /** GETs under /v1 answered 401 (the guard's route), as counted by the node's own metrics. */
  private static long refusedKeyLookups(Api api) {
    long total = 0;
    for (String line : api.get("/metrics", null).body().split("\n")) {
      if (line.startsWith("vertx_http_server_requests_total{") && line.contains("method=\"GET\"")
          && line.contains("code=\"401\"") && line.contains("route=\"/v1/")) {
        total += new BigInteger(line.substring(line.lastIndexOf(' ') + 1).split("\\.")[0]).longValue();
      }
    }
    return total;
  }

  private static String sha1(String resource) throws Exception {
    try (InputStream in = ReadyAfterWarmUpTest.class.getResourceAsStream(resource)) {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(
          new String(in.readAllBytes(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    }
  }
}
