package com.otporchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The pool the modules get sends each statement to the lane of the code that makes it: a verticle deployed on the
 * timer lane (the timer engine) uses the timer pool, any other code the requests' pool. Here the requests' pool points
 * at a port nobody listens on, so a statement that reaches it fails and one that reaches the timer pool answers.
 */
@DisplayName("The routed pool: the timer engine's statements use the timer pool")
class DatabasePoolsTest {
  private static TestStores.Isolated stores;
  private static Vertx vertx;
  private static DatabasePools pools;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(DatabasePoolsTest.class);
    vertx = Vertx.vertx();
    String nowhere = "postgresql://postgres@127.0.0.1:" + TestNode.freePort() + "/nowhere";
    pools = new DatabasePools(Database.pool(vertx, nowhere, 2, "lane-test-requests"),
        Database.pool(vertx, stores.databaseUrl(), 2, "lane-test-timers"),
        Database.pool(vertx, stores.databaseUrl(), 1, "lane-test-health"));
  }

  @AfterAll
  static void stop() throws Exception {
    pools.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    stores.close();
  }

  @Test
  @DisplayName("a statement made on a verticle of the timer lane reaches the timer pool")
  void timerLaneUsesTheTimerPool() throws Exception {
    assertThat(selectOneFrom(DatabasePools.timerLane())).isEqualTo("answered");
  }

  @Test
  @DisplayName("a statement made on any other verticle reaches the requests' pool")
  void otherVerticlesUseTheRequestsPool() throws Exception {
    assertThat(selectOneFrom(new JsonObject())).startsWith("failed");
  }

  /** Deploys a verticle with {@code config} that runs SELECT 1 on the routed pool, then a second one from its reply. */
  private static String selectOneFrom(JsonObject config) throws Exception {
    Promise<String> outcome = Promise.promise();
    Pool routed = pools.routed();
    String id = vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        routed.query("SELECT 1").execute()
            .compose(first -> routed.query("SELECT 1").execute()) // the reply's callback stays on the lane
            .onComplete(done -> outcome.complete(done.succeeded() ? "answered" : "failed: " + done.cause()));
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setConfig(config)).await(10, TimeUnit.SECONDS);
    try {
      return outcome.future().await(20, TimeUnit.SECONDS);
    } finally {
      vertx.undeploy(id).await(10, TimeUnit.SECONDS);
    }
  }
}
