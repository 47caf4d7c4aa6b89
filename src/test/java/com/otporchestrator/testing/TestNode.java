package com.otporchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.Node;
import com.otporchestrator.config.AppConfig;
import com.otporchestrator.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One orchestrator node started in its own Vert.x instance on a test class's private stores, with
 * settings made for tests (fast timers, no spontaneous sandbox SMS). Several can share the stores.
 */
public final class TestNode implements AutoCloseable {
  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

  private final Vertx vertx;
  private final Node node;
  private final AppConfig config;
  private final Api api;
  private final BlockedThreadWatch blocked = BlockedThreadWatch.install();
  private final int blockedBefore = blocked.warnings().size();

  private TestNode(Vertx vertx, Node node, AppConfig config) {
    this.vertx = vertx;
    this.node = node;
    this.config = config;
    this.api = new Api("http://127.0.0.1:" + config.httpPort());
  }

  public static Map<String, String> defaults(TestStores.Isolated stores) {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", stores.databaseUrl());
    env.put("REDIS_URL", stores.redisUrl());
    env.put("REDIS_KEY_PREFIX", stores.redisPrefix());
    env.put("ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("HTTP_PORT", String.valueOf(freePort()));
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("ROLES", "api,timers,sandbox");
    env.put("SANDBOX_PORT", "0");
    env.put("SANDBOX_SMS_PROBABILITY", "0");
    env.put("UPSTREAM_TIMEOUT_MS", "2000");
    env.put("TIMER_IDLE_POLL_MS", "20");
    env.put("TIMER_LEASE_MS", "3000");
    env.put("TIMER_PARK_MS", "3000");
    env.put("TIMER_SWEEP_INTERVAL_MS", "1000");
    env.put("TIMER_SWEEP_GRACE_MS", "2000");
    env.put("WARMUP_REQUESTS", "12"); // a token warm-up: the suite starts a hundred nodes
    return env;
  }

  public static TestNode start(TestStores.Isolated stores) {
    return start(defaults(stores));
  }

  public static TestNode start(Map<String, String> env) {
    AppConfig config = AppConfig.from(env);
    Vertx vertx = Metrics.vertx(new VertxOptions().setBlockedThreadCheckInterval(500).setMaxEventLoopExecuteTime(2)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS));
    try {
      Node node = Node.start(vertx, config).await(60, TimeUnit.SECONDS);
      node.warmedUp().await(60, TimeUnit.SECONDS);
      return new TestNode(vertx, node, config);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("node did not start: " + e, e);
    }
  }

  public Api api() {
    return api;
  }

  public AppConfig config() {
    return config;
  }

  public Node node() {
    return node;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Like {@link #customer(String, String)}, on the given rate-limit plan ("standard", "bulk"...). */
  public Customer customer(String name, String deposit, String plan) {
    Customer customer = customer(name, deposit);
    Api.Response response = api.put("/admin/v1/accounts/" + customer.id() + "/plan", ADMIN_TOKEN, new JsonObject().put("plan", plan));
    assertThat(response.status()).as("plan: %s", response).isEqualTo(200);
    return customer;
  }

  /** Creates an account funded with {@code deposit} USD and answers its id and API key. */
  public Customer customer(String name, String deposit) {
    JsonObject created = api.post("/admin/v1/accounts", ADMIN_TOKEN, new JsonObject().put("name", name)).json();
    long id = created.getLong("id");
    if (deposit != null) {
      Api.Response response = api.post("/admin/v1/accounts/" + id + "/deposits", ADMIN_TOKEN,
          new JsonObject().put("amount", deposit).put("reference", "test-" + name + "-" + System.nanoTime()));
      assertThat(response.status()).as("deposit: %s", response).isEqualTo(201);
    }
    return new Customer(id, created.getString("apiKey"));
  }

  /** Sells {@code service} in {@code country} through the sandbox supplier at {@code price} USD. */
  public void offer(String service, int country, String price) {
    Api.Response response = api.put("/admin/v1/offers", ADMIN_TOKEN, new JsonObject().put("service", service)
        .put("country", country).put("provider", "sandbox").put("price", price).put("cost", "0.01").put("stock", 100));
    assertThat(response.status()).as("offer: %s", response).isEqualTo(200);
  }

  /** How many activations match {@code where} (a SQL condition written by the test itself). */
  public long countActivations(String where) {
    return Await.result(node.core().pool().query("SELECT count(*) AS n FROM activations WHERE " + where).execute())
        .iterator().next().getLong("n");
  }

  /** The first column of the first row a query of the test's own answers (a count). */
  public long count(String sql) {
    return rows(sql).iterator().next().getLong(0);
  }

  /** The rows a query of the test's own answers, read straight from the node's database. */
  public io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> rows(String sql) {
    return Await.result(node.core().pool().query(sql).execute());
  }

  /** Every money invariant of docs/money.md holds. */
  public void assertMoneyInvariants() {
    JsonObject result = Await.result(node.modules().wallets().invariants().check());
    assertThat(result.getBoolean("ok")).as("money invariants: %s", result.encodePrettily()).isTrue();
  }

  public void assertEventLoopNeverBlocked() {
    assertThat(blocked.warnings().subList(blockedBefore, blocked.warnings().size()))
        .as("blocked-thread warnings").isEmpty();
  }

  public record Customer(long id, String apiKey) {}

  @Override
  public void close() {
    try {
      node.stop().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // a node that cannot stop cleanly still releases its Vert.x below
    } finally {
      try {
        vertx.close().await(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // closing is best effort in tests
      }
    }
  }

  /**
   * Puts a {@link TcpProxy} between the node {@code env} describes and its own sandbox supplier, so a test can make
   * the supplier hang ({@link TcpProxy#stall()}) or watch the node's connections to it. Close the proxy after the node.
   */
  public static TcpProxy supplierBehindProxy(Map<String, String> env) {
    int sandboxPort = freePort();
    TcpProxy proxy = new TcpProxy("127.0.0.1", sandboxPort);
    env.put("SANDBOX_PORT", String.valueOf(sandboxPort));
    env.put("SANDBOX_ADVERTISED_URL", "http://127.0.0.1:" + proxy.port() + "/smshub");
    return proxy;
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
