package com.otporchestrator.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestStores;
import com.otporchestrator.timer.TimerKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Three orchestrators as separate JVM processes ({@code java -cp <test classpath> com.otporchestrator.App})
 * on one PostgreSQL database and one Redis prefix: A runs api,timers,sandbox; B api,timers; C only
 * timers (probed on HEALTH_PORT). B gets SIGTERM while purchases run; C gets SIGKILL while it holds
 * claimed expiry batches. Every order must still end once, refunded once, with no timer lost.
 */
@DisplayName("Processes: SIGTERM during purchases, SIGKILL during expiry")
class ProcessCrashAndShutdownTest {
  private static final int ORDERS = 3_000;
  private static final int CUSTOMERS = 10;
  private static final int IN_FLIGHT = 32;
  /** The target: a dead node's claimed timers fire within 10 s, with the product's default lease (no override here). */
  private static final long TAKEOVER_TARGET_MS = 10_000;
  private static final long STOP_BUDGET_MS = 25_000;
  private static final String[] SERVICES = {"tg", "wa", "go", "fb", "ig", "vk", "ok", "tw", "ds", "am"};
  private static final int[] COUNTRIES = {0, 1, 2, 6, 16, 22};
  private static final Path LOGS = Path.of("target", "process-test");
  private static final Pattern ENGINE = Pattern.compile("timer engine ([0-9a-f]+) started");

  private static TestStores.Isolated stores;
  private static final Map<String, Child> children = new LinkedHashMap<>();
  private static Vertx vertx;
  private static Redis redis;
  private static Pool pool;
  private static TimerKeys keys;

  private record Child(String name, Process process, Api health, Path log, long startedNanos) {
    String engineId() throws IOException {
      Matcher m = ENGINE.matcher(Files.readString(log));
      return m.find() ? m.group(1) : null;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    stores = TestStores.isolate(ProcessCrashAndShutdownTest.class);
    Files.createDirectories(LOGS);
    Map<String, String> common = TestNode.defaults(stores);
    common.remove("HTTP_PORT");
    common.remove("TIMER_LEASE_MS"); // the product's default lease decides how soon survivors take over
    common.put("ACTIVATION_WINDOW_SECONDS", "5");
    common.put("CANCEL_DELAY_SECONDS", "1");
    common.put("ALLOCATION_TIMEOUT_SECONDS", "5");
    // The PostgreSQL sweep must not rescue a dead node's batches: recovery here is the lease reaper's.
    common.put("TIMER_SWEEP_GRACE_MS", "60000");
    common.put("TIMER_SWEEP_INTERVAL_MS", "5000");
    common.put("SHUTDOWN_DELAY_MS", "1000");
    common.put("SHUTDOWN_DRAIN_MS", "5000");
    int portA = TestNode.freePort();
    int portB = TestNode.freePort();
    int healthC = TestNode.freePort();
    // A first: it registers the sandbox supplier in the database, which B and C load when they start.
    spawn("A", common, Map.of("ROLES", "api,timers,sandbox", "HTTP_PORT", String.valueOf(portA),
        "SANDBOX_PORT", String.valueOf(TestNode.freePort())), portA);
    awaitReady(children.get("A"));
    spawn("B", common, Map.of("ROLES", "api,timers", "HTTP_PORT", String.valueOf(portB)), portB);
    spawn("C", common, Map.of("ROLES", "timers", "HTTP_PORT", String.valueOf(TestNode.freePort()),
        "HEALTH_PORT", String.valueOf(healthC)), healthC);
    awaitReady(children.get("B"));
    awaitReady(children.get("C"));
    vertx = Vertx.vertx();
    redis = com.otporchestrator.store.RedisStore.client(vertx, stores.redisUrl(), 4);
    pool = com.otporchestrator.store.Database.pool(vertx, stores.databaseUrl(), 2, "process-test");
    keys = new TimerKeys(stores.redisPrefix(), 64);
  }

  private static void awaitReady(Child child) {
    Await.until(child.name() + " ready", Duration.ofSeconds(90), () -> {
      assertThat(child.process().isAlive()).as(child.name() + " exited early; see " + child.log()).isTrue();
      return readyStatus(child.health()) == 200;
    });
    System.out.printf("process %s ready %.1f s after it was started%n", child.name(), (System.nanoTime() - child.startedNanos()) / 1e9);
  }

