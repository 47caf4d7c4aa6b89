package com.otporchestrator.timer;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.config.AppConfig.TimerSettings;
import com.otporchestrator.store.RedisStore;
import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.ConcurrentPurchases;
import com.otporchestrator.testing.LocalRedisCluster;
import com.otporchestrator.testing.RedisKeys;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The timer engine and whole nodes on a real three-master Redis Cluster started for this class from
 * the machine's redis-server (see {@link LocalRedisCluster}), with REDIS_CLUSTER=true and every
 * node listed in REDIS_URL. Nothing is loaded into the cluster beforehand: the first EVALSHA on each
 * master answers NOSCRIPT, so the EVAL fallback is exercised on every master.
 */
@DisplayName("Timers, expiries, rate limits and order notices on a three-master Redis Cluster")
class RedisClusterTest {
  private static final int ENGINE_TIMERS = 5_000;
  private static final int ORDERS = 600;
  private static final int CUSTOMERS = 12;

  private static LocalRedisCluster cluster;
  private static TestStores.Isolated stores;
  private static final List<TestNode> nodes = new ArrayList<>();

  @BeforeAll
  static void start() {
    cluster = LocalRedisCluster.start();
    try {
      stores = TestStores.isolate(RedisClusterTest.class);
      for (int i = 0; i < 2; i++) {
        Map<String, String> env = TestNode.defaults(stores);
        env.put("REDIS_URL", cluster.url());
        env.put("REDIS_CLUSTER", "true");
        env.put("REDIS_POOL_SIZE", "4");
        env.put("ACTIVATION_WINDOW_SECONDS", "4");
        env.put("CANCEL_DELAY_SECONDS", "1");
        // long enough that the PostgreSQL sweep never fires what the cluster should have fired
        env.put("TIMER_SWEEP_GRACE_MS", "30000");
        env.put("ROLES", i == 0 ? "api,timers,sandbox" : "api,timers");
        nodes.add(TestNode.start(env));
      }
    } catch (RuntimeException | Error e) {
      stop();
      throw e;
    }
  }

  @AfterAll
  static void stop() {
    try {
      nodes.forEach(TestNode::assertEventLoopNeverBlocked);
    } finally {
      nodes.forEach(TestNode::close);
      if (stores != null) stores.close();
      if (cluster != null) cluster.close();
    }
  }

  // ---- the engine alone