  private static void spawn(String name, Map<String, String> common, Map<String, String> own, int healthPort) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = LOGS.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "com.otporchestrator.App")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(common);
    builder.environment().putAll(own);
    children.put(name, new Child(name, builder.start(), new Api("http://127.0.0.1:" + healthPort), log, System.nanoTime()));
  }

  @AfterAll
  static void stop() throws Exception {
    for (Child child : children.values()) {
      if (child.process().isAlive()) {
        child.process().destroyForcibly();
        child.process().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (vertx != null) vertx.close().await(10, TimeUnit.SECONDS);
    if (stores != null) stores.close();
  }

  @Test
  @DisplayName("3,000 orders: B stopped gracefully mid-purchase, C killed mid-expiry; every order ends and is refunded once")
  void survivesSigtermAndSigkill() throws Exception {
    Child a = children.get("A");
    Child b = children.get("B");
    Child c = children.get("C");
    Api admin = a.health();
    for (String service : SERVICES) {
      for (int country : COUNTRIES) {
        assertThat(admin.put("/admin/v1/offers", TestNode.ADMIN_TOKEN, new JsonObject().put("service", service)
            .put("country", country).put("provider", "sandbox").put("price", "0.05").put("cost", "0.01")
            .put("stock", 500)).status()).isEqualTo(200);
      }
    }
    List<String> apiKeys = new ArrayList<>();
    List<Long> accountIds = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS; i++) {
      JsonObject created = admin.post("/admin/v1/accounts", TestNode.ADMIN_TOKEN, new JsonObject().put("name", "p" + i)).json();
      long id = created.getLong("id");
      assertThat(admin.post("/admin/v1/accounts/" + id + "/deposits", TestNode.ADMIN_TOKEN,
          new JsonObject().put("amount", "100.00").put("reference", "p-" + i)).status()).isEqualTo(201);
      assertThat(admin.put("/admin/v1/accounts/" + id + "/plan", TestNode.ADMIN_TOKEN, new JsonObject().put("plan", "bulk"))
          .status()).isEqualTo(200);
      apiKeys.add(created.getString("apiKey"));
      accountIds.add(id);
    }

    // ---- purchases over A and B; SIGTERM to B a third of the way through --------------------------------
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    Semaphore permits = new Semaphore(IN_FLIGHT);
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
    Set<Long> created = ConcurrentHashMap.newKeySet();
    AtomicInteger done = new AtomicInteger();
    AtomicReference<Boolean> bGone = new AtomicReference<>(false);
    CompletableFuture<long[]> sigterm = null;
    CompletableFuture<Kill> sigkill = null;
    AtomicReference<Long> sigtermSent = new AtomicReference<>();
    AtomicInteger bAnsweredAfterSigterm = new AtomicInteger();
    List<CompletableFuture<?>> all = new ArrayList<>(ORDERS);
    long purchaseStart = System.nanoTime();
    for (int i = 0; i < ORDERS; i++) {
      permits.acquire();
      if (sigterm == null && done.get() >= ORDERS / 3) {
        sigtermSent.set(System.nanoTime());
        sigterm = CompletableFuture.supplyAsync(() -> terminate(b));
      }
      // Expiries have been firing since about 5 s after the first purchase; C dies in the middle of them.
      if (sigkill == null && done.get() >= 2 * ORDERS / 3) sigkill = CompletableFuture.supplyAsync(() -> killHoldingLeases(c));
      boolean toB = i % 2 == 1 && !bGone.get();
      Child target = toB ? b : a;
      JsonObject body = new JsonObject().put("service", SERVICES[i % SERVICES.length])
          .put("country", COUNTRIES[(i / SERVICES.length) % COUNTRIES.length]);
      HttpRequest request = HttpRequest.newBuilder(URI.create(target.health().baseUrl() + "/v1/activations"))
          .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + apiKeys.get(i % CUSTOMERS))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
      all.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
        permits.release();
        done.incrementAndGet();
        String node = toB ? "B" : "A";
        String outcome;
        if (error != null) {
          outcome = node + " connection error";
          if (toB) bGone.set(true); // the client's load balancer stops sending to B
        } else if (response.statusCode() == 201) {
          outcome = node + " 201";
          if (toB && sigtermSent.get() != null) bAnsweredAfterSigterm.incrementAndGet();
          created.add(new JsonObject(response.body()).getLong("id"));
        } else if (response.statusCode() >= 500) {
          outcome = node + " " + response.statusCode();
        } else {
          outcome = node + " " + response.statusCode();
          if (unexpected.size() < 5) unexpected.add(outcome + " " + response.body());
        }
        outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(120, TimeUnit.SECONDS);
    double purchaseSeconds = (System.nanoTime() - purchaseStart) / 1e9;
    assertThat(sigterm).as("SIGTERM sent during the purchases").isNotNull();
    long[] stopped = sigterm.get(40, TimeUnit.SECONDS); // {ms until exit, exit code, ms until readiness 503}
    assertThat(unexpected).as("answers other than 201, 5xx or a connection error").isEmpty();
    assertThat(stopped[1]).as("B's exit code after SIGTERM (128 + 15: the JVM ran its hooks)").isEqualTo(143);
    assertThat(stopped[0]).as("ms from SIGTERM to B's exit").isLessThan(STOP_BUDGET_MS);
    assertThat(Files.readString(b.log())).as("B's log").contains("graceful stop complete");
    assertThat(stopped[2]).as("ms from SIGTERM until B's readiness answered 503").isBetween(0L, 1_000L);
    assertThat(outcomes.get("B 201")).as("B sold before and during its drain").isNotNull();

    // ---- SIGKILL C while it held claimed batches (done during the purchases, see killHoldingLeases) ----
    assertThat(sigkill).as("SIGKILL sent during the purchases").isNotNull();
    Kill kill = sigkill.get(60, TimeUnit.SECONDS);
    String engineC = kill.engineId();
    assertThat(kill.openAtKill()).as("orders still open when C was killed").isPositive();
    assertThat(kill.orphaned()).as("C held unacknowledged claims when killed").isNotEmpty();
    assertThat(kill.takeoverMs()).as("ms from SIGKILL until a survivor fired every timer C had claimed")
        .isBetween(0L, TAKEOVER_TARGET_MS);
    Await.until("C's leases gone from Redis", Duration.ofSeconds(30), () -> claimsOf(engineC).isEmpty());

    // ---- the end state ---------------------------------------------------------------------------------
    Await.until("every order closed", Duration.ofSeconds(60), () -> count("closed_at IS NULL") == 0);
    Await.until("every supplier close done", Duration.ofSeconds(60),
        () -> count("upstream_state IN ('OPEN', 'CLOSING')") == 0);
    double totalSeconds = (System.nanoTime() - purchaseStart) / 1e9;
    long orders = count("true");
    int answered201 = outcomes.entrySet().stream().filter(e -> e.getKey().endsWith(" 201")).mapToInt(e -> e.getValue().get()).sum();
    assertThat(created).hasSize(answered201);
    assertThat(orders).as("orders in PostgreSQL: every 201, plus any whose answer was lost").isGreaterThanOrEqualTo(answered201);
    assertThat(count("state NOT IN ('EXPIRED', 'FAILED')")).as("orders in another final state").isZero();
    String createdIds = created.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    assertThat(count("id IN (" + createdIds + ") AND state <> 'EXPIRED'")).as("sold orders not expired").isZero();
    assertThat(count("(SELECT count(*) FROM ledger_entries e WHERE e.order_id = activations.id AND e.kind = 'void') <> 1"))
        .as("orders not refunded exactly once").isZero();
    assertThat(count("EXISTS (SELECT 1 FROM ledger_entries e WHERE e.order_id = activations.id AND e.kind = 'capture')"))
        .as("captured orders (no SMS was sent)").isZero();
    for (String key : apiKeys) {
      JsonObject wallet = a.health().get("/v1/wallet", key).json();
      assertThat(wallet.getString("balance")).as("balance").isEqualTo("100.00");
      assertThat(wallet.getString("held")).as("held").isEqualTo("0.00");
    }
    JsonObject invariants = a.health().get("/admin/v1/invariants", TestNode.ADMIN_TOKEN).json();
    assertThat(invariants.getBoolean("ok")).as("money invariants %s", invariants.encodePrettily()).isTrue();
    assertThat(redisTimersLeft()).as("timers left in Redis (due or claimed)").isZero();
    assertThat(a.process().isAlive()).isTrue();

    System.out.printf("processes: %d purchases in %.1f s (%s); B: readiness 503 %d ms after SIGTERM, exit %d after %d ms;"
            + " %d purchases answered 201 by B after its SIGTERM;"
            + " C killed holding %d unacknowledged leases (%d timers: %s), %d orders open;"
            + " survivors fired all of them %d ms after SIGKILL (target %d ms, default lease); %d orders in PostgreSQL,"
            + " all final and refunded once, %.1f s after the first purchase%n",
        ORDERS, purchaseSeconds, new java.util.TreeMap<>(outcomes), stopped[2], stopped[1], stopped[0],
        bAnsweredAfterSigterm.get(), kill.orphaned().size(), kill.members().size(), kill.kinds(), kill.openAtKill(),
        kill.takeoverMs(), TAKEOVER_TARGET_MS, orders, totalSeconds);
  }

  /** What C held when it was killed, and how long the survivors took to fire it. */
  private record Kill(String engineId, Map<String, Set<String>> orphaned, long openAtKill, long takeoverMs) {
    Set<String> members() {
      Set<String> all = new HashSet<>();
      orphaned.values().forEach(all::addAll);
      return all;
    }

    Map<Character, Long> kinds() {
      return members().stream().collect(java.util.stream.Collectors.groupingBy(m -> m.charAt(0), java.util.TreeMap::new,
          java.util.stream.Collectors.counting()));
    }
  }

  /**
   * Waits (at most 30 s) until C's engine holds a claimed batch in Redis, SIGKILLs it, reads which of
   * its leases were never acknowledged, and measures until a survivor has fired every one of those
   * timers: an expiry ("x:id") when its order is closed, a supplier close ("c:id") when it is no
   * longer CLOSING.
   */
  private static Kill killHoldingLeases(Child c) {
    try {
      String engine = c.engineId();
      assertThat(engine).as("C's timer engine id in its log").isNotNull();
      // Freeze C (SIGSTOP) before looking: a frozen process cannot acknowledge, so claims seen while it is
      // frozen are still held when SIGKILL lands. Looking at a running C raced its acknowledgements.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      signal(c.process().pid(), "STOP");
      while (System.nanoTime() < deadline && claimsOf(engine).isEmpty()) {
        signal(c.process().pid(), "CONT");
        Thread.sleep(5);
        signal(c.process().pid(), "STOP");
      }
      long openAtKill = count("closed_at IS NULL");
      c.process().destroyForcibly();
      long killed = System.nanoTime();
      assertThat(c.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
      Map<String, Set<String>> orphaned = claimsOf(engine);
      Set<Long> expiries = new HashSet<>();
      Set<Long> closes = new HashSet<>();
      orphaned.values().forEach(members -> members.forEach(m -> {
        long id = Long.parseLong(m.substring(2));
        if (m.startsWith("x:")) expiries.add(id);
        else if (m.startsWith("c:")) closes.add(id);
      }));
      Await.until("C's claimed timers fired by a survivor", Duration.ofSeconds(30),
          () -> (expiries.isEmpty() || count("id IN (" + ids(expiries) + ") AND closed_at IS NULL") == 0)
              && (closes.isEmpty() || count("id IN (" + ids(closes) + ") AND upstream_state = 'CLOSING'") == 0));
      return new Kill(engine, orphaned, openAtKill, (System.nanoTime() - killed) / 1_000_000);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void signal(long pid, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectErrorStream(true).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
    }
  }

  private static String ids(Set<Long> ids) {
    return ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
  }

  /** SIGTERM to B; answers {ms until it exited, its exit code, ms until its readiness answered 503}. */
  private static long[] terminate(Child b) {
    long sent = System.nanoTime();
    b.process().destroy();
    long notReadyMs = -1;
    while (b.process().isAlive() && notReadyMs < 0 && System.nanoTime() - sent < TimeUnit.SECONDS.toNanos(5)) {
      int status = readyStatus(b.health());
      if (status != 200) notReadyMs = (System.nanoTime() - sent) / 1_000_000;
    }
    try {
      boolean exited = b.process().waitFor(STOP_BUDGET_MS + 10_000, TimeUnit.MILLISECONDS);
      long ms = (System.nanoTime() - sent) / 1_000_000;
      return new long[] {ms, exited ? b.process().exitValue() : -1, notReadyMs};
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new long[] {-1, -1, notReadyMs};
    }
  }

  /** 200, 503, or -1 when nothing answers. */
  private static int readyStatus(Api health) {
    try {
      HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(health.baseUrl() + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The unacknowledged leases of one engine, every shard: lease id -> claimed members. */
  private static Map<String, Set<String>> claimsOf(String engineId) {
    RedisAPI api = RedisAPI.api(redis);
    List<Future<Response>> reads = new ArrayList<>();
    for (int shard = 0; shard < keys.shards(); shard++) reads.add(api.hgetall(keys.claims(shard)));
    Future.join(reads).await();
    Map<String, Set<String>> leases = new HashMap<>();
    for (Future<Response> read : reads) {
      Response hash = read.result();
      for (String lease : hash.getKeys()) {
        if (lease.startsWith(engineId + "-")) leases.put(lease, Set.of(hash.get(lease).toString().split(",")));
      }
    }
    return leases;
  }

  private static long redisTimersLeft() {
    RedisAPI api = RedisAPI.api(redis);
    long left = 0;
    for (int shard = 0; shard < keys.shards(); shard++) {
      left += Await.result(api.zcard(keys.due(shard))).toLong();
      left += Await.result(api.hlen(keys.claims(shard))).toLong();
    }
    return left;
  }

  private static long count(String where) {
    return Await.result(pool.query("SELECT count(*) AS n FROM activations WHERE " + where).execute())
        .iterator().next().getLong("n");
  }
}