  @Test
  @DisplayName("three engines share 5,000 timers over 32 shards spread on all three masters: disjoint claims, each fired once")
  void threeEnginesOnTheCluster() throws Exception {
    Vertx vertx = Vertx.vertx();
    Redis redis = RedisStore.client(vertx, List.of(cluster.url().split(",")), true, 4);
    String prefix = stores.redisPrefix() + "engines:";
    List<String> engines = new ArrayList<>();
    try {
      TimerKeys keys = new TimerKeys(prefix, 32);
      Set<Integer> owners = new HashSet<>();
      for (int shard = 0; shard < keys.shards(); shard++) {
        owners.add(cluster.ownerOf(keys.due(shard)));
        for (String key : keys.claimKeys(shard)) {
          assertThat(cluster.ownerOf(key)).as("every key of shard %d on one master", shard).isEqualTo(cluster.ownerOf(keys.due(shard)));
        }
      }
      assertThat(owners).as("masters holding timer shards").containsExactlyInAnyOrderElementsOf(cluster.ports());

      TimerEngine.Scripts scripts = Await.result(TimerEngine.Scripts.load(vertx));
      TimerSettings settings = new TimerSettings(32, 40, Duration.ofSeconds(20), Duration.ofMillis(10),
          Duration.ofSeconds(30), Duration.ofSeconds(60), 4);
      TimerStats stats = new TimerStats();
      FiringRecorder fired = new FiringRecorder();
      for (int e = 0; e < 3; e++) {
        TimerHandler handler = fired.newEngine();
        engines.add(Await.result(vertx.deployVerticle(new EngineVerticle(
            v -> new TimerEngine(v, redis, keys, settings, Map.of(TimerKind.EXPIRE, handler), scripts, stats)))));
      }

      long now = System.currentTimeMillis();
      List<Timer> timers = IntStream.range(0, ENGINE_TIMERS)
          .mapToObj(i -> new Timer(TimerKind.EXPIRE, 1_000_000L + i, now + 200 + (i % 1_000))).toList();
      Await.result(new TimerService(redis, keys).scheduleAll(timers));

      Await.until("all 5,000 timers fired", Duration.ofSeconds(60), () -> fired.distinctFired() == ENGINE_TIMERS);
      Await.pause(Duration.ofMillis(500));

      Set<Long> union = fired.assertEachFiredOnceByOneEngine(ENGINE_TIMERS);
      assertThat(stats.claimed.sum()).isEqualTo(ENGINE_TIMERS);
      Await.until("every lease acknowledged", Duration.ofSeconds(5), () -> stats.applied.sum() == ENGINE_TIMERS);
      assertThat(stats.reaped.sum()).isZero();
      for (int shard = 0; shard < keys.shards(); shard++) {
        assertThat(RedisKeys.zcard(redis, keys.due(shard))).isZero();
        assertThat(RedisKeys.zcard(redis, keys.leases(shard))).isZero();
      }
      // the claim script reached every master through EVALSHA's NOSCRIPT -> EVAL fallback (or the node's SCRIPT LOAD)
      for (int port : cluster.ports()) {
        assertThat(cluster.command(port, "SCRIPT", "EXISTS", scripts.claim().sha1())).as("claim script on %d", port)
            .isEqualTo(List.of(1L));
      }
      System.out.printf("cluster engines: %d timers fired once each, claims per engine %s%n", union.size(),
          fired.claimsPerEngine());
    } finally {
      for (String id : engines) vertx.undeploy(id).await(10, TimeUnit.SECONDS); // before the client closes
      RedisKeys.deleteAll(redis, prefix);
      redis.close();
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  // ---- whole nodes

  @Test
  @DisplayName("two nodes expire 600 activations on the cluster and refund each exactly once; the sweep never had to step in")
  void activationsExpireAndAreRefundedOnce() throws Exception {
    TestNode first = nodes.get(0);
    first.offer("tg", 0, "0.05");
    first.offer("wa", 6, "0.05");
    List<Customer> customers = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS; i++) customers.add(first.customer("cluster-" + i, "50.00", "bulk"));
    long sweptBefore = nodes.stream().mapToLong(n -> n.node().core().timers().stats().swept.sum()).sum();

    assertThat(buy(customers)).isEqualTo(ORDERS);
    Await.until("every activation expired", Duration.ofSeconds(90), () -> count("closed_at IS NULL") == 0);

    assertThat(count("state = 'EXPIRED'")).isEqualTo(ORDERS);
    assertThat(count("(SELECT count(*) FROM ledger_entries e WHERE e.order_id = activations.id AND e.kind = 'void') <> 1"))
        .as("activations not refunded exactly once").isZero();
    for (Customer customer : customers) {
      JsonObject wallet = nodes.get(1).api().get("/v1/wallet", customer.apiKey()).json();
      assertThat(wallet.getString("balance")).isEqualTo("50.00");
      assertThat(wallet.getString("held")).isEqualTo("0.00");
    }
    nodes.forEach(TestNode::assertMoneyInvariants);
    long swept = nodes.stream().mapToLong(n -> n.node().core().timers().stats().swept.sum()).sum() - sweptBefore;
    assertThat(swept).as("timers the PostgreSQL sweep had to fire").isZero();
    for (TestNode node : nodes) {
      assertThat(node.node().core().timers().stats().applied.sum()).as("timers applied by every node").isPositive();
    }

    // the seeded markers live beside their shards, one per shard, on every master
    TimerKeys keys = first.node().core().timers().service().keys();
    Redis redis = first.node().core().redis();
    Set<Integer> markerOwners = new HashSet<>();
    for (int shard = 0; shard < keys.shards(); shard++) {
      assertThat(Await.result(redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.EXISTS)
          .arg(keys.seededMarker(shard)))).toLong()).as("seeded marker of shard %d", shard).isEqualTo(1);
      assertThat(cluster.ownerOf(keys.seededMarker(shard))).isEqualTo(cluster.ownerOf(keys.due(shard)));
      markerOwners.add(cluster.ownerOf(keys.seededMarker(shard)));
    }
    assertThat(markerOwners).containsExactlyInAnyOrderElementsOf(cluster.ports());
    System.out.printf("cluster nodes: %d activations expired and refunded once; timers applied per node %d / %d; swept %d%n",
        ORDERS, first.node().core().timers().stats().applied.sum(), nodes.get(1).node().core().timers().stats().applied.sum(), swept);
  }

  @Test
  @DisplayName("rate-limit buckets on different masters: each account gets its burst across both nodes, then 429")
  void rateLimitsOnTheCluster() {
    TestNode first = nodes.get(0);
    Api.Response plan = first.api().put("/admin/v1/plans/tiny", TestNode.ADMIN_TOKEN,
        new JsonObject().put("requestsPerSecond", 1).put("burst", 5));
    assertThat(plan.status()).as("%s", plan).isEqualTo(200);
    Set<Integer> bucketOwners = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      Customer customer = first.customer("limited-" + i, "1.00", "tiny");
      for (int r = 0; r < 5; r++) {
        assertThat(nodes.get(r % 2).api().get("/v1/wallet", customer.apiKey()).status()).as("request %d of account %d", r, i).isEqualTo(200);
      }
      Api.Response refused = nodes.get(1).api().get("/v1/wallet", customer.apiKey());
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.header("Retry-After")).isNotNull();
      String bucket = stores.redisPrefix() + "rl:{" + customer.id() + "}";
      assertThat(cluster.command(cluster.ownerOf(bucket), "EXISTS", bucket)).as("bucket %s on its master", bucket).isEqualTo(1L);
      bucketOwners.add(cluster.ownerOf(bucket));
    }
    assertThat(bucketOwners).as("masters holding the six buckets").hasSizeGreaterThan(1);
  }

  @Test
  @DisplayName("each node's subscriber, on one node of the cluster, hears a notice published on any of the three")
  void noticesReachSubscribersFromEveryMaster() {
    String channel = stores.redisPrefix() + "orders:changed";
    for (TestNode node : nodes) {
      long before = node.node().modules().push().channel().stats().noticesReceived.sum();
      for (int port : cluster.ports()) {
        assertThat((Long) cluster.command(port, "PUBLISH", channel, "987654321")).as("publish on %d", port).isGreaterThanOrEqualTo(0);
      }
      Await.until("three notices received", Duration.ofSeconds(5),
          () -> node.node().modules().push().channel().stats().noticesReceived.sum() - before >= 3);
      int subscribedOn = 0;
      for (int port : cluster.ports()) {
        if (String.valueOf(cluster.command(port, "CLIENT", "LIST")).contains("name=" + node.node().modules().push().channel().subscriberName())) subscribedOn++;
      }
      assertThat(subscribedOn).as("nodes holding this node's subscriber connection").isEqualTo(1);
    }
  }

  /** Buys ORDERS activations over both nodes, 16 at a time. */
  private static int buy(List<Customer> customers) throws Exception {
    return ConcurrentPurchases.buy(ORDERS, 16, i -> nodes.get(i % 2).api(), i -> customers.get(i % CUSTOMERS).apiKey(),
        i -> i % 2 == 0 ? new JsonObject().put("service", "tg").put("country", 0)
            : new JsonObject().put("service", "wa").put("country", 6));
  }

  private static long count(String where) {
    return nodes.get(0).countActivations(where);
  }

}
