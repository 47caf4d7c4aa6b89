import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The chaos campaign: N orchestrator nodes as separate processes on the run's own PostgreSQL and Redis, a
 * sandbox supplier process behind a fault-injecting proxy, a mixed customer workload, scheduled faults, a fuzzer that
 * mutates every documented request on raw sockets, and the conservation checks in SQL at the end.
 *
 * <p>Started by bench/chaos/run.sh (which builds the jar, starts the stores and holds the heavy-run lock) as a
 * single-file program on the service's jar (for its JSON classes): {@code java -cp target/otp-orchestrator.jar
 * bench/chaos/ChaosDriver.java key=value...}. Blocking code on virtual threads throughout: the workload on
 * java.net.http, the fuzzer on plain sockets (it must send bytes no HTTP client would).
 *
 * <p>Exit code: 0 every check passed, 1 a check failed, 2 the harness itself could not run.
 */
public class ChaosDriver {
  static final String ADMIN = "chaos-admin-token-0123456789";
  static final String SUPPLIER_KEY = "chaos-sandbox-key";
  static final List<String> SERVICES = List.of("tg", "wa", "go", "fb", "ig", "vk", "ok", "tw", "ds", "am", "mm", "oi", "lf", "dr", "ot");
  static final List<Integer> COUNTRIES = List.of(0, 1, 2, 6, 22, 187);
  /** The service the low-balance race buys: every offer of it costs $0.25. */
  static final String RACE_SERVICE = "vk";

  // ---------------------------------------------------------------- settings
  final Map<String, String> opt = new HashMap<>();
  String size;
  int nodes;
  int basePort;
  int pgPort;
  int redisPort;
  Path out;
  Path jar;
  Path storesScript;
  int workloadSeconds;
  double ordersPerSecond;
  long fuzzTarget;
  int fuzzThreads;
  int raceRounds;
  int windowSeconds;
  int workerAccounts;
  int supplierPeriodSeconds;
  int faultGraceSeconds;
  long leaseMs = 30_000;
  long graceMs = 60_000;
  String nodeJvm;

  // ---------------------------------------------------------------- run state
  final long t0 = System.currentTimeMillis();
  final Instant startedAt = Instant.now();
  String loadAtStart;
  final List<NodeProc> nodeProcs = new ArrayList<>();
  Process supplier;
  FaultProxy supplierProxy;
  PushBalancer pushBalancer;
  HttpClient http;
  final List<Account> workers = new ArrayList<>();
  Account fuzzer;       // the fuzzer's customer identity
  Account victim;       // the account the fuzzer's admin requests act on
  final Map<Long, String> keyOfAccount = new ConcurrentHashMap<>();
  final AtomicBoolean workloadRunning = new AtomicBoolean(true);
  final AtomicBoolean fuzzRunning = new AtomicBoolean(true);
  /** Set once every scheduled fault has ended (its node ready again). */
  final AtomicBoolean faultsDone = new AtomicBoolean();
  final Stats stats = new Stats();
  final List<Fault> faults = Collections.synchronizedList(new ArrayList<>());
  final List<String> readinessEvents = Collections.synchronizedList(new ArrayList<>());
  final Map<Integer, List<long[]>> readinessSeries = new ConcurrentHashMap<>();
  /** Other accounts' orders, for the fuzzer's cross-account substitutions: {id, phoneDigits-as-long or 0, isRental}. */
  final AtomicReferenceArray<long[]> foreignOrders = new AtomicReferenceArray<>(4096);
  final AtomicLong foreignCount = new AtomicLong();
  final List<Long> fuzzOwnActivations = new ArrayList<>();
  final List<Long> fuzzOwnRentals = new ArrayList<>();
  final Map<Long, Boolean> openRentals = new ConcurrentHashMap<>();
  final Map<String, Long> depositsSent = new ConcurrentHashMap<>();     // reference -> micro-USD
  final Map<String, Long> idempotentOrders = new ConcurrentHashMap<>(); // key -> first order id
  final LongAdder idempotentReplays = new LongAdder();
  final LongAdder idempotentMismatches = new LongAdder();
  final LongAdder depositReplays = new LongAdder();
  final LongAdder depositReplayWrong = new LongAdder();
  final Map<String, Long> pushedSms = new ConcurrentHashMap<>();       // dedupe key -> order id
  final LongAdder duplicatePushes = new LongAdder();
  final LongAdder crossProbes = new LongAdder();
  final LongAdder crossLeaks = new LongAdder();
  final LongAdder keyProbes = new LongAdder();
  final LongAdder keyBypasses = new LongAdder();
  final List<String> leakExamples = Collections.synchronizedList(new ArrayList<>());
  final AtomicLong smsIds = new AtomicLong(900_000_000_000L);
  final AtomicLong refs = new AtomicLong();
  final List<JsonObject> poisonProbes = Collections.synchronizedList(new ArrayList<>());
  final List<JsonObject> raceRoundsOut = Collections.synchronizedList(new ArrayList<>());

  record Account(long id, String key) {}

  public static void main(String[] args) throws Exception {
    // The supplier proxy and the push balancer are the JDK's HttpServer, which closes a kept-alive connection idle for
    // 30 s, or at once when 200 are idle. The nodes' clients keep theirs for 60 s, so the server closed some just as a
    // node sent a purchase on them, whose outcome was then unknown (6 answers 502 in the full run of 4 December, at a
    // moment with no fault). A supplier that closes idle connections before its clients do is a fault of its own, not
    // one this campaign schedules: outside the fault windows the doubles keep connections as long as the clients.
    System.setProperty("sun.net.httpserver.idleInterval", "300");
    System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
    ChaosDriver d = new ChaosDriver();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq > 0) d.opt.put(a.substring(0, eq), a.substring(eq + 1));
    }
    int rc;
    try {
      d.configure();
      rc = d.run();
    } catch (Throwable e) {
      System.err.println("chaos: the harness failed: " + e);
      e.printStackTrace();
      rc = 2;
    } finally {
      d.stopEverything();
    }
    System.exit(rc);
  }

  void configure() {
    size = opt.getOrDefault("size", "small");
    boolean full = size.equals("full");
    nodes = intOpt("nodes", 3);
    basePort = intOpt("base-port", 18400);
    pgPort = intOpt("pg-port", 55440);
    redisPort = intOpt("redis-port", 16390);
    out = Path.of(opt.getOrDefault("out", "bench/chaos/results/last"));
    jar = Path.of(opt.getOrDefault("jar", "target/otp-orchestrator.jar"));
    storesScript = Path.of(opt.getOrDefault("stores", "bench/chaos/stores.sh"));
    workloadSeconds = intOpt("seconds", full ? 1620 : 150);
    ordersPerSecond = Double.parseDouble(opt.getOrDefault("rate", full ? "80" : "35"));
    fuzzTarget = Long.parseLong(opt.getOrDefault("fuzz", full ? "1000000" : "100000"));
    fuzzThreads = intOpt("fuzz-threads", 24);
    raceRounds = intOpt("race-rounds", full ? 90 : 12);
    windowSeconds = intOpt("window", full ? 60 : 30);
    workerAccounts = intOpt("accounts", full ? 60 : 20);
    supplierPeriodSeconds = intOpt("supplier-fault-seconds", full ? 60 : 15);
    faultGraceSeconds = intOpt("fault-grace", 15);
    nodeJvm = opt.getOrDefault("node-jvm", "-Xmx768m");
  }

  int intOpt(String k, int d) {
    return Integer.parseInt(opt.getOrDefault(k, String.valueOf(d)));
  }

  long now() {
    return System.currentTimeMillis() - t0;
  }

  static void log(String fmt, Object... args) {
    System.err.printf("chaos %s %s%n", java.time.LocalTime.now().withNano(0), String.format(fmt, args));
  }

  // ================================================================= the run
  int run() throws Exception {
    Files.createDirectories(out);
    loadAtStart = Files.readString(Path.of("/proc/loadavg")).trim();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3))
        .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    supplierProxy = new FaultProxy(basePort + 3, basePort + 2);
    pushBalancer = new PushBalancer(basePort + 4);
    startSupplier();
    for (int i = 0; i < nodes; i++) nodeProcs.add(new NodeProc(i, basePort + 10 + i));
    for (NodeProc n : nodeProcs) n.start();
    for (NodeProc n : nodeProcs) n.awaitReady(180_000);
    log("%d nodes ready after %.1f s", nodes, now() / 1000.0);
    setup();
    try {
      itemProbes();
    } catch (Exception e) {
      log("input probes failed: %s", e);
    }
    Thread readiness = Thread.ofVirtual().start(this::watchReadiness);
    List<Fault> schedule = schedule();
    planned.addAll(schedule);
    Thread faultThread = Thread.ofVirtual().start(() -> {
      try {
        runFaults(schedule);
      } finally {
        faultsDone.set(true);
      }
    });
    long workloadStart = now();
    ExecutorService fuzzPool = Executors.newVirtualThreadPerTaskExecutor();
    Fuzzer fz = new Fuzzer();
    for (int i = 0; i < fuzzThreads; i++) fuzzPool.submit(fz::loop);
    Thread race = Thread.ofVirtual().start(this::raceLoop);
    Thread progress = Thread.ofVirtual().start(() -> progress(fz));
    workload(workloadStart);
    log("workload stopped; waiting for the scenarios in flight, the faults and the race");
    faultThread.join();
    race.join();
    inFlight.acquire(MAX_IN_FLIGHT);
    inFlight.release(MAX_IN_FLIGHT);
    // the fuzzer goes on until it sent its share, bounded in time: with 27 minutes of load the full run has sent about
    // 500,000 when the load ends and adds about 430 a second after it, so it needs about 20 minutes more
    long fuzzDeadline = now() + (size.equals("full") ? 1_800_000 : 120_000);
    while (fz.sent.sum() < fuzzTarget && now() < fuzzDeadline) Thread.sleep(500);
    fuzzRunning.set(false);
    fuzzPool.shutdown();
    fuzzPool.awaitTermination(60, TimeUnit.SECONDS);
    closeOpenRentals();
    drain();
    workloadRunning.set(false);
    readiness.interrupt();
    progress.interrupt();
    JsonObject report = report(fz, workloadStart);
    Files.writeString(out.resolve("chaos.json"), report.encodePrettily());
    String summary = summary(report);
    Files.writeString(out.resolve("summary.txt"), summary);
    System.out.println(summary);
    return report.getBoolean("ok") ? 0 : 1;
  }

  void progress(Fuzzer fz) {
    try {
      while (true) {
        Thread.sleep(10_000);
        log("t=%ds orders launched=%d in-flight=%d requests=%d fuzz=%d 5xx=%d dropped=%d load=%s", now() / 1000,
            stats.launched.sum(), MAX_IN_FLIGHT - inFlight.availablePermits(), stats.requests.sum(), fz.sent.sum(),
            stats.fiveXx.size(), stats.dropped.size(), Files.readString(Path.of("/proc/loadavg")).trim());
      }
    } catch (Exception e) {
      // interrupted: the run is over
    }
  }

  // ================================================================= processes
  Map<String, String> commonEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("DATABASE_URL", "postgresql://postgres@127.0.0.1:" + pgPort + "/chaos");
    env.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
    env.put("REDIS_KEY_PREFIX", "chaos:");
    env.put("ADMIN_TOKEN", ADMIN);
    env.put("SANDBOX_KEY", SUPPLIER_KEY);
    env.put("ACTIVATION_WINDOW_SECONDS", String.valueOf(windowSeconds));
    env.put("CANCEL_DELAY_SECONDS", "2");
    env.put("RENTAL_MIN_HOURS", "1");
    env.put("LOG_FORMAT", "text");
    return env;
  }

  Process launch(String name, Map<String, String> env, String jvm) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String part : jvm.trim().split("\\s+")) if (!part.isEmpty()) cmd.add(part);
    cmd.add("-jar");
    cmd.add(jar.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(out.resolve(name + ".log").toFile()));
    Process p = pb.start();
    Files.writeString(out.resolve("pids"), p.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return p;
  }

  void startSupplier() throws Exception {
    Map<String, String> env = commonEnv();
    env.put("ROLES", "sandbox");
    env.put("HEALTH_PORT", String.valueOf(basePort + 1));
    env.put("SANDBOX_PORT", String.valueOf(basePort + 2));
    env.put("SANDBOX_HOST", "127.0.0.1");
    // every node reaches the supplier through the fault proxy; the supplier pushes its SMS to the balancer
    env.put("SANDBOX_ADVERTISED_URL", "http://127.0.0.1:" + (basePort + 3) + "/smshub");
    env.put("HTTP_PORT", String.valueOf(basePort + 4));
    env.put("SANDBOX_SMS_PROBABILITY", "0.15");
    env.put("SANDBOX_SMS_DELAY_SECONDS", "4");
    supplier = launch("supplier", env, "-Xmx384m -XX:TieredStopAtLevel=1");
    long deadline = System.currentTimeMillis() + 180_000;
    while (System.currentTimeMillis() < deadline) {
      if (!supplier.isAlive()) throw new IllegalStateException("the supplier process died at start-up (see supplier.log)");
      if (status("http://127.0.0.1:" + (basePort + 1) + "/health/ready") == 200) {
        log("supplier ready (pid %d)", supplier.pid());
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the supplier was not ready after 180 s");
  }

  int status(String url) {
    return status(url, 2000);
  }

  /**
   * The readiness probe of the production manifests (k8s/base/deployment.yaml): a 3 s timeout, and a pod is taken out
   * of service after 2 failures in a row. A flap is such a run; a single failed probe is counted apart.
   */
  static final int READINESS_PROBE_TIMEOUT_MS = 3000;
  static final int READINESS_FAILURE_THRESHOLD = 2;

  /**
   * Probes get an HTTP client of their own: with the workload's, the short timeout of a probe could outlive its answer
   * on a pooled connection and cut the next request sent on it a few seconds later ("request timed out" after 4 s of a
   * 40 s timeout, on every node at once).
   */
  final HttpClient probeHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(3)).build();

  int status(String url, int timeoutMs) {
    try {
      return probeHttp.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(timeoutMs)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  final class NodeProc {
    final int index;
    final int port;
    volatile Process process;
    volatile boolean up;
    volatile long startedAt;
    volatile long readyAt;

    NodeProc(int index, int port) {
      this.index = index;
      this.port = port;
    }

    void start() throws IOException {
      Map<String, String> env = commonEnv();
      env.put("HTTP_PORT", String.valueOf(port));
      env.put("ROLES", "api,timers");
      startedAt = now();
      process = launch("node" + index, env, nodeJvm);
      log("node%d started (pid %d, port %d)", index, process.pid(), port);
    }

    void awaitReady(long timeoutMs) throws InterruptedException {
      long deadline = System.currentTimeMillis() + timeoutMs;
      while (System.currentTimeMillis() < deadline) {
        if (!process.isAlive()) throw new IllegalStateException("node" + index + " died (see node" + index + ".log)");
        if (status("http://127.0.0.1:" + port + "/health/ready") == 200) {
          readyAt = now();
          up = true;
          return;
        }
        Thread.sleep(200);
      }
      throw new IllegalStateException("node" + index + " not ready after " + timeoutMs + " ms");
    }
  }

  void stopEverything() {
    workloadRunning.set(false);
    fuzzRunning.set(false);
    for (NodeProc n : nodeProcs) {
      if (n.process != null && n.process.isAlive()) n.process.destroy();
    }
    for (NodeProc n : nodeProcs) {
      try {
        if (n.process != null && !n.process.waitFor(30, TimeUnit.SECONDS)) n.process.destroyForcibly();
      } catch (InterruptedException ignored) {
        n.process.destroyForcibly();
      }
    }
    if (supplier != null && supplier.isAlive()) {
      supplier.destroy();
      try {
        if (!supplier.waitFor(30, TimeUnit.SECONDS)) supplier.destroyForcibly();
      } catch (InterruptedException ignored) {
        supplier.destroyForcibly();
      }
    }
    if (supplierProxy != null) supplierProxy.stop();
    if (pushBalancer != null) pushBalancer.stop();
  }

  int stores(String command) {
    try {
      Process p = new ProcessBuilder("bash", storesScript.toString(), command).inheritIO().start();
      return p.waitFor(90, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (Exception e) {
      log("stores %s failed: %s", command, e);
      return -1;
    }
  }

  // ================================================================= HTTP (workload)
  record Resp(int status, String body, Map<String, List<String>> headers) {
    JsonObject json() {
      try {
        return body == null || body.isEmpty() || body.charAt(0) != '{' ? new JsonObject() : new JsonObject(body);
      } catch (Exception e) {
        return new JsonObject();
      }
    }

    String header(String name) {
      List<String> v = headers == null ? null : headers.get(name.toLowerCase());
      if (v == null) {
        for (var e : headers == null ? Map.<String, List<String>>of().entrySet() : headers.entrySet()) {
          if (e.getKey().equalsIgnoreCase(name)) return e.getValue().isEmpty() ? null : e.getValue().get(0);
        }
        return null;
      }
      return v.isEmpty() ? null : v.get(0);
    }
  }

  static final int IO_REFUSED = -1;
  static final int IO_DROPPED = -2;
  static final int IO_TIMEOUT = -3;
  /** The server closed while we were still sending (a too-large request cut off), and no answer could be read. */
  static final int IO_CLOSED_SENDING = -4;
  /** No answer to a request that never ended (CR-only lines, a TLS hello, random bytes): waiting for the rest is fine. */
  static final int IO_INCOMPLETE = -5;

  NodeProc pickNode() {
    List<NodeProc> upNodes = new ArrayList<>();
    for (NodeProc n : nodeProcs) if (n.up) upNodes.add(n);
    if (upNodes.isEmpty()) return nodeProcs.get(ThreadLocalRandom.current().nextInt(nodeProcs.size()));
    return upNodes.get(ThreadLocalRandom.current().nextInt(upNodes.size()));
  }

  NodeProc otherNode(NodeProc not) {
    for (int i = 0; i < 5; i++) {
      NodeProc n = pickNode();
      if (n != not) return n;
    }
    return pickNode();
  }

  /**
   * A request as a well-behaved client sends it: an answer 503 with Retry-After (the node refused the work, having done
   * nothing) is counted as shed and the request is sent again after the time it names, up to {@link #SHED_RETRIES}
   * times; the last answer is the one judged.
   */
  Resp call(NodeProc node, String op, String method, String path, String bearer, String body, String... headers) {
    for (int attempt = 0; ; attempt++) {
      Resp r = callOnce(node, op, method, path, bearer, body, attempt < SHED_RETRIES, headers);
      if (r.status != 503 || attempt >= SHED_RETRIES || retryAfterSeconds(r.headers) < 0) return r;
      sleep(Math.min(10, retryAfterSeconds(r.headers)) * 1000L);
    }
  }

  static final int SHED_RETRIES = 3;
  /**
   * How long the fuzzer waits for an answer: past the nodes' default REQUEST_BODY_TIMEOUT_MS (30 s), after which a
   * request whose body did not all arrive (a short Content-Length, a chunk size larger than its data) is answered 408.
   */
  static final int BODY_WAIT_MS = 45_000;

  static long retryAfterSeconds(Map<String, List<String>> headers) {
    for (var e : headers.entrySet()) {
      if (e.getKey() == null || !e.getKey().equalsIgnoreCase("retry-after") || e.getValue().isEmpty()) continue;
      try {
        return Math.max(0, Long.parseLong(e.getValue().get(0).trim()));
      } catch (NumberFormatException ignored) {
        return -1;
      }
    }
    return -1;
  }

  Resp callOnce(NodeProc node, String op, String method, String path, String bearer, String body, boolean mayRetry,
                String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + path)).timeout(Duration.ofSeconds(40));
    if (bearer != null) b.header("Authorization", "Bearer " + bearer);
    for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    if (body != null) b.header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    long start = System.nanoTime();
    long at = now();
    int status;
    String text = "";
    Map<String, List<String>> hdrs = Map.of();
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      status = r.statusCode();
      text = r.body();
      hdrs = r.headers().map();
    } catch (ConnectException e) {
      status = IO_REFUSED;
    } catch (java.net.http.HttpTimeoutException e) {
      status = IO_TIMEOUT;
      text = e.toString(); // a connect timeout (3 s) or no answer in 40 s
    } catch (IOException e) {
      status = IO_DROPPED;
      text = e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = IO_DROPPED;
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    String request = method + " " + path + (body == null ? "" : " " + clip(body, 300));
    if (status == 503 && mayRetry && retryAfterSeconds(hdrs) >= 0) {
      stats.shed(op, node.index, at, ms, request, text);
      return new Resp(status, text, hdrs);
    }
    stats.record("workload", op, node.index, at, ms, status, request, text);
    return new Resp(status, text, hdrs);
  }

  static String clip(String s, int n) {
    if (s == null) return "";
    return s.length() <= n ? s : s.substring(0, n) + "...(" + s.length() + " chars)";
  }

  Resp admin(String op, String method, String path, JsonObject body) {
    return call(pickNode(), op, method, path, ADMIN, body == null ? null : body.encode());
  }

  Resp adminOk(String op, String method, String path, JsonObject body) {
    for (int attempt = 0; attempt < 20; attempt++) {
      Resp r = admin(op, method, path, body);
      if (r.status >= 200 && r.status < 300) return r;
      if (r.status >= 400 && r.status < 500) throw new IllegalStateException(op + " answered " + r.status + ": " + r.body);
      sleep(500);
    }
    throw new IllegalStateException(op + " kept failing");
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ================================================================= set-up
  void setup() throws Exception {
    adminOk("setup", "PUT", "/admin/v1/plans/chaos", new JsonObject().put("requestsPerSecond", 100000).put("burst", 1000000));
    // two suppliers the fuzzer's admin requests may change: never enabled, so they never take a workload order
    for (String p : List.of("fuzzprov", "fuzzprov2")) {
      adminOk("setup", "PUT", "/admin/v1/providers/" + p, new JsonObject().put("protocol", "smshub")
          .put("baseUrl", "http://127.0.0.1:" + (basePort + 99) + "/none").put("apiKey", "fuzz-key-0123").put("enabled", false));
    }
    for (String s : SERVICES) {
      for (int c : COUNTRIES) {
        String price = s.equals(RACE_SERVICE) ? "0.25" : List.of("0.30", "0.40", "0.50", "0.80").get(Math.floorMod((s + c).hashCode(), 4));
        adminOk("setup", "PUT", "/admin/v1/offers", new JsonObject().put("service", s).put("country", c).put("provider", "sandbox")
            .put("price", price).put("cost", "0.10").put("stock", 500));
      }
    }
    for (int c : List.of(0, 1, 2)) {
      adminOk("setup", "PUT", "/admin/v1/rent-offers", new JsonObject().put("provider", "sandbox").put("country", c)
          .put("service", "full").put("hourlyPrice", "0.02").put("hourlyCost", "0.01").put("stock", 1000));
      adminOk("setup", "PUT", "/admin/v1/rent-offers", new JsonObject().put("provider", "sandbox").put("country", c)
          .put("service", "tg").put("hourlyPrice", "0.01").put("stock", 1000));
    }
    for (int i = 0; i < workerAccounts; i++) workers.add(newAccount("worker-" + i, "5000.00"));
    fuzzer = newAccount("fuzzer", "2000.00");
    victim = newAccount("victim", "10.00");
    // the fuzzer's own orders, so its mutated requests reach real rows of its own too
    for (int i = 0; i < 12; i++) {
      Resp r = call(pickNode(), "setup", "POST", "/v1/activations", fuzzer.key,
          new JsonObject().put("service", SERVICES.get(i % SERVICES.size())).put("country", 0).encode());
      if (r.status == 201) fuzzOwnActivations.add(r.json().getLong("id"));
    }
    for (int i = 0; i < 3; i++) {
      Resp r = call(pickNode(), "setup", "POST", "/v1/rentals", fuzzer.key, new JsonObject().put("country", 0).put("hours", 1).encode());
      if (r.status == 201) fuzzOwnRentals.add(r.json().getLong("id"));
    }
    log("set up: %d offers, %d worker accounts, fuzzer %d (%d activations, %d rentals), victim %d", SERVICES.size() * COUNTRIES.size(),
        workers.size(), fuzzer.id, fuzzOwnActivations.size(), fuzzOwnRentals.size(), victim.id);
  }

  Account newAccount(String name, String deposit) {
    JsonObject a = adminOk("setup", "POST", "/admin/v1/accounts", new JsonObject().put("name", name)).json();
    Account acc = new Account(a.getLong("id"), a.getString("apiKey"));
    keyOfAccount.put(acc.id, acc.key);
    adminOk("setup", "PUT", "/admin/v1/accounts/" + acc.id + "/plan", new JsonObject().put("plan", "chaos"));
    String ref = "init-" + acc.id;
    adminOk("setup", "POST", "/admin/v1/accounts/" + acc.id + "/deposits", new JsonObject().put("amount", deposit).put("reference", ref));
    depositsSent.put(ref, usd(deposit));
    return acc;
  }

  static long usd(String s) {
    return new java.math.BigDecimal(s).movePointRight(6).longValueExact();
  }

  // ================================================================= hostile inputs, one deterministic request each
  final JsonArray probeResults = new JsonArray();

  /** Sends one request of each kind of hostile input the campaign has found (before any load or fault) and records what came back. */
  void itemProbes() {
    NodeProc n = nodeProcs.get(0);
    String host = "Host: 127.0.0.1:" + n.port + "\r\n";
    String cust = "Authorization: Bearer " + fuzzer.key + "\r\n";
    String adm = "Authorization: Bearer " + ADMIN + "\r\n";
    String json = "Content-Type: application/json\r\n";
    String form = "Content-Type: application/x-www-form-urlencoded\r\n";
    Account rich = newAccount("overflow", "1000.00");
    String longField = "a=" + "x".repeat(1100);
    Object[][] probes = {
        {"1", "bad %-escape in a query string", "GET /v1/activations?cursor=% HTTP/1.1\r\n" + host + cust + "\r\n"},
        {"1", "bad %-escape in an admin query string", "GET /admin/v1/outages?cursor=%zz HTTP/1.1\r\n" + host + adm + "\r\n"},
        {"2", "form body a=%zz on a JSON endpoint", req("POST /v1/activations", host + cust + form, "a=%zz")},
        {"2", "form body =1 on a JSON endpoint", req("POST /v1/activations", host + cust + form, "=1")},
        {"2", "form field over 1,024 bytes", req("POST /v1/activations", host + cust + form, longField)},
        {"2", "form body a=%zz on the supplier push route", req("POST /providers/sandbox/sms", host + form, "a=%zz")},
        {"3", "gzip garbage body", "POST /v1/activations HTTP/1.1\r\n" + host + cust + json + "Content-Encoding: gzip\r\nContent-Length: 20\r\n\r\n"
            + new String(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 'g', 'a', 'r', 'b', 'a', 'g', 'e', 1, 2, 3}, StandardCharsets.ISO_8859_1)},
        {"4", "no Host header", "GET /v1/wallet HTTP/1.1\r\n" + cust + "\r\n"},
        {"4", "Host swallowed by a continuation line", "GET /v1/wallet HTTP/1.1\r\nX-A: 1\r\n Host: 127.0.0.1\r\n" + cust + "\r\n"},
        {"5", "chunk size zz", "POST /v1/activations HTTP/1.1\r\n" + host + cust + json + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"},
        {"5", "chunk size ffffffffffffffff", "POST /v1/activations HTTP/1.1\r\n" + host + cust + json + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n{}\r\n0\r\n\r\n"},
        {"5", "unknown HTTP version", "GET /v1/wallet HTTP/1.2\r\n" + host + cust + "\r\n"},
        {"6", "PUSH_SMS with a NUL byte in text (no order holds the phone)", req("POST /providers/sandbox/sms", host + json,
            "{\"smsId\":1,\"phoneFrom\":\"x\",\"phone\":79990000001,\"text\":\"code 1\\u0000\",\"action\":\"PUSH_SMS\",\"key\":\"" + SUPPLIER_KEY + "\"}")},
        {"7", "deposit past the bigint range of micro-USD", req("POST /admin/v1/accounts/" + rich.id + "/deposits", host + adm + json,
            "{\"amount\":\"9223372036854.775808\",\"reference\":\"overflow-2\"}")},
        {"7", "deposit above the largest amount (MAX_AMOUNT_USD)", req("POST /admin/v1/accounts/" + rich.id + "/deposits", host + adm + json,
            "{\"amount\":\"9000000000000.00\",\"reference\":\"overflow-3\"}")},
        {"8", "suspension until +1000000000-01-01", req("PUT /admin/v1/accounts/" + rich.id + "/status", host + adm + json,
            "{\"status\":\"suspended\",\"until\":\"+1000000000-01-01T00:00:00Z\"}")},
        {"new", "multipart content type without a body part on a GET", req("GET /v1/wallet", host + cust + "Content-Type: multipart/form-data\r\n", "--\r\n\r\n")},
        {"new", "header line starting with a space after the Host", "GET /v1/wallet HTTP/1.1\r\n" + host + " X-Space: 1\r\n" + cust + "\r\n"},
        {"new", "unknown charset in Content-Type", req("POST /v1/activations", host + cust + "Content-Type: application/json; charset=bogus\r\n", "{\"service\":\"tg\",\"country\":0}")},
        {"new", "bad %-escape in the query of a compatible-API form POST", req("POST /stubs/handler_api.php?cursor=%", host + form, "api_key=" + fuzzer.key + "&action=getBalance")},
        {"new", "Transfer-Encoding: gzip (not chunked) on a GET", "GET /v1/wallet HTTP/1.1\r\n" + host + cust + "Transfer-Encoding: gzip\r\n\r\n"},
        {"new", "empty limit", "GET /v1/activations?limit= HTTP/1.1\r\n" + host + cust + "\r\n"},
        {"new", "lower-case HTTP version", "GET /v1/wallet http/1.1\r\n" + host + cust + "\r\n"},
        {"new", "two Host headers", "GET /v1/wallet HTTP/1.1\r\n" + host + host + cust + "\r\n"},
        {"new", "a Host continued on the next line", "GET /v1/wallet HTTP/1.1\r\n" + "Host: 127.0.0.1\r\n  continued\r\n" + cust + "\r\n"},
        {"new", "bad %-escape in the path", "GET /v1/activations/%zz HTTP/1.1\r\n" + host + cust + "\r\n"},
    };
    for (Object[] p : probes) {
      byte[] bytes = ((String) p[2]).getBytes(StandardCharsets.ISO_8859_1);
      long start = System.nanoTime();
      RawResult r = exchange(n.port, bytes, false, 10_000, false);
      long ms = (System.nanoTime() - start) / 1_000_000;
      String status = r.status > 0 ? String.valueOf(r.status) : new Stats.Bad(0, 0, 0, "", r.status, "", "").statusText();
      probeResults.add(new JsonObject().put("item", p[0]).put("what", p[1]).put("request", clip((String) p[2], 300)).put("status", status)
          .put("ms", ms).put("answer", clip(r.head, 300)));
    }
    log("input probes: %s", probeResults.stream().map(o -> ((JsonObject) o).getString("item") + ":" + ((JsonObject) o).getString("status")).toList());
  }

  static String req(String line, String headers, String body) {
    return line + " HTTP/1.1\r\n" + headers + "Content-Length: " + body.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n\r\n" + body;
  }

  // ================================================================= faults
  record Fault(String kind, String target, long plannedAt, long durationMs) {}

  final List<Fault> planned = Collections.synchronizedList(new ArrayList<>());
  final List<JsonObject> faultLog = Collections.synchronizedList(new ArrayList<>());
  /** [start, end] of each fault as it happened, with its scope: "all", "supplier" or "node<i>". */
  final List<long[]> faultWindows = Collections.synchronizedList(new ArrayList<>());
  final List<String> faultScopes = Collections.synchronizedList(new ArrayList<>());
  final List<long[]> pgDown = Collections.synchronizedList(new ArrayList<>());
  /** From the Redis shutdown until the restarted Redis answered PING: no timer can be claimed meanwhile. */
  final List<long[]> redisDown = Collections.synchronizedList(new ArrayList<>());

  List<Fault> schedule() {
    long sp = supplierPeriodSeconds * 1000L;
    List<Fault> s = new ArrayList<>();
    String only = opt.getOrDefault("faults", "all");
    if (only.equals("none")) return s;
    int cycles = size.equals("full") ? 2 : 1;
    long cycle = workloadSeconds * 1000L / cycles;
    for (int c = 0; c < cycles; c++) {
      long o = now() + c * cycle;
      double f = cycle / 1000.0;
      s.add(new Fault("supplier-slow", "supplier", o + (long) (f * 0.08 * 1000), sp));
      s.add(new Fault("node-sigkill", "node" + (1 % nodes), o + (long) (f * 0.27 * 1000), 8_000));
      s.add(new Fault("redis-restart", "redis", o + (long) (f * 0.40 * 1000), 2_000));
      s.add(new Fault("supplier-failing", "supplier", o + (long) (f * 0.50 * 1000), sp));
      s.add(new Fault("node-sigterm", "node" + (2 % nodes), o + (long) (f * 0.63 * 1000), 3_000));
      s.add(new Fault("postgres-restart", "postgres", o + (long) (f * 0.75 * 1000), 5_000));
      s.add(new Fault("supplier-garbled", "supplier", o + (long) (f * 0.86 * 1000), sp));
    }
    if (!only.equals("all")) s.removeIf(fault -> !List.of(only.split(",")).contains(fault.kind()));
    return s;
  }

  void runFaults(List<Fault> schedule) {
    for (Fault f : schedule) {
      long wait = f.plannedAt - now();
      if (wait > 0) sleep(wait);
      long start = now();
      JsonObject entry = new JsonObject().put("kind", f.kind).put("target", f.target).put("startSecond", start / 1000.0);
      String scope = f.kind.startsWith("supplier") ? "supplier" : f.kind.startsWith("node") ? f.target : "all";
      long[] window = {start, Long.MAX_VALUE / 2};  // open until the fault ends, so what happens meanwhile is judged as during it
      synchronized (faultWindows) {
        faultWindows.add(window);
        faultScopes.add(scope);
        faultLog.add(entry);
      }
      try {
        switch (f.kind) {
          case "supplier-slow", "supplier-failing", "supplier-garbled" -> {
            supplierProxy.mode = f.kind.substring("supplier-".length());
            log("fault: supplier %s for %d s", supplierProxy.mode, f.durationMs / 1000);
            sleep(f.durationMs);
            supplierProxy.mode = "normal";
          }
          case "node-sigkill", "node-sigterm" -> {
            NodeProc n = nodeProcs.get(Integer.parseInt(f.target.substring(4)));
            n.up = false;
            boolean kill = f.kind.equals("node-sigkill");
            log("fault: %s %s (pid %d)", kill ? "SIGKILL" : "SIGTERM", f.target, n.process.pid());
            long sent = now();
            if (kill) n.process.destroyForcibly(); else n.process.destroy();
            boolean exited = n.process.waitFor(60, TimeUnit.SECONDS);
            entry.put("exitedAfterMs", now() - sent).put("exitCode", exited ? n.process.exitValue() : null);
            if (!exited) n.process.destroyForcibly().waitFor();
            sleep(f.durationMs);
            n.start();
            n.awaitReady(180_000);
            entry.put("restartToReadyMs", n.readyAt - n.startedAt).put("readySecond", n.readyAt / 1000.0);
            log("fault: %s ready again %d ms after its restart", f.target, n.readyAt - n.startedAt);
          }
          case "redis-restart" -> {
            log("fault: Redis shut down without saving (every timer lost), restarted after %d ms", f.durationMs);
            long down = now();
            stores("redis-kill");
            sleep(f.durationMs);
            stores("redis-start");
            redisDown.add(new long[] {down, now()});
          }
          case "postgres-restart" -> {
            log("fault: PostgreSQL stopped (immediate), restarted after %d ms", f.durationMs);
            long down = now();
            stores("pg-crash");
            sleep(f.durationMs);
            int rc = stores("pg-start");
            pgDown.add(new long[] {down, now()});
            entry.put("startRc", rc);
          }
          default -> throw new IllegalStateException(f.kind);
        }
      } catch (Exception e) {
        entry.put("error", e.toString());
        log("fault %s failed: %s", f.kind, e);
      }
      long end = now();
      entry.put("endSecond", end / 1000.0);
      window[1] = end;
    }
  }

  /** Whether a result at this time, on this node, for this operation falls in a fault's window (plus the grace). */
  String faultAt(long at, int node, String op) {
    return faultAt(at, at, node, op);
  }

  /** Whether [from, to] (a request from its start to its answer) overlaps a fault's window that could explain it. */
  String faultAt(long from, long to, int node, String op) {
    int bracket = op.indexOf(" [");
    if (bracket > 0) op = op.substring(0, bracket);
    long grace = faultGraceSeconds * 1000L;
    synchronized (faultWindows) {
      for (int i = 0; i < faultWindows.size(); i++) {
        long[] w = faultWindows.get(i);
        String scope = faultScopes.get(i);
        if (to < w[0] - 1000 || from > w[1] + grace) continue;
        if (scope.equals("all")) return faultLog.get(i).getString("kind");
        if (scope.equals("node" + node)) return faultLog.get(i).getString("kind");
        if (scope.equals("supplier") && SUPPLIER_OPS.contains(op)) return faultLog.get(i).getString("kind");
      }
    }
    return null;
  }

  boolean anyFaultOpen() {
    long t = now();
    synchronized (faultWindows) {
      for (long[] w : faultWindows) if (t >= w[0] - 1000 && t <= w[1] + faultGraceSeconds * 1000L) return true;
    }
    return false;
  }

  /** Whether PostgreSQL or Redis was being restarted at this time (or within the grace after). */
  boolean storeFaultAt(long at) {
    synchronized (faultWindows) {
      for (int i = 0; i < faultWindows.size(); i++) {
        long[] w = faultWindows.get(i);
        if (faultScopes.get(i).equals("all") && at >= w[0] - 1000 && at <= w[1] + faultGraceSeconds * 1000L) return true;
      }
    }
    return false;
  }

  /** Operations that wait on the supplier, the only ones a supplier fault may excuse. */
  static final java.util.Set<String> SUPPLIER_OPS = java.util.Set.of("buy", "buy-replay", "batch", "rent", "race-buy", "race-batch",
      "compat-getNumber", "fuzz:POST /v1/activations", "fuzz:POST /v1/activations/batch", "fuzz:POST /v1/rentals");

  void watchReadiness() {
    Map<Integer, Integer> last = new HashMap<>();
    while (workloadRunning.get()) {
      for (NodeProc n : nodeProcs) {
        long at = now();
        int s = status("http://127.0.0.1:" + n.port + "/health/ready", READINESS_PROBE_TIMEOUT_MS);
        readinessSeries.computeIfAbsent(n.index, k -> Collections.synchronizedList(new ArrayList<>())).add(new long[] {at, s});
        Integer prev = last.put(n.index, s);
        if (prev == null || prev != s) readinessEvents.add(String.format("%.1f node%d %d->%d", at / 1000.0, n.index, prev == null ? 0 : prev, s));
      }
      sleep(500);
    }
  }

  // ================================================================= workload
  static final int MAX_IN_FLIGHT = 3000;
  final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

  void workload(long workloadStart) throws InterruptedException {
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    long end = workloadStart + workloadSeconds * 1000L;
    double interval = 1000.0 / ordersPerSecond;
    double next = now();
    while (now() < end) {
      long wait = (long) next - now();
      if (wait > 0) Thread.sleep(wait);
      next += interval;
      if (!inFlight.tryAcquire()) {
        stats.skipped.increment();
        continue;
      }
      stats.launched.increment();
      pool.submit(() -> {
        try {
          scenario();
        } catch (Throwable e) {
          stats.scenarioErrors.increment();
          if (stats.scenarioErrors.sum() < 5) e.printStackTrace();
        } finally {
          inFlight.release();
        }
      });
    }
    pool.shutdown();
  }

  Account worker() {
    return workers.get(ThreadLocalRandom.current().nextInt(workers.size()));
  }

  void scenario() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    int p = r.nextInt(100);
    if (p < 70) activationLifecycle();
    else if (p < 75) batch();
    else if (p < 83) rental();
    else if (p < 88) deposit();
    else if (p < 93) keyProbe();
    else if (p < 96) compat();
    else if (p < 98) pushToNobody();
    else poisonPush();
  }

  String buyBody() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return new JsonObject().put("service", SERVICES.get(r.nextInt(SERVICES.size()))).put("country", COUNTRIES.get(r.nextInt(COUNTRIES.size()))).encode();
  }

  void rememberForeign(long id, String phone, boolean rental) {
    long digits = 0;
    try {
      digits = phone == null ? 0 : Long.parseLong(phone.replaceAll("\\D", ""));
    } catch (NumberFormatException ignored) {
      // keep 0
    }
    long n = foreignCount.getAndIncrement();
    foreignOrders.set((int) (n % foreignOrders.length()), new long[] {id, digits, rental ? 1 : 0});
  }

  void activationLifecycle() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    Account me = worker();
    NodeProc node = pickNode();
    String body = buyBody();
    Resp buy;
    if (r.nextInt(100) < 30) {
      String key = "idem-" + me.id + "-" + refs.incrementAndGet();
      buy = call(node, "buy", "POST", "/v1/activations", me.key, body, "Idempotency-Key", key);
      if (buy.status == 201) {
        long id = buy.json().getLong("id");
        idempotentOrders.put(key, id);
        Resp again = call(otherNode(node), "buy-replay", "POST", "/v1/activations", me.key, body, "Idempotency-Key", key);
        if (again.status == 201 || again.status == 200) {
          idempotentReplays.increment();
          Long second = again.json().getLong("id");
          if (second == null || second != id || !"true".equals(again.header("Idempotent-Replayed"))) {
            idempotentMismatches.increment();
            stats.example("idempotent-mismatch", "first " + id + ", replay " + again.status + " " + clip(again.body, 200));
          }
        }
      }
    } else {
      buy = call(node, "buy", "POST", "/v1/activations", me.key, body);
    }
    if (buy.status != 201) return;
    JsonObject a = buy.json();
    long id = a.getLong("id");
    String phone = a.getString("phone");
    stats.orders.increment();
    rememberForeign(id, phone, false);
    if (r.nextInt(100) < 25) crossProbe(me, id, phone, false);
    int fate = r.nextInt(100);
    if (fate < 30) {
      // left alone: the expiry timer refunds it at its deadline
      if (r.nextBoolean()) {
        sleep(r.nextInt(1000, windowSeconds * 1000));
        call(pickNode(), "get", "GET", "/v1/activations/" + id, me.key, null);
      }
    } else if (fate < 55) {
      sleep(r.nextInt(200, 3000));
      if (push(id, phone, r.nextInt(100) < 30)) {
        sleep(r.nextInt(100, 1500));
        call(pickNode(), "get", "GET", "/v1/activations/" + id, me.key, null);
        call(pickNode(), "finish", "POST", "/v1/activations/" + id + "/finish", me.key, null);
      }
    } else if (fate < 80) {
      sleep(2200 + r.nextInt(3000));
      for (int i = 0; i < 3; i++) {
        Resp c = call(pickNode(), "cancel", "POST", "/v1/activations/" + id + "/cancel", me.key, null);
        if (c.status != 409 || !c.body.contains("too-early")) break;
        sleep(1000);
      }
    } else if (fate < 88) {
      sleep(r.nextInt(200, 2000));
      if (push(id, phone, false)) {
        call(pickNode(), "retry", "POST", "/v1/activations/" + id + "/retry", me.key, null);
        sleep(r.nextInt(200, 2000));
        push(id, phone, r.nextBoolean());
        call(pickNode(), "finish", "POST", "/v1/activations/" + id + "/finish", me.key, null);
      }
    } else if (fate < 94) {
      call(pickNode(), "finish-early", "POST", "/v1/activations/" + id + "/finish", me.key, null);
      call(pickNode(), "refund-view", "GET", "/v1/activations/" + id + "/refund", me.key, null);
    } else {
      call(pickNode(), "cancel-early", "POST", "/v1/activations/" + id + "/cancel", me.key, null);
      call(pickNode(), "list", "GET", "/v1/activations?limit=20", me.key, null);
    }
  }

  /** A PUSH_SMS as the supplier sends it, to a node at random; a duplicate goes to another node. */
  boolean push(long orderId, String phone, boolean duplicate) {
    if (phone == null) return false;
    long smsId = smsIds.incrementAndGet();
    String body = new JsonObject().put("smsId", smsId).put("phoneFrom", "Telegram").put("phone", Long.parseLong(phone.replaceAll("\\D", "")))
        .put("text", "Your code is " + (10000 + smsId % 90000)).put("action", "PUSH_SMS").put("key", SUPPLIER_KEY).encode();
    NodeProc n = pickNode();
    Resp first = call(n, "push", "POST", "/providers/sandbox/sms", null, body);
    if (first.status == 200) pushedSms.put(String.valueOf(smsId), orderId);
    if (duplicate) {
      duplicatePushes.increment();
      Resp again = call(otherNode(n), "push-duplicate", "POST", "/providers/sandbox/sms", null, body);
      if (again.status == 200) pushedSms.putIfAbsent(String.valueOf(smsId), orderId);
    }
    return first.status == 200;
  }

  void crossProbe(Account owner, long id, String phone, boolean rental) {
    Account other = worker();
    if (other.id == owner.id) other = fuzzer;
    String base = rental ? "/v1/rentals/" : "/v1/activations/";
    String[][] probes = rental
        ? new String[][] {{"GET", base + id}, {"POST", base + id + "/cancel"}, {"POST", base + id + "/extend"}, {"GET", base + id + "/refund"}}
        : new String[][] {{"GET", base + id}, {"POST", base + id + "/cancel"}, {"POST", base + id + "/finish"}, {"GET", base + id + "/refund"},
            {"GET", "/v1/wallet/transactions?orderId=" + id}};
    String[] probe = probes[ThreadLocalRandom.current().nextInt(probes.length)];
    String body = probe[1].endsWith("/extend") ? "{\"hours\":1}" : null;
    Resp r = call(pickNode(), "cross-account", probe[0], probe[1], other.key, body);
    crossProbes.increment();
    boolean listing = probe[1].contains("?orderId=");
    boolean leaked = (!listing && r.status >= 200 && r.status < 300)
        || (phone != null && r.body != null && r.body.contains(phone.replaceAll("\\D", "")))
        || (listing && r.body != null && r.body.contains(String.valueOf(id)));
    if (leaked) {
      crossLeaks.increment();
      if (leakExamples.size() < 10) leakExamples.add(probe[0] + " " + probe[1] + " by account " + other.id + " -> " + r.status + " " + clip(r.body, 200));
    }
  }

  void batch() {
    Account me = worker();
    ThreadLocalRandom r = ThreadLocalRandom.current();
    JsonArray items = new JsonArray();
    int n = r.nextInt(1, 3);
    for (int i = 0; i < n; i++) {
      JsonObject item = new JsonObject(buyBody()).put("quantity", r.nextInt(1, 5));
      items.add(item);
    }
    Resp b = call(pickNode(), "batch", "POST", "/v1/activations/batch", me.key, new JsonObject().put("items", items).encode());
    if (b.status != 201) return;
    List<long[]> bought = new ArrayList<>();
    for (Object it : b.json().getJsonArray("items", new JsonArray())) {
      if (!(it instanceof JsonObject item)) continue;
      for (Object a : item.getJsonArray("activations", new JsonArray())) {
        if (a instanceof JsonObject act && act.getLong("id") != null) {
          stats.orders.increment();
          rememberForeign(act.getLong("id"), act.getString("phone"), false);
          bought.add(new long[] {act.getLong("id")});
        }
      }
    }
    // half cancelled after the delay, the rest left to expire
    sleep(2500 + r.nextInt(2000));
    for (long[] a : bought) {
      if (r.nextBoolean()) call(pickNode(), "cancel", "POST", "/v1/activations/" + a[0] + "/cancel", me.key, null);
    }
  }

  void rental() {
    Account me = worker();
    ThreadLocalRandom r = ThreadLocalRandom.current();
    JsonObject body = new JsonObject().put("country", List.of(0, 1, 2).get(r.nextInt(3))).put("hours", r.nextInt(1, 4));
    if (r.nextBoolean()) body.put("service", "tg");
    Resp b = call(pickNode(), "rent", "POST", "/v1/rentals", me.key, body.encode());
    if (b.status != 201) return;
    JsonObject rent = b.json();
    long id = rent.getLong("id");
    openRentals.put(id, true);
    stats.orders.increment();
    rememberForeign(id, rent.getString("phone"), true);
    if (r.nextInt(100) < 25) crossProbe(me, id, rent.getString("phone"), true);
    sleep(r.nextInt(500, 5000));
    if (r.nextBoolean()) call(pickNode(), "extend", "POST", "/v1/rentals/" + id + "/extend", me.key, "{\"hours\":1}");
    String phone = rent.getString("phone");
    if (phone != null && r.nextBoolean()) push(id, phone, r.nextBoolean());
    sleep(r.nextInt(500, 10_000));
    String action = r.nextBoolean() ? "cancel" : "finish";
    Resp c = call(pickNode(), "rent-" + action, "POST", "/v1/rentals/" + id + "/" + action, me.key, null);
    if (c.status == 200) openRentals.remove(id);
  }

  void deposit() {
    Account to = worker();
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String ref = "dep-" + refs.incrementAndGet();
    String amount = (r.nextInt(1, 500)) + "." + String.format("%02d", r.nextInt(100));
    JsonObject body = new JsonObject().put("amount", amount).put("reference", ref);
    depositsSent.put(ref, usd(amount));
    NodeProc n = pickNode();
    String path = "/admin/v1/accounts/" + to.id + "/deposits";
    if (r.nextInt(100) < 40) {
      // the same reference twice, on two nodes at once: credited once, the other answered as a replay
      var first = Thread.ofVirtual().start(() -> call(n, "deposit", "POST", path, ADMIN, body.encode()));
      Resp second = call(otherNode(n), "deposit-replay", "POST", path, ADMIN, body.encode());
      try {
        first.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Resp third = call(pickNode(), "deposit-replay", "POST", path, ADMIN, body.encode());
      depositReplays.add(2);
      if (third.status == 200 && !third.json().getBoolean("replayed", false)) depositReplayWrong.increment();
      if (third.status == 201 && second.status == 201) depositReplayWrong.increment();
    } else {
      call(n, "deposit", "POST", path, ADMIN, body.encode());
    }
  }

  /** Requests with keys that must not open the door: no key, a wrong key, another scheme, the admin token on /v1. */
  void keyProbe() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    Account me = worker();
    String[] paths = {"/v1/wallet", "/v1/activations?limit=5", "/v1/rentals", "/v1/wallet/transactions", "/admin/v1/invariants",
        "/admin/v1/accounts/" + me.id};
    String path = paths[r.nextInt(paths.length)];
    boolean adminPath = path.startsWith("/admin");
    String[] bad = adminPath
        ? new String[] {null, me.key, ADMIN + "x", ADMIN.substring(0, ADMIN.length() - 1), "", "x" + ADMIN}
        : new String[] {null, ADMIN, me.key + "0", me.key.substring(0, me.key.length() - 1), "", me.key.toUpperCase(), "Basic " + me.key};
    String key = bad[r.nextInt(bad.length)];
    Resp resp;
    if (key != null && key.startsWith("Basic ")) resp = call(pickNode(), "key-probe", "GET", path, null, null, "Authorization", key);
    else resp = call(pickNode(), "key-probe", "GET", path, key == null || key.isEmpty() ? null : key, null);
    keyProbes.increment();
    if (resp.status >= 200 && resp.status < 300) {
      keyBypasses.increment();
      stats.example("key-bypass", "GET " + path + " with key '" + key + "' -> " + resp.status);
    }
  }

  void compat() {
    Account me = worker();
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String base = "/stubs/handler_api.php?api_key=" + me.key;
    int p = r.nextInt(4);
    if (p == 0) {
      call(pickNode(), "compat-getBalance", "GET", base + "&action=getBalance", null, null);
    } else if (p == 1) {
      Resp b = call(pickNode(), "compat-getNumber", "GET", base + "&action=getNumber&service=" + SERVICES.get(r.nextInt(SERVICES.size())) + "&country=0", null, null);
      if (b.status == 200 && b.body.startsWith("ACCESS_NUMBER:")) {
        String[] parts = b.body.trim().split(":");
        stats.orders.increment();
        sleep(2500);
        call(pickNode(), "compat-setStatus", "GET", base + "&action=setStatus&status=8&id=" + parts[1], null, null);
      }
    } else if (p == 2) {
      call(pickNode(), "compat-getActive", "GET", base + "&action=getActiveActivations", null, null);
    } else {
      call(pickNode(), "compat-getStatus", "GET", base + "&action=getStatus&id=" + (100000001 + r.nextInt(1000)), null, null);
    }
  }

  void pushToNobody() {
    long smsId = smsIds.incrementAndGet();
    String body = new JsonObject().put("smsId", smsId).put("phoneFrom", "Nobody").put("phone", 70000000000L + smsId % 1000000)
        .put("text", "Code 1234").put("action", "PUSH_SMS").put("key", SUPPLIER_KEY).encode();
    call(pickNode(), "push-nobody", "POST", "/providers/sandbox/sms", null, body);
  }

  /** Item 6: a PUSH_SMS whose text or sender holds a NUL byte, to a live order; the answer must not be "send it again". */
  void poisonPush() {
    if (poisonProbes.size() >= 40) {
      pushToNobody();
      return;
    }
    Account me = worker();
    Resp buy = call(pickNode(), "buy", "POST", "/v1/activations", me.key, buyBody());
    if (buy.status != 201) return;
    stats.orders.increment();
    JsonObject a = buy.json();
    long smsId = smsIds.incrementAndGet();
    boolean inText = ThreadLocalRandom.current().nextBoolean();
    String body = new JsonObject().put("smsId", smsId).put("phoneFrom", inText ? "Telegram" : "Tele\u0000gram")
        .put("phone", Long.parseLong(a.getString("phone").replaceAll("\\D", "")))
        .put("text", inText ? "Your code is 4242\u0000" : "Your code is 4242").put("action", "PUSH_SMS").put("key", SUPPLIER_KEY).encode();
    Resp r = call(pickNode(), "push-nul", "POST", "/providers/sandbox/sms", null, body);
    poisonProbes.add(new JsonObject().put("orderId", a.getLong("id")).put("nulIn", inText ? "text" : "phoneFrom")
        .put("status", r.status).put("body", clip(r.body, 200)));
  }

  // ================================================================= item 9: the low-balance race
  void raceLoop() {
    long every = workloadSeconds * 1000L / Math.max(1, raceRounds + 1);
    long loadEnds = now() + workloadSeconds * 1000L;
    int round = 0;
    // during the load: a round whenever no fault is open, due within 8 s, or in its grace period
    while (round < raceRounds && now() < loadEnds) {
      sleep(Math.min(every, Math.max(1, loadEnds - now())));
      if (now() >= loadEnds || !quietForRace()) continue;
      raceRoundLogged(round++);
    }
    // the rounds still owed run back to back once the faults are over (and their grace has passed), bounded in time
    long giveUp = now() + RACE_TAIL_MS;
    while (round < raceRounds && now() < giveUp) {
      if (!faultsDone.get() || !quietForRace()) {
        sleep(1000);
        continue;
      }
      raceRoundLogged(round++);
    }
    if (round < raceRounds) log("race: only %d of %d rounds found a moment outside the faults", round, raceRounds);
  }

  /** How long after the load the race may wait for the faults to end to run its owed rounds. */
  static final long RACE_TAIL_MS = 600_000;

  /** No fault open or in its grace period, and none due in the next 8 s. */
  boolean quietForRace() {
    long soon = now();
    boolean faultDue = planned.stream().anyMatch(f -> f.plannedAt > soon - 1000 && f.plannedAt < soon + 8000);
    return !faultDue && !anyFaultOpen() && faultAt(soon, -1, "race-buy") == null && faultAt(soon, -1, "buy") == null;
  }

  void raceRoundLogged(int round) {
    try {
      raceRound(round);
    } catch (Exception e) {
      log("race round %d failed: %s", round, e);
    }
  }

  void raceRound(int round) throws InterruptedException {
    Account acc = newAccount("race-" + round, "1.00");
    List<Thread> threads = new ArrayList<>();
    Map<String, LongAdder> outcome = new ConcurrentHashMap<>();
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    for (int i = 0; i < 24; i++) {
      final int k = i;
      NodeProc n = nodeProcs.get(i % nodeProcs.size());
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        Resp r;
        long sent = now();
        if (k % 3 == 0) {
          r = call(n, "race-batch", "POST", "/v1/activations/batch", acc.key, new JsonObject().put("items", new JsonArray()
              .add(new JsonObject().put("service", RACE_SERVICE).put("country", COUNTRIES.get(k % COUNTRIES.size())).put("quantity", 2))).encode());
        } else {
          r = call(n, "race-buy", "POST", "/v1/activations", acc.key,
              new JsonObject().put("service", RACE_SERVICE).put("country", COUNTRIES.get(k % COUNTRIES.size())).encode());
        }
        // a round is started only with no fault near, but shed answers retried after their Retry-After can carry it
        // into one: an answer that overlaps a fault's window is recorded under that fault, as the workload's are
        String fault = faultAt(sent, now(), n.index, k % 3 == 0 ? "race-batch" : "race-buy");
        outcome.computeIfAbsent((k % 3 == 0 ? "batch " : "single ") + r.status + (fault == null ? "" : " during " + fault),
            x -> new LongAdder()).increment();
      }));
    }
    go.countDown();
    for (Thread t : threads) t.join();
    JsonObject o = new JsonObject().put("round", round).put("account", acc.id).put("second", now() / 1000.0);
    outcome.forEach((k, v) -> o.put(k, v.sum()));
    raceRoundsOut.add(o);
  }

  // ================================================================= end of run
  void closeOpenRentals() {
    // every rental still open (the workload's, and the ones the fuzzer bought with valid requests) is finished by its owner
    List<String> rows = psql("SELECT id, account_id, state FROM rentals WHERE closed_at IS NULL");
    int closed = 0;
    for (String row : rows) {
      String[] f = row.split("\\|");
      String key = keyOfAccount.get(Long.parseLong(f[1]));
      if (key == null) continue;
      for (int i = 0; i < 20; i++) {
        Resp r = call(pickNode(), "rent-finish-end", "POST", "/v1/rentals/" + f[0] + "/finish", key, null);
        if (r.status == 200 || (r.status == 409 && !r.body.contains("ALLOCATING"))) {
          closed++;
          break;
        }
        sleep(1000);
      }
    }
    log("finished %d of %d rentals still open at the end", closed, rows.size());
  }

  void drain() {
    long bound = windowSeconds * 1000L + leaseMs + graceMs + 60_000;
    long deadline = now() + bound;
    log("draining: waiting up to %d s for every order to be final", bound / 1000);
    while (now() < deadline) {
      List<String> open = psql("SELECT (SELECT count(*) FROM activations WHERE closed_at IS NULL) + (SELECT count(*) FROM rentals WHERE closed_at IS NULL)");
      if (!open.isEmpty() && open.get(0).trim().equals("0")) {
        log("every order is final");
        return;
      }
      sleep(2000);
    }
    log("drain deadline passed with orders still open");
  }

  List<String> psql(String sql) {
    try {
      Process p = new ProcessBuilder("psql", "-X", "-q", "-At", "-h", "127.0.0.1", "-p", String.valueOf(pgPort), "-U", "postgres", "-d", "chaos",
          "-v", "ON_ERROR_STOP=1", "-c", sql).redirectErrorStream(false).start();
      byte[] outBytes = p.getInputStream().readAllBytes();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("psql failed: " + err);
      String text = new String(outBytes, StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>();
      for (String l : text.split("\n")) if (!l.isEmpty()) lines.add(l);
      return lines;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  long one(String sql) {
    List<String> r = psql(sql);
    return r.isEmpty() || r.get(0).isBlank() ? 0 : new java.math.BigDecimal(r.get(0).trim()).longValue();
  }

  // ================================================================= report
  JsonObject report(Fuzzer fz, long workloadStart) {
    JsonObject rep = new JsonObject();
    rep.put("size", size).put("startedAt", startedAt.toString()).put("wallSeconds", now() / 1000.0)
        .put("workloadSeconds", workloadSeconds).put("nodes", nodes)
        .put("machine", new JsonObject().put("cores", Runtime.getRuntime().availableProcessors()).put("loadAverageAtStart", loadAtStart)
            .put("loadAverageAtEnd", readQuiet("/proc/loadavg")).put("java", System.getProperty("java.version")));
    List<JsonObject> checks = new ArrayList<>();

    // --- orders by kind and outcome
    JsonObject orders = new JsonObject();
    JsonObject acts = new JsonObject();
    for (String row : psql("SELECT state, count(*) FROM activations GROUP BY state ORDER BY state")) {
      String[] f = row.split("\\|");
      acts.put(f[0], Long.parseLong(f[1]));
    }
    JsonObject rents = new JsonObject();
    for (String row : psql("SELECT state, count(*) FROM rentals GROUP BY state ORDER BY state")) {
      String[] f = row.split("\\|");
      rents.put(f[0], Long.parseLong(f[1]));
    }
    JsonObject reasons = new JsonObject();
    for (String row : psql("SELECT state || ' ' || COALESCE(regexp_replace(close_reason, '[0-9]+', 'N', 'g'), '-'), count(*) FROM activations "
        + "WHERE closed_at IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 20")) {
      String[] f = row.split("\\|");
      reasons.put(f[0], Long.parseLong(f[1]));
    }
    long totalActs = acts.stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
    long totalRents = rents.stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
    orders.put("activations", acts).put("activationCloseReasons", reasons).put("rentals", rents)
        .put("extensions", one("SELECT count(*) FROM rental_extensions")).put("total", totalActs + totalRents)
        .put("smsStored", one("SELECT (SELECT count(*) FROM activation_sms) + (SELECT count(*) FROM rental_sms)"));
    rep.put("orders", orders);
    if (size.equals("full")) {
      // the campaign of record has a size (the issue's): a run that fell short of it proves less, so it does not pass
      checks.add(check("the full run's size: at least 100,000 orders and " + fuzzTarget + " fuzzed requests",
          totalActs + totalRents >= 100_000 && fz.sent.sum() >= fuzzTarget,
          (totalActs + totalRents) + " orders, " + fz.sent.sum() + " fuzzed requests"));
    }

    // --- requests, 5xx and dropped connections inside and outside the faults
    JsonObject req = new JsonObject().put("workload", stats.requests.sum() - fz.sent.sum()).put("fuzz", fz.sent.sum())
        .put("total", stats.requests.sum()).put("scenariosLaunched", stats.launched.sum()).put("scenariosSkippedAtCapacity", stats.skipped.sum())
        .put("scenarioErrors", stats.scenarioErrors.sum());
    JsonObject byOp = new JsonObject();
    new TreeMap<>(stats.byOpStatus).forEach((k, v) -> byOp.put(k, v.sum()));
    req.put("byOperationAndStatus", byOp);
    rep.put("requests", req);
    rep.put("faults", new JsonArray(new ArrayList<>(faultLog)));
    JsonObject bad = badAnswers(stats.fiveXx, "5xx");
    JsonObject dropped = badAnswers(stats.dropped, "dropped");
    rep.put("fiveXx", bad).put("dropped", dropped);
    JsonObject shed = badAnswers(stats.shed, "shed");
    rep.put("shed", shed);
    long shedLimit = Math.max(1, stats.requests.sum() / 100);
    checks.add(check("overload answers (503 with Retry-After, nothing done) outside faults at most 1 % of requests",
        shed.getLong("outsideFaults") <= shedLimit, shed.getLong("outsideFaults") + " outside faults (limit " + shedLimit
            + "), " + shed.getLong("duringFaults") + " during faults"));
    checks.add(check("no 5xx outside faults", bad.getLong("outsideFaults") == 0, bad.getLong("outsideFaults") + " outside, "
        + bad.getLong("duringFaults") + " during faults"));
    checks.add(check("no dropped connection outside faults", dropped.getLong("outsideFaults") == 0, dropped.getLong("outsideFaults") + " outside, "
        + dropped.getLong("duringFaults") + " during faults"));
    rep.put("fuzz", fz.report());

    // --- the SQL checks
    JsonObject sql = new JsonObject();
    long open = one("SELECT (SELECT count(*) FROM activations WHERE closed_at IS NULL) + (SELECT count(*) FROM rentals WHERE closed_at IS NULL)");
    sql.put("openOrders", open);
    checks.add(check("every order final", open == 0, open + " open"));
    long twice = one("SELECT count(*) FROM (SELECT order_id FROM ledger_entries WHERE kind IN ('void','capture') GROUP BY order_id HAVING count(*) > 1) x");
    long unresolved = one("""
        SELECT (SELECT count(*) FROM activations a WHERE a.closed_at IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.order_id = a.id AND e.kind IN ('void','capture'))
                   AND NOT EXISTS (SELECT 1 FROM held_refunds h WHERE h.order_id = a.id AND h.decision IS NULL))
             + (SELECT count(*) FROM rentals r WHERE r.closed_at IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.order_id = r.id AND e.kind IN ('void','capture')))""");
    long twoHolds = one("SELECT count(*) FROM (SELECT order_id FROM ledger_entries WHERE kind = 'hold' GROUP BY order_id HAVING count(*) > 1) x");
    sql.put("ordersResolvedTwice", twice).put("finalOrdersWithoutResolution", unresolved).put("ordersHeldTwice", twoHolds);
    checks.add(check("one resolution per order", twice == 0 && unresolved == 0 && twoHolds == 0,
        twice + " resolved twice, " + unresolved + " final without resolution, " + twoHolds + " held twice"));
    long walletDiff = one("""
        SELECT count(*) FROM wallets w LEFT JOIN (SELECT account_id, sum(balance_delta) b, sum(held_delta) h FROM ledger_entries GROUP BY account_id) s
          ON s.account_id = w.account_id WHERE w.balance <> COALESCE(s.b, 0) OR w.held <> COALESCE(s.h, 0)""");
    sql.put("walletsDifferingFromLedger", walletDiff);
    checks.add(check("wallets equal their ledgers", walletDiff == 0, walletDiff + " wallets differ"));
    long heldDiff = one("""
        SELECT count(*) FROM wallets w
         WHERE w.held <> (SELECT COALESCE(sum(price), 0) FROM activations a WHERE a.account_id = w.account_id AND a.closed_at IS NULL)
                       + (SELECT COALESCE(sum(price), 0) FROM held_refunds h WHERE h.account_id = w.account_id AND h.decision IS NULL)
                       + (SELECT COALESCE(sum(r.price), 0) FROM rentals r WHERE r.account_id = w.account_id AND r.closed_at IS NULL)
                       + (SELECT COALESCE(sum(e.price), 0) FROM rental_extensions e JOIN rentals r ON r.id = e.rental_id
                           WHERE r.account_id = w.account_id AND r.closed_at IS NULL)""");
    sql.put("walletsWhoseHeldDiffersFromOpenOrders", heldDiff);
    checks.add(check("held equals open orders", heldDiff == 0, heldDiff + " wallets differ"));
    List<String> money = psql("""
        SELECT COALESCE(sum(balance_delta) FILTER (WHERE kind = 'deposit'), 0),
               COALESCE(-sum(held_delta) FILTER (WHERE kind = 'capture'), 0),
               COALESCE(-sum(balance_delta) FILTER (WHERE kind = 'payout'), 0),
               COALESCE(-sum(balance_delta) FILTER (WHERE kind = 'forfeit'), 0),
               COALESCE(sum(balance_delta) FILTER (WHERE kind IN ('refund', 'service_credit')), 0),
               (SELECT COALESCE(sum(balance + held), 0) FROM wallets)
          FROM ledger_entries""");
    String[] m = money.get(0).split("\\|");
    java.math.BigInteger deposits = new java.math.BigInteger(m[0]);
    java.math.BigInteger lhs = deposits.subtract(new java.math.BigInteger(m[1])).subtract(new java.math.BigInteger(m[2]))
        .subtract(new java.math.BigInteger(m[3])).add(new java.math.BigInteger(m[4]));
    java.math.BigInteger rhs = new java.math.BigInteger(m[5]);
    sql.put("money", new JsonObject().put("depositsMicro", m[0]).put("capturesMicro", m[1]).put("payoutsMicro", m[2]).put("forfeitsMicro", m[3])
        .put("claimRefundsAndCreditsMicro", m[4]).put("balancesPlusHeldMicro", m[5]).put("differenceMicro", lhs.subtract(rhs).toString()));
    checks.add(check("money conserved", lhs.equals(rhs), "deposits - captures - payouts - forfeits + claim refunds/credits - (balances + held) = "
        + lhs.subtract(rhs)));
    // deposits: every reference we sent credited at most once, with the amount we sent
    long refTwice = one("SELECT count(*) FROM (SELECT reference FROM ledger_entries WHERE kind = 'deposit' GROUP BY reference HAVING count(*) > 1) x");
    Map<String, Long> credited = new HashMap<>();
    for (String row : psql("SELECT reference, balance_delta FROM ledger_entries WHERE kind = 'deposit' AND (reference LIKE 'dep-%' OR reference LIKE 'init-%')")) {
      int bar = row.lastIndexOf('|');
      credited.put(row.substring(0, bar), Long.parseLong(row.substring(bar + 1)));
    }
    long wrongAmount = 0;
    for (var e : credited.entrySet()) {
      Long sent = depositsSent.get(e.getKey());
      if (sent == null || !sent.equals(e.getValue())) wrongAmount++;
    }
    sql.put("deposits", new JsonObject().put("referencesSent", depositsSent.size()).put("referencesCredited", credited.size())
        .put("referencesCreditedTwice", refTwice).put("creditedWithAnotherAmount", wrongAmount).put("replaysSent", depositReplays.sum())
        .put("replaysAnsweredWrongly", depositReplayWrong.sum()));
    checks.add(check("deposit replays credited once", refTwice == 0 && wrongAmount == 0 && depositReplayWrong.sum() == 0,
        refTwice + " references twice, " + wrongAmount + " with another amount, " + depositReplayWrong.sum() + " replays answered as new"));
    // duplicate pushes: each of our SMS ids stored at most once over both SMS tables
    long dupStored = one("""
        SELECT count(*) FROM (SELECT dedupe_key FROM (SELECT dedupe_key FROM activation_sms UNION ALL SELECT dedupe_key FROM rental_sms) s
          WHERE dedupe_key ~ '^id:9[0-9]{11}$' GROUP BY dedupe_key HAVING count(*) > 1) x""");
    long ourStored = one("""
        SELECT count(*) FROM (SELECT dedupe_key FROM activation_sms UNION ALL SELECT dedupe_key FROM rental_sms) s WHERE dedupe_key ~ '^id:9[0-9]{11}$'""");
    sql.put("pushes", new JsonObject().put("acknowledged", pushedSms.size()).put("duplicatesSent", duplicatePushes.sum())
        .put("storedRows", ourStored).put("storedTwice", dupStored));
    checks.add(check("duplicate pushes stored once", dupStored == 0, dupStored + " SMS ids stored twice (" + ourStored + " rows for "
        + pushedSms.size() + " acknowledged ids)"));
    checks.add(check("idempotent replays give the same order", idempotentMismatches.sum() == 0,
        idempotentReplays.sum() + " replays, " + idempotentMismatches.sum() + " answered otherwise"));
    rep.put("inputProbes", probeResults);
    long badProbes = probeResults.stream().map(o -> ((JsonObject) o).getString("status")).filter(st -> !st.matches("[1-4]\\d\\d")).count();
    // no probe at all (their set-up refused) must not pass for "none answered 5xx"
    checks.add(check("input probes answered below 500", badProbes == 0 && !probeResults.isEmpty(),
        probeResults.size() + " probes, " + badProbes + " answered 5xx or not at all"));
    rep.put("probes", new JsonObject().put("crossAccount", crossProbes.sum() + fz.crossProbes.sum()).put("crossAccountLeaks", crossLeaks.sum() + fz.leaks.sum())
        .put("leakExamples", new JsonArray(new ArrayList<>(leakExamples))).put("keyProbes", keyProbes.sum() + fz.keyProbes.sum())
        .put("keyBypasses", keyBypasses.sum() + fz.keyBypasses.sum()).put("poisonPushes", new JsonArray(new ArrayList<>(poisonProbes))));
    checks.add(check("no cross-account leak", crossLeaks.sum() + fz.leaks.sum() == 0, (crossProbes.sum() + fz.crossProbes.sum()) + " probes, "
        + (crossLeaks.sum() + fz.leaks.sum()) + " leaks"));
    checks.add(check("no key bypass", keyBypasses.sum() + fz.keyBypasses.sum() == 0, (keyProbes.sum() + fz.keyProbes.sum()) + " tries, "
        + (keyBypasses.sum() + fz.keyBypasses.sum()) + " let through"));
    long poisonRetry = poisonProbes.stream().filter(p -> p.getInteger("status") >= 500).count();
    checks.add(check("no poison SMS (a NUL byte answered 5xx, so the supplier sends it for ever)", poisonRetry == 0,
        poisonProbes.size() + " pushes with a NUL byte, " + poisonRetry + " answered 5xx"));
    // the product's own invariant endpoint
    Resp inv = call(pickNode(), "invariants", "GET", "/admin/v1/invariants", ADMIN, null);
    JsonObject invJson = inv.json();
    sql.put("invariantsEndpoint", invJson);
    checks.add(check("GET /admin/v1/invariants ok", inv.status == 200 && invJson.getBoolean("ok", false), inv.status + " " + clip(inv.body, 400)));
    rep.put("sql", sql);

    // --- item 9
    long race5xx = raceRoundsOut.stream().mapToLong(o -> o.fieldNames().stream().filter(k -> k.matches("(single|batch) 5\\d\\d"))
        .mapToLong(o::getLong).sum()).sum();
    rep.put("race", new JsonObject().put("rounds", raceRoundsOut.size()).put("requests", raceRoundsOut.size() * 24L).put("fiveXxOutsideFaults", race5xx)
        .put("perRound", new JsonArray(new ArrayList<>(raceRoundsOut))));
    // rounds that never ran prove nothing: the check fails unless every round owed ran
    long race5xxDuringFaults = raceRoundsOut.stream().mapToLong(o -> o.fieldNames().stream().filter(k -> k.matches("(single|batch) 5\\d\\d during .*"))
        .mapToLong(k -> o.getLong(k)).sum()).sum();
    checks.add(check("low-balance race answers 402, never 5xx (outside faults)", race5xx == 0 && !raceRoundsOut.isEmpty() && raceRoundsOut.size() >= raceRounds,
        raceRoundsOut.size() + " of " + raceRounds + " rounds of 24 ran, " + race5xx + " answered 5xx, " + race5xxDuringFaults
            + " during a fault"));

    // --- refund lateness, measured from the database
    JsonObject late = lateness();
    rep.put("refundLateness", late);
    double boundS = (leaseMs + graceMs) / 1000.0 + 10;
    checks.add(check("every automatic refund within deadline + lease + grace (" + boundS + " s), PostgreSQL and Redis downtime excepted",
        late.getDouble("worstAdjustedSeconds", 0.0) <= boundS, "worst " + late.getDouble("worstAdjustedSeconds") + " s"));
    checks.add(check("every automatic refund within 10 s of its deadline (the target), PostgreSQL and Redis downtime excepted",
        late.getLong("over10sAdjusted", 0L) == 0, late.getLong("over10sAdjusted") + " later than 10 s, worst " + late.getDouble("worstAdjustedSeconds") + " s"));

    // --- item 12: restarted nodes
    JsonObject restarts = restarts();
    rep.put("restarts", restarts);
    long flaps = restarts.getLong("flapsAfterReady", 0L);
    checks.add(check("a restarted node that said ready stays ready", flaps == 0, flaps + " readiness flaps after ready (" + READINESS_FAILURE_THRESHOLD
        + " failed probes in a row, " + READINESS_PROBE_TIMEOUT_MS + " ms timeout, as the manifests' probe; outside store faults)"));
    rep.put("readinessTransitions", new JsonArray(new ArrayList<>(readinessEvents)));

    JsonArray checkArray = new JsonArray();
    boolean ok = true;
    for (JsonObject c : checks) {
      checkArray.add(c);
      ok &= c.getBoolean("ok");
    }
    JsonObject ex = new JsonObject();
    stats.examples.forEach((k, v) -> ex.put(k, new JsonArray(new ArrayList<>(v))));
    rep.put("examples", ex);
    JsonObject cpu = new JsonObject();
    for (NodeProc n : nodeProcs) cpu.put("node" + n.index + " (last process)", cpuSeconds(n.process.pid()));
    if (supplier != null) cpu.put("supplier", cpuSeconds(supplier.pid()));
    cpu.put("driver", ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(-1.0));
    rep.put("cpuSeconds", cpu);
    rep.put("checks", checkArray).put("ok", ok);
    return rep;
  }

  static JsonObject check(String name, boolean ok, String detail) {
    return new JsonObject().put("name", name).put("ok", ok).put("detail", detail);
  }

  static double cpuSeconds(long pid) {
    try {
      String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceAll("^.*\\) ", "").split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (Exception e) {
      return -1;
    }
  }

  static String readQuiet(String path) {
    try {
      return Files.readString(Path.of(path)).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  JsonObject badAnswers(ConcurrentLinkedQueue<Stats.Bad> list, String what) {
    long outside = 0;
    long during = 0;
    Map<String, Long> outsideByKey = new TreeMap<>();
    Map<String, Long> duringByKey = new TreeMap<>();
    Map<String, JsonArray> examples = new LinkedHashMap<>();
    Map<String, JsonArray> duringExamples = new LinkedHashMap<>();
    for (Stats.Bad b : list) {
      String fault = faultAt(b.at, b.end, b.node, b.op);
      String key = b.op + " -> " + b.statusText();
      if (fault == null) {
        outside++;
        outsideByKey.merge(key, 1L, Long::sum);
        JsonArray ex = examples.computeIfAbsent(key, k -> new JsonArray());
        if (ex.size() < 1) ex.add(new JsonObject().put("second", b.at / 1000.0).put("answeredSecond", b.end / 1000.0).put("node", b.node)
            .put("request", b.request).put("response", b.response));
      } else {
        during++;
        duringByKey.merge(fault + ": " + key, 1L, Long::sum);
        JsonArray ex = duringExamples.computeIfAbsent(fault + ": " + key, k -> new JsonArray());
        if (ex.size() < 3) ex.add(new JsonObject().put("second", b.at / 1000.0).put("answeredSecond", b.end / 1000.0).put("node", b.node)
            .put("request", clip(b.request, 200)).put("response", clip(b.response, 200)));
      }
    }
    JsonObject o = new JsonObject().put("what", what).put("outsideFaults", outside).put("duringFaults", during);
    JsonObject ob = new JsonObject();
    outsideByKey.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).forEach(e -> ob.put(e.getKey(), e.getValue()));
    JsonObject db = new JsonObject();
    duringByKey.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(60).forEach(e -> db.put(e.getKey(), e.getValue()));
    JsonObject ex = new JsonObject();
    outsideByKey.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(400)
        .forEach(e -> ex.put(e.getKey(), examples.get(e.getKey())));
    JsonObject dex = new JsonObject();
    duringByKey.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(30)
        .forEach(e -> dex.put(e.getKey(), duringExamples.get(e.getKey())));
    return o.put("outsideByKind", ob).put("duringByKind", db).put("examplesOutside", ex).put("examplesDuring", dex);
  }

  JsonObject lateness() {
    // every automatic refund: an activation EXPIRED at its deadline; lateness = the void's time minus expires_at
    List<String> rows = psql("""
        SELECT (extract(epoch FROM a.expires_at) * 1000)::bigint, (extract(epoch FROM e.created_at) * 1000)::bigint
          FROM activations a JOIN ledger_entries e ON e.order_id = a.id AND e.kind = 'void' WHERE a.state = 'EXPIRED'""");
    long epochT0 = t0;
    List<Double> raw = new ArrayList<>();
    List<Double> adjusted = new ArrayList<>();
    List<long[]> items = new ArrayList<>();
    for (String row : rows) {
      String[] f = row.split("\\|");
      long deadline = Long.parseLong(f[0]) - epochT0;
      long refunded = Long.parseLong(f[1]) - epochT0;
      long late = refunded - deadline;
      long overlap = 0;
      synchronized (pgDown) {
        for (long[] d : pgDown) overlap += Math.max(0, Math.min(refunded, d[1] + 5000) - Math.max(deadline, d[0]));
      }
      // while Redis is down no timer can be claimed; the target is a refund within a few seconds after it returns
      synchronized (redisDown) {
        for (long[] d : redisDown) overlap += Math.max(0, Math.min(refunded, d[1]) - Math.max(deadline, d[0]));
      }
      raw.add(late / 1000.0);
      adjusted.add(Math.max(0, late - overlap) / 1000.0);
      items.add(new long[] {deadline, Math.max(0, late - overlap)});
    }
    JsonObject o = new JsonObject().put("automaticRefunds", rows.size())
        .put("note", "lateness = the void ledger entry's time minus the order's expires_at; 'adjusted' leaves out the time PostgreSQL was down (plus 5 s) and the time Redis was down (until it answered again)");
    if (rows.isEmpty()) return o.put("worstAdjustedSeconds", 0.0).put("over10sAdjusted", 0L);
    Collections.sort(raw);
    List<Double> adjSorted = new ArrayList<>(adjusted);
    Collections.sort(adjSorted);
    o.put("worstSeconds", raw.get(raw.size() - 1)).put("p99Seconds", pct(raw, 0.99)).put("p50Seconds", pct(raw, 0.5))
        .put("worstAdjustedSeconds", adjSorted.get(adjSorted.size() - 1)).put("p99AdjustedSeconds", pct(adjSorted, 0.99))
        .put("over10sAdjusted", adjSorted.stream().filter(x -> x > 10).count()).put("over2sAdjusted", adjSorted.stream().filter(x -> x > 2).count());
    // per fault: refunds due from the fault's start to the grace after its end
    JsonArray per = new JsonArray();
    synchronized (faultWindows) {
      for (int i = 0; i < faultWindows.size(); i++) {
        long[] w = faultWindows.get(i);
        List<Double> in = new ArrayList<>();
        for (long[] it : items) if (it[0] >= w[0] - 1000 && it[0] <= w[1] + faultGraceSeconds * 1000L) in.add(it[1] / 1000.0);
        Collections.sort(in);
        JsonObject f = new JsonObject().put("fault", faultLog.get(i).getString("kind")).put("refundsDue", in.size());
        if (!in.isEmpty()) f.put("worstSeconds", in.get(in.size() - 1)).put("p99Seconds", pct(in, 0.99)).put("over10s", in.stream().filter(x -> x > 10).count());
        per.add(f);
      }
    }
    List<Double> calm = new ArrayList<>();
    for (long[] it : items) if (faultAt(it[0], -1, "refund") == null && faultAt(it[0], -1, "buy") == null) calm.add(it[1] / 1000.0);
    Collections.sort(calm);
    if (!calm.isEmpty()) o.put("outsideFaults", new JsonObject().put("refunds", calm.size()).put("worstSeconds", calm.get(calm.size() - 1))
        .put("p99Seconds", pct(calm, 0.99)));
    return o.put("byFault", per);
  }

  static double pct(List<Double> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
  }

  JsonObject restarts() {
    JsonObject o = new JsonObject();
    JsonArray list = new JsonArray();
    long flaps = 0;
    for (JsonObject f : faultLog) {
      if (!f.getString("kind").startsWith("node-") || f.getValue("readySecond") == null) continue;
      int node = Integer.parseInt(f.getString("target").substring(4));
      long ready = (long) (f.getDouble("readySecond") * 1000);
      long start = (long) (f.getDouble("startSecond") * 1000);
      // readiness after the first 200: any non-200 within 90 s that no store fault explains
      List<long[]> series = readinessSeries.getOrDefault(node, List.of());
      long nodeFlaps = 0;
      long failedRuns = 0;
      int failedInARow = 0;
      List<String> flapTimes = new ArrayList<>();
      synchronized (series) {
        for (long[] s : series) {
          if (s[0] <= ready + 1000 || s[0] >= ready + 90_000) continue;
          if (s[1] == 200 || storeFaultAt(s[0])) {
            failedInARow = 0;
            continue;
          }
          if (flapTimes.size() < 10) flapTimes.add(String.format("%.1f:%d", s[0] / 1000.0, s[1]));
          if (++failedInARow == 1) failedRuns++;
          if (failedInARow == READINESS_FAILURE_THRESHOLD) nodeFlaps++;
        }
      }
      flaps += nodeFlaps;
      JsonObject r = new JsonObject().put("node", node).put("fault", f.getString("kind")).put("restartToReadyMs", f.getLong("restartToReadyMs"))
          .put("readinessFlapsAfterReady", nodeFlaps).put("failedProbes", new JsonArray(flapTimes))
          .put("failedProbeRuns", failedRuns)
          .put("latencyBefore", stats.latency(node, start - 45_000, start)).put("latencyFirst45sAfterReady", stats.latency(node, ready, ready + 45_000))
          .put("latencyOtherNodesSamePeriod", stats.latencyExcept(node, ready, ready + 45_000));
      list.add(r);
    }
    return o.put("nodes", list).put("flapsAfterReady", flaps);
  }

  String summary(JsonObject rep) {
    StringBuilder s = new StringBuilder();
    s.append(String.format("chaos run (%s): %d nodes, %.0f s wall, %d s of load; load average %s -> %s%n", size, nodes, rep.getDouble("wallSeconds"),
        workloadSeconds, rep.getJsonObject("machine").getString("loadAverageAtStart"), rep.getJsonObject("machine").getString("loadAverageAtEnd")));
    JsonObject o = rep.getJsonObject("orders");
    s.append(String.format("orders: %d  activations %s  rentals %s  extensions %d%n", o.getLong("total"), o.getJsonObject("activations").encode(),
        o.getJsonObject("rentals").encode(), o.getLong("extensions")));
    JsonObject rq = rep.getJsonObject("requests");
    s.append(String.format("requests: %d (workload %d, fuzz %d)%n", rq.getLong("total"), rq.getLong("workload"), rq.getLong("fuzz")));
    s.append("faults:\n");
    for (Object f : rep.getJsonArray("faults")) {
      JsonObject j = (JsonObject) f;
      s.append(String.format("  %7.1f s .. %7.1f s  %-17s %s%n", j.getDouble("startSecond"), j.getDouble("endSecond"), j.getString("kind"),
          j.getValue("restartToReadyMs") == null ? "" : "ready " + j.getLong("restartToReadyMs") + " ms after restart"));
    }
    for (String k : List.of("fiveXx", "dropped", "shed")) {
      JsonObject b = rep.getJsonObject(k);
      s.append(String.format("%s: %d outside faults, %d during faults%n", b.getString("what"), b.getLong("outsideFaults"), b.getLong("duringFaults")));
      int n = 0;
      for (var e : b.getJsonObject("outsideByKind")) {
        if (n++ >= 25) break;
        s.append(String.format("  %6d  %s%n", ((Number) e.getValue()).longValue(), e.getKey()));
        JsonArray ex = b.getJsonObject("examplesOutside").getJsonArray(e.getKey());
        if (ex != null && !ex.isEmpty()) s.append("          e.g. ").append(clip(ex.getJsonObject(0).getString("request"), 160).replace("\r\n", "\\r\\n"))
            .append("  =>  ").append(clip(ex.getJsonObject(0).getString("response"), 120).replace("\r\n", "\\r\\n")).append('\n');
      }
    }
    s.append("excused by faults (most frequent):\n");
    int shown = 0;
    for (var e : rep.getJsonObject("fiveXx").getJsonObject("duringByKind")) {
      if (shown++ >= 12) break;
      s.append(String.format("  %6d  %s%n", ((Number) e.getValue()).longValue(), e.getKey()));
    }
    JsonObject l = rep.getJsonObject("refundLateness");
    s.append(String.format("automatic refunds: %d; lateness worst %.1f s, p99 %.1f s (PostgreSQL and Redis downtime left out: worst %.1f s, p99 %.1f s, %d over 10 s)%n",
        l.getInteger("automaticRefunds"), l.getDouble("worstSeconds", 0.0), l.getDouble("p99Seconds", 0.0), l.getDouble("worstAdjustedSeconds", 0.0),
        l.getDouble("p99AdjustedSeconds", 0.0), l.getLong("over10sAdjusted", 0L)));
    for (Object f : l.getJsonArray("byFault", new JsonArray())) {
      JsonObject j = (JsonObject) f;
      if (j.getInteger("refundsDue") > 0) s.append(String.format("  due during %-17s %5d refunds, worst %.1f s, %d over 10 s%n", j.getString("fault"),
          j.getInteger("refundsDue"), j.getDouble("worstSeconds"), j.getLong("over10s")));
    }
    JsonObject race = rep.getJsonObject("race");
    s.append(String.format("low-balance race: %d rounds, %d requests, %d answered 5xx outside faults%n", race.getInteger("rounds"), race.getLong("requests"), race.getLong("fiveXxOutsideFaults")));
    for (Object r : rep.getJsonObject("restarts").getJsonArray("nodes")) {
      JsonObject j = (JsonObject) r;
      s.append(String.format("restart node%d (%s): ready %d ms after start, %d readiness flaps after; latency before %s, first 45 s after ready %s%n",
          j.getInteger("node"), j.getString("fault"), j.getLong("restartToReadyMs"), j.getLong("readinessFlapsAfterReady"),
          j.getJsonObject("latencyBefore").encode(), j.getJsonObject("latencyFirst45sAfterReady").encode()));
    }
    s.append("input probes (one request each, before load):\n");
    for (Object p : rep.getJsonArray("inputProbes", new JsonArray())) {
      JsonObject j = (JsonObject) p;
      s.append(String.format("  item %-3s %-62s -> %s%n", j.getString("item"), clip(j.getString("what"), 62), j.getString("status")));
    }
    s.append("checks:\n");
    for (Object c : rep.getJsonArray("checks")) {
      JsonObject j = (JsonObject) c;
      s.append(String.format("  %s  %s: %s%n", j.getBoolean("ok") ? "PASS" : "FAIL", j.getString("name"), j.getString("detail")));
    }
    s.append(rep.getBoolean("ok") ? "RESULT: PASS\n" : "RESULT: FAIL\n");
    return s.toString();
  }

  // ================================================================= statistics
  final class Stats {
    final LongAdder requests = new LongAdder();
    final LongAdder launched = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder scenarioErrors = new LongAdder();
    final LongAdder orders = new LongAdder();
    final Map<String, LongAdder> byOpStatus = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Bad> fiveXx = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Bad> dropped = new ConcurrentLinkedQueue<>();
    /** Answers 503 with Retry-After: work refused by an overloaded node, nothing done; the workload retries them. */
    final ConcurrentLinkedQueue<Bad> shed = new ConcurrentLinkedQueue<>();
    final Map<String, List<String>> examples = new ConcurrentHashMap<>();
    /** Workload latency (operations that do not call the supplier) per node and second, in log buckets of 10 %. */
    final Map<Integer, Map<Long, int[]>> hist = new ConcurrentHashMap<>();
    static final int BUCKETS = 120;

    record Bad(long at, long end, int node, String op, int status, String request, String response) {
      String statusText() {
        return switch (status) {
          case IO_REFUSED -> "refused";
          case IO_DROPPED -> "no answer (connection closed)";
          case IO_TIMEOUT -> "no answer (timeout)";
          case IO_CLOSED_SENDING -> "no answer (closed while we were sending)";
          case IO_INCOMPLETE -> "no answer to an incomplete request";
          default -> String.valueOf(status);
        };
      }
    }

    void record(String source, String op, int node, long at, long ms, int status, String request, String response) {
      requests.increment();
      String st = status >= 100 ? String.valueOf(status) : status == IO_REFUSED ? "refused" : status == IO_TIMEOUT ? "timeout"
          : status == IO_CLOSED_SENDING ? "closed-while-sending" : status == IO_INCOMPLETE ? "incomplete-no-answer" : "dropped";
      String key = source.equals("fuzz") ? "fuzz " + op.substring(Math.max(0, op.indexOf(" ["))).trim() : op;
      byOpStatus.computeIfAbsent(key + " " + st, k -> new LongAdder()).increment();
      if (status == 503 && source.equals("fuzz") && RETRY_AFTER.matcher(response).find()) shed.add(new Bad(at, at + ms, node, op, status, clip(request, 400), clip(response, 240)));
      else if (status >= 500) fiveXx.add(new Bad(at, at + ms, node, op, status, clip(request, 400), clip(response, 240)));
      else if (status == IO_DROPPED || status == IO_TIMEOUT || status == IO_CLOSED_SENDING) dropped.add(new Bad(at, at + ms, node, op, status, clip(request, 400), clip(response, 240)));
      // latency of what does not wait on the supplier: how fast the node itself serves
      if (source.equals("workload") && status > 0 && !SUPPLIER_OPS.contains(op)) {
        int b = (int) Math.min(BUCKETS - 1, Math.max(0, Math.round(Math.log(Math.max(1, ms)) / Math.log(1.1))));
        int[] h = hist.computeIfAbsent(node, k -> new ConcurrentHashMap<>()).computeIfAbsent(at / 1000, k -> new int[BUCKETS]);
        synchronized (h) {
          h[b]++;
        }
      }
    }

    static final java.util.regex.Pattern RETRY_AFTER = java.util.regex.Pattern.compile("(?im)^retry-after:\\s*\\d+");

    /** A workload answer 503 with Retry-After that the client retries: counted, never judged as a 5xx. */
    void shed(String op, int node, long at, long ms, String request, String response) {
      requests.increment();
      byOpStatus.computeIfAbsent(op + " 503-shed", k -> new LongAdder()).increment();
      shed.add(new Bad(at, at + ms, node, op, 503, clip(request, 400), clip(response, 240)));
    }

    void example(String what, String text) {
      List<String> l = examples.computeIfAbsent(what, k -> Collections.synchronizedList(new ArrayList<>()));
      if (l.size() < 5) l.add(text);
    }

    JsonObject latency(int node, long from, long to) {
      return summarize(hist.getOrDefault(node, Map.of()), from, to, new int[BUCKETS]);
    }

    JsonObject latencyExcept(int node, long from, long to) {
      int[] acc = new int[BUCKETS];
      JsonObject last = new JsonObject();
      for (var e : hist.entrySet()) if (e.getKey() != node) last = summarize(e.getValue(), from, to, acc);
      return last;
    }

    JsonObject summarize(Map<Long, int[]> perSecond, long from, long to, int[] acc) {
      for (long s = from / 1000; s <= to / 1000; s++) {
        int[] h = perSecond.get(s);
        if (h == null) continue;
        synchronized (h) {
          for (int i = 0; i < BUCKETS; i++) acc[i] += h[i];
        }
      }
      long n = 0;
      for (int c : acc) n += c;
      JsonObject o = new JsonObject().put("requests", n);
      if (n == 0) return o;
      return o.put("p50Ms", q(acc, n, 0.5)).put("p99Ms", q(acc, n, 0.99)).put("maxMs", q(acc, n, 1.0));
    }

    long q(int[] h, long n, double p) {
      long target = (long) Math.ceil(p * n);
      long seen = 0;
      for (int i = 0; i < BUCKETS; i++) {
        seen += h[i];
        if (seen >= target) return Math.round(Math.pow(1.1, i));
      }
      return -1;
    }
  }

  // ================================================================= the supplier's fault proxy and the push balancer
  /** Every node calls the sandbox supplier through this: normal, slow, failing or garbled, switched by the fault schedule. */
  final class FaultProxy {
    volatile String mode = "normal";
    final com.sun.net.httpserver.HttpServer server;
    final int target;
    final Map<String, LongAdder> served = new ConcurrentHashMap<>();

    FaultProxy(int port, int target) throws IOException {
      this.target = target;
      server = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/", this::handle);
      server.start();
    }

    void handle(com.sun.net.httpserver.HttpExchange ex) throws IOException {
      String m = mode;
      ThreadLocalRandom r = ThreadLocalRandom.current();
      served.computeIfAbsent(m, k -> new LongAdder()).increment();
      byte[] body = ex.getRequestBody().readAllBytes();
      try {
        if (m.equals("slow")) Thread.sleep(r.nextInt(3000, 15000));
        if (m.equals("failing")) {
          int p = r.nextInt(100);
          if (p < 35) {
            send(ex, 500, "text/plain", "Internal Server Error".getBytes());
            return;
          } else if (p < 55) {
            send(ex, 503, "text/html", "<html><body>503 Service Unavailable</body></html>".getBytes());
            return;
          } else if (p < 75) {
            ex.close(); // no answer at all
            return;
          }
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target + ex.getRequestURI())).timeout(Duration.ofSeconds(30))
            .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        if (ct != null) b.header("Content-Type", ct);
        HttpResponse<byte[]> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        byte[] out = resp.body();
        String type = resp.headers().firstValue("Content-Type").orElse("application/json");
        if (m.equals("garbled")) {
          int p = r.nextInt(100);
          if (p < 30) {
            out = new byte[r.nextInt(1, 200)];
            r.nextBytes(out);
          } else if (p < 55) {
            out = java.util.Arrays.copyOf(out, Math.max(1, out.length / 2));
          } else if (p < 75) {
            out = "<html><head><title>Gateway</title></head><body>upstream says hello</body></html>".getBytes();
            type = "text/html";
          } else {
            out = "{\"status\":\"SUCCESS\",\"number\":null,\"activationId\":\"x\",\"services\":7}".getBytes();
          }
        }
        send(ex, resp.statusCode(), type, out);
      } catch (Exception e) {
        try {
          send(ex, 502, "text/plain", ("proxy: " + e).getBytes());
        } catch (IOException ignored) {
          ex.close();
        }
      }
    }

    void stop() {
      server.stop(0);
    }
  }

  static void send(com.sun.net.httpserver.HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
    ex.close();
  }

  /** The supplier pushes its own SMS here; they go to a node that is up, round robin, as a load balancer would. */
  final class PushBalancer {
    final com.sun.net.httpserver.HttpServer server;
    final AtomicInteger next = new AtomicInteger();

    PushBalancer(int port) throws IOException {
      server = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/", this::handle);
      server.start();
    }

    void handle(com.sun.net.httpserver.HttpExchange ex) throws IOException {
      byte[] body = ex.getRequestBody().readAllBytes();
      for (int attempt = 0; attempt < nodes; attempt++) {
        NodeProc n = nodeProcs.get(Math.floorMod(next.getAndIncrement(), nodeProcs.size()));
        if (!n.up) continue;
        try {
          HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.port + ex.getRequestURI()))
              .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
          stats.byOpStatus.computeIfAbsent("supplier-push " + resp.statusCode(), k -> new LongAdder()).increment();
          send(ex, resp.statusCode(), "application/json", resp.body());
          return;
        } catch (ConnectException e) {
          // next node
        } catch (Exception e) {
          break;
        }
      }
      send(ex, 503, "application/json", "{\"status\":\"ERROR\",\"error\":\"no node\"}".getBytes());
    }

    void stop() {
      server.stop(0);
    }
  }

  // ================================================================= the fuzzer
  /** One documented request: method, path (placeholders filled per request), query, body, who signs it. */
  record Template(String name, String method, String path, String query, String body, String auth, boolean bodyMayBeValid) {}

  final class Fuzzer {
    final LongAdder sent = new LongAdder();
    final LongAdder crossProbes = new LongAdder();
    final LongAdder leaks = new LongAdder();
    final LongAdder keyProbes = new LongAdder();
    final LongAdder keyBypasses = new LongAdder();
    final Map<String, long[]> byMutation = new ConcurrentHashMap<>(); // sent, 2xx, 4xx, 5xx, dropped
    final Map<String, long[]> byStatus = new ConcurrentHashMap<>();
    final Map<String, LongAdder> byTemplate = new ConcurrentHashMap<>();
    final AtomicLong counter = new AtomicLong();
    final List<Template> templates = templates();
    final List<Mutation> mutations = mutations();

    JsonObject report() {
      JsonObject o = new JsonObject().put("sent", sent.sum()).put("templates", templates.size()).put("mutations", mutations.size());
      JsonObject st = new JsonObject();
      new TreeMap<>(byStatus).forEach((k, v) -> st.put(k, v[0]));
      o.put("byStatus", st);
      JsonObject bm = new JsonObject();
      new TreeMap<>(byMutation).forEach((k, v) -> bm.put(k, new JsonObject().put("sent", v[0]).put("2xx", v[1]).put("4xx", v[2]).put("5xx", v[3]).put("noAnswer", v[4])));
      JsonObject bt = new JsonObject();
      new TreeMap<>(byTemplate).forEach((k, v) -> bt.put(k, v.sum()));
      return o.put("byMutation", bm).put("byTemplateAndStatus", bt);
    }

    void loop() {
      while (fuzzRunning.get()) {
        try {
          once();
        } catch (Throwable e) {
          stats.example("fuzzer-error", e.toString());
        }
      }
    }

    void once() {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      Template t = templates.get(r.nextInt(templates.size()));
      // the invariant query scans the whole ledger: fuzz it, but seldom, or it alone sets the fuzzer's pace
      if (t.name.equals("invariants") && r.nextInt(20) != 0) t = templates.get(0);
      Raw raw = new Raw(t);
      int count = r.nextInt(100) < 70 ? 1 : 2;
      List<String> names = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Mutation m = mutations.get(r.nextInt(mutations.size()));
        m.apply().get().accept(raw);
        names.add(m.name());
      }
      if (!t.bodyMayBeValid && !raw.corrupted) {
        // an admin write the fuzzer must not make for real: force a malformed body
        raw.body = "{\"".getBytes(StandardCharsets.UTF_8);
        names.add("b.truncated(forced)");
      }
      NodeProc node = pickNode();
      byte[] bytes = raw.bytes(node.port);
      long at = now();
      long start = System.nanoTime();
      boolean supplierOp = SUPPLIER_OPS.contains("fuzz:" + t.method + " " + t.path) || t.path.startsWith("/stubs");
      RawResult res = exchange(node.port, bytes, raw.streaming, raw.incomplete ? 1000 : BODY_WAIT_MS, raw.incomplete);
      if (raw.incomplete && res.status < 0 && res.status != IO_REFUSED) res = new RawResult(IO_INCOMPLETE, res.head);
      long ms = (System.nanoTime() - start) / 1_000_000;
      sent.increment();
      String op = "fuzz:" + t.method + " " + t.path;
      String mutation = String.join("+", names);
      String reqText = new String(bytes, 0, Math.min(bytes.length, 600), StandardCharsets.ISO_8859_1);
      stats.record("fuzz", op + " [" + mutation + "]", node.index, at, ms, res.status, reqText, res.head);
      String st = res.status > 0 ? String.valueOf(res.status) : "no-answer";
      byTemplate.computeIfAbsent(op + " " + st, k -> new LongAdder()).increment();
      long[] c = byMutation.computeIfAbsent(names.get(0), k -> new long[5]);
      long[] sc = byStatus.computeIfAbsent(res.status > 0 ? String.valueOf(res.status) : res.status == IO_TIMEOUT ? "timeout" : res.status == IO_REFUSED ? "refused" : res.status == IO_INCOMPLETE ? "incomplete-no-answer" : res.status == IO_CLOSED_SENDING ? "closed-while-sending" : "dropped", k -> new long[1]);
      synchronized (c) {
        c[0]++;
        if (res.status >= 200 && res.status < 300) c[1]++;
        else if (res.status >= 400 && res.status < 500) c[2]++;
        else if (res.status >= 500) c[3]++;
        else if (res.status == IO_DROPPED || res.status == IO_TIMEOUT || res.status == IO_CLOSED_SENDING) c[4]++;
      }
      synchronized (sc) {
        sc[0]++;
      }
      boolean ok2xx = res.status >= 200 && res.status < 300;
      if (raw.foreignId != 0 && t.auth.equals("customer")) {
        crossProbes.increment();
        String answerBody = res.head.contains("\r\n\r\n") ? res.head.substring(res.head.indexOf("\r\n\r\n")) : res.head;
        boolean shown = (raw.foreignPhone != 0 && answerBody.contains(String.valueOf(raw.foreignPhone)))
            || (raw.foreignInQuery && (answerBody.contains("\"" + raw.foreignId + "\"") || answerBody.contains(":" + raw.foreignId + ",")));
        if ((ok2xx && !raw.foreignInQuery && !t.path.startsWith("/stubs")) || (ok2xx && shown)) {
          leaks.increment();
          if (leakExamples.size() < 10) leakExamples.add(clip(reqText, 200) + " -> " + clip(res.head, 200));
        }
      }
      if (raw.badAuth && (t.auth.equals("customer") || t.auth.equals("admin"))) {
        keyProbes.increment();
        // a path with dot segments may normalise onto another route (say /v1/x/../../admin/...), whose key is then right
        boolean dotSegments = raw.path.contains("/..") || raw.path.toLowerCase().contains("%2e");
        if (ok2xx && !t.path.startsWith("/stubs") && !dotSegments) {
          keyBypasses.increment();
          stats.example("key-bypass", clip(reqText, 200) + " -> " + res.status);
        }
      }
    }

    List<Template> templates() {
      List<Template> t = new ArrayList<>();
      // customer API
      t.add(new Template("buy", "POST", "/v1/activations", "", "{\"service\":\"tg\",\"country\":0,\"maxPrice\":\"5.00\",\"operator\":\"any\",\"excludedPrefixes\":[\"7900\"]}", "customer", true));
      t.add(new Template("batch", "POST", "/v1/activations/batch", "", "{\"items\":[{\"service\":\"wa\",\"country\":1,\"maxPrice\":\"2.00\",\"quantity\":2}]}", "customer", true));
      t.add(new Template("get", "GET", "/v1/activations/{act}", "", null, "customer", true));
      t.add(new Template("list", "GET", "/v1/activations", "state=WAITING_CODE&limit=10&cursor=100000001", null, "customer", true));
      t.add(new Template("cancel", "POST", "/v1/activations/{act}/cancel", "", null, "customer", true));
      t.add(new Template("finish", "POST", "/v1/activations/{act}/finish", "", null, "customer", true));
      t.add(new Template("retry", "POST", "/v1/activations/{act}/retry", "", null, "customer", true));
      t.add(new Template("events", "GET", "/v1/activations/{act}/events", "", null, "customer", true));
      t.add(new Template("refund", "GET", "/v1/activations/{act}/refund", "", null, "customer", true));
      t.add(new Template("wallet", "GET", "/v1/wallet", "", null, "customer", true));
      t.add(new Template("tx", "GET", "/v1/wallet/transactions", "kind=hold,void&from=2024-01-01T00:00:00Z&to=2030-01-01T00:00:00Z&orderId={act}&limit=50&cursor=5", null, "customer", true));
      t.add(new Template("csv", "GET", "/v1/wallet/transactions.csv", "kind=deposit&limit=100", null, "customer", true));
      t.add(new Template("payout", "POST", "/v1/wallet/payouts", "", "{\"amount\":\"25.00\",\"destination\":\"iban DE00 1234\"}", "customer", true));
      t.add(new Template("payouts", "GET", "/v1/wallet/payouts", "", null, "customer", true));
      t.add(new Template("offers", "GET", "/v1/offers", "service=tg&country=0", null, "customer", true));
      t.add(new Template("webhook-put", "PUT", "/v1/webhook", "", "{\"url\":\"https://example.invalid/hook\"}", "customer", true));
      t.add(new Template("webhook-get", "GET", "/v1/webhook", "", null, "customer", true));
      t.add(new Template("webhook-del", "DELETE", "/v1/webhook", "", null, "customer", true));
      t.add(new Template("webhook-secret", "POST", "/v1/webhook/secret", "", "{}", "customer", true));
      t.add(new Template("deliveries", "GET", "/v1/webhooks/deliveries", "limit=10&cursor=3", null, "customer", true));
      t.add(new Template("rent", "POST", "/v1/rentals", "", "{\"country\":0,\"hours\":1,\"service\":\"tg\",\"webhookUrl\":\"https://example.invalid/r\"}", "customer", true));
      t.add(new Template("rent-get", "GET", "/v1/rentals/{rent}", "", null, "customer", true));
      t.add(new Template("rent-list", "GET", "/v1/rentals", "state=ACTIVE&limit=5&cursor=100000001", null, "customer", true));
      t.add(new Template("rent-cancel", "POST", "/v1/rentals/{rent}/cancel", "", null, "customer", true));
      t.add(new Template("rent-finish", "POST", "/v1/rentals/{rent}/finish", "", null, "customer", true));
      t.add(new Template("rent-extend", "POST", "/v1/rentals/{rent}/extend", "", "{\"hours\":1}", "customer", true));
      t.add(new Template("rent-refund", "GET", "/v1/rentals/{rent}/refund", "", null, "customer", true));
      t.add(new Template("claim-file", "POST", "/v1/claims", "", "{\"orderId\":{act},\"type\":\"no_sms\",\"text\":\"never got it\",\"tags\":[\"x\"]}", "customer", true));
      t.add(new Template("claims", "GET", "/v1/claims", "state=OPEN&limit=5", null, "customer", true));
      t.add(new Template("claim-get", "GET", "/v1/claims/{small}", "", null, "customer", true));
      t.add(new Template("claim-appeal", "POST", "/v1/claims/{small}/appeal", "", "{\"text\":\"please\"}", "customer", true));
      t.add(new Template("evidence", "POST", "/v1/claims/{small}/evidence", "", "\u0089PNG\r\n\u001a\nxxxx", "customer", true));
      t.add(new Template("evidence-get", "GET", "/v1/claims/{small}/evidence/{n}", "", null, "customer", true));
      // the compatible API
      t.add(new Template("compat", "GET", "/stubs/handler_api.php", "api_key={key}&action=getNumber&service=tg&country=0", null, "customer", true));
      t.add(new Template("compat-status", "GET", "/stubs/handler_api.php", "api_key={key}&action=getStatus&id={act}", null, "customer", true));
      t.add(new Template("compat-set", "GET", "/stubs/handler_api.php", "api_key={key}&action=setStatus&status=8&id={act}", null, "customer", true));
      t.add(new Template("compat-post", "POST", "/stubs/handler_api.php", "", "form:api_key={key}&action=getBalance", "customer", true));
      t.add(new Template("compat-rent", "GET", "/stubs/handler_api.php", "api_key={key}&action=getRentStatus&id={rent}&page=0&size=10", null, "customer", true));
      // the supplier push
      t.add(new Template("push", "POST", "/providers/sandbox/sms", "", "{\"smsId\":{n},\"phoneFrom\":\"Fuzz\",\"phone\":{phone},\"text\":\"code 1234\",\"action\":\"PUSH_SMS\",\"key\":\"" + SUPPLIER_KEY + "\"}", "none", true));
      // admin API (on the fuzzer's own victim account, suppliers and plan; never the workload's)
      t.add(new Template("acct-create", "POST", "/admin/v1/accounts", "", "{\"name\":\"fuzzed\"}", "admin", false));
      t.add(new Template("acct-get", "GET", "/admin/v1/accounts/{victim}", "", null, "admin", true));
      t.add(new Template("deposit", "POST", "/admin/v1/accounts/{victim}/deposits", "", "{\"amount\":\"1.00\",\"reference\":\"fuzz-{n}\"}", "admin", true));
      t.add(new Template("deposit-huge", "POST", "/admin/v1/accounts/{victim}/deposits", "", "{\"amount\":\"9000000000000.00\",\"reference\":\"fuzz-huge-{n}\"}", "admin", true));
      t.add(new Template("status", "PUT", "/admin/v1/accounts/{victim}/status", "", "{\"status\":\"suspended\",\"until\":\"2031-01-01T00:00:00Z\"}", "admin", true));
      t.add(new Template("status-far", "PUT", "/admin/v1/accounts/{victim}/status", "", "{\"status\":\"suspended\",\"until\":\"+1000000000-01-01T00:00:00Z\"}", "admin", true));
      t.add(new Template("plan", "PUT", "/admin/v1/accounts/{victim}/plan", "", "{\"plan\":\"fuzzplan\"}", "admin", true));
      t.add(new Template("plan-put", "PUT", "/admin/v1/plans/fuzzplan", "", "{\"requestsPerSecond\":10,\"burst\":20}", "admin", true));
      t.add(new Template("provider", "PUT", "/admin/v1/providers/fuzzprov2", "", "{\"protocol\":\"smshub\",\"baseUrl\":\"http://127.0.0.1:1/x\",\"apiKey\":\"k\",\"enabled\":false,\"priority\":5,\"channelsLimit\":3}", "admin", true));
      t.add(new Template("service", "PUT", "/admin/v1/services/fz", "", "{\"name\":\"Fuzz\"}", "admin", true));
      t.add(new Template("offer", "PUT", "/admin/v1/offers", "", "{\"service\":\"tg\",\"country\":0,\"provider\":\"fuzzprov\",\"price\":\"0.10\",\"cost\":\"0.05\",\"stock\":5}", "admin", true));
      t.add(new Template("rent-offer", "PUT", "/admin/v1/rent-offers", "", "{\"provider\":\"fuzzprov\",\"country\":0,\"service\":\"full\",\"hourlyPrice\":\"0.01\",\"stock\":1,\"hours\":[4,12]}", "admin", true));
      t.add(new Template("invariants", "GET", "/admin/v1/invariants", "", null, "admin", true));
      t.add(new Template("terminate", "POST", "/admin/v1/accounts/{victim}/terminate", "", "{\"reason\":\"fuzz\"}", "admin", true));
      t.add(new Template("forfeit", "POST", "/admin/v1/accounts/{victim}/forfeit", "", "{\"reason\":\"fuzz\"}", "admin", true));
      t.add(new Template("credits", "POST", "/admin/v1/service-credits", "", "{\"reason\":\"fuzz\",\"outageRef\":\"x\",\"orders\":[{\"orderId\":{act},\"amount\":\"0.01\"}]}", "admin", true));
      t.add(new Template("payouts-admin", "GET", "/admin/v1/payouts", "state=REQUESTED&accountId={victim}", null, "admin", true));
      t.add(new Template("payout-approve", "POST", "/admin/v1/payouts/{small}/approve", "", "{\"note\":\"ok\"}", "admin", true));
      t.add(new Template("payout-reject", "POST", "/admin/v1/payouts/{small}/reject", "", "{\"reason\":\"no\"}", "admin", true));
      t.add(new Template("outage", "POST", "/admin/v1/outages", "", "{\"provider\":\"fuzzprov\",\"service\":\"tg\",\"country\":0,\"from\":\"2024-01-01T00:00:00Z\",\"to\":\"2024-01-02T00:00:00Z\",\"reason\":\"fuzz\"}", "admin", true));
      t.add(new Template("outages", "GET", "/admin/v1/outages", "state=DONE&limit=5&cursor=2", null, "admin", true));
      t.add(new Template("outage-get", "GET", "/admin/v1/outages/{small}", "", null, "admin", true));
      t.add(new Template("outage-dismiss", "POST", "/admin/v1/outages/{small}/dismiss", "", null, "admin", true));
      t.add(new Template("health", "GET", "/admin/v1/providers/health", "", null, "admin", true));
      t.add(new Template("claims-admin", "GET", "/admin/v1/claims", "state=OPEN&type=no_sms&accountId={victim}&overdue=true", null, "admin", true));
      t.add(new Template("claim-approve", "POST", "/admin/v1/claims/{small}/approve", "", "{\"remedy\":\"refund\",\"note\":\"n\"}", "admin", true));
      t.add(new Template("claim-reject", "POST", "/admin/v1/claims/{small}/reject", "", "{\"reason\":\"n\"}", "admin", true));
      t.add(new Template("abuse-flags", "GET", "/admin/v1/abuse/flags", "state=open&limit=5", null, "admin", true));
      t.add(new Template("abuse-settings", "PUT", "/admin/v1/abuse/settings/shared_ip", "", "{\"enabled\":false,\"threshold\":5,\"windowMs\":86400000,\"action\":\"flag\"}", "admin", true));
      t.add(new Template("held", "GET", "/admin/v1/abuse/held-refunds", "limit=5", null, "admin", true));
      t.add(new Template("policies", "GET", "/admin/v1/policies", "", null, "admin", true));
      t.add(new Template("policy-in-force", "PUT", "/admin/v1/policies/in-force", "", "{\"policyId\":\"smssb_refund_policy\"}", "admin", false));
      t.add(new Template("policy-publish", "POST", "/admin/v1/policies", "", "{\"id\":\"fuzz\",\"yaml\":\"x: 1\"}", "admin", false));
      t.add(new Template("policy-version", "GET", "/admin/v1/policies/smssb_refund_policy/versions/{small}", "", null, "admin", true));
      t.add(new Template("incidents", "GET", "/admin/v1/rentals/incidents", "limit=5&cursor=1", null, "admin", true));
      // health and metrics
      t.add(new Template("ready", "GET", "/health/ready", "", null, "none", true));
      t.add(new Template("metrics", "GET", "/metrics", "", null, "none", true));
      return t;
    }

    // ---------------------------------------------------------------- raw requests
    final class Raw {
      final Template t;
      String method;
      String path;
      String query;
      String version = "HTTP/1.1";
      List<String[]> headers = new ArrayList<>();
      byte[] body;
      boolean chunked;
      String chunkSize;   // an invalid chunk size to send instead of the real one
      boolean omitLength;
      boolean corrupted;  // the request is malformed on purpose (so an admin write cannot succeed)
      boolean badAuth;
      boolean streaming;
      long foreignId;
      long foreignPhone;
      byte[] rawOverride;
      String lineEnd = "\r\n";
      boolean hostless;
      boolean incomplete;  // the bytes never make a whole request: no answer is acceptable
      boolean foreignInQuery;

      Raw(Template t) {
        this.t = t;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        method = t.method;
        path = fill(t.path);
        query = fill(t.query);
        streaming = t.path.endsWith("/events");
        if (t.body != null) {
          String b = fill(t.body);
          if (b.startsWith("form:")) {
            body = b.substring(5).getBytes(StandardCharsets.UTF_8);
            headers.add(new String[] {"Content-Type", "application/x-www-form-urlencoded"});
          } else {
            body = b.getBytes(StandardCharsets.UTF_8);
            headers.add(new String[] {"Content-Type", "application/json"});
          }
        }
        if (t.auth.equals("customer")) headers.add(new String[] {"Authorization", "Bearer " + fuzzer.key});
        if (t.auth.equals("admin")) headers.add(new String[] {"Authorization", "Bearer " + ADMIN});
        if (r.nextInt(10) == 0) headers.add(new String[] {"Idempotency-Key", "fz-" + r.nextInt(1000)});
      }

      String fill(String s) {
        if (s == null || s.indexOf('{') < 0) return s;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        s = s.replace("{key}", fuzzer.key).replace("{victim}", String.valueOf(victim.id)).replace("{n}", String.valueOf(counter.incrementAndGet()))
            .replace("{small}", String.valueOf(r.nextInt(1, 40)));
        if (s.contains("{act}")) s = s.replace("{act}", String.valueOf(own(fuzzOwnActivations, 100000001L)));
        if (s.contains("{rent}")) s = s.replace("{rent}", String.valueOf(own(fuzzOwnRentals, 100000002L)));
        if (s.contains("{phone}")) {
          long[] f = foreign();
          s = s.replace("{phone}", f != null && f[1] != 0 && r.nextBoolean() ? String.valueOf(f[1]) : String.valueOf(79990000000L + r.nextInt(100000)));
        }
        return s;
      }

      long own(List<Long> ids, long fallback) {
        return ids.isEmpty() ? fallback : ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
      }

      void header(String name, String value) {
        headers.removeIf(h -> h[0].equalsIgnoreCase(name));
        headers.add(new String[] {name, value});
      }

      byte[] bytes(int port) {
        if (rawOverride != null) return rawOverride;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        String target = path + (query == null || query.isEmpty() ? "" : "?" + query);
        write(o, method + " " + target + (version.isEmpty() ? "" : " " + version) + lineEnd);
        if (!hostless) write(o, "Host: 127.0.0.1:" + port + lineEnd);
        for (String[] h : headers) write(o, h[0] + (h[1] == null ? "" : ": " + h[1]) + lineEnd);
        byte[] b = body == null ? new byte[0] : body;
        if (chunked) {
          write(o, "Transfer-Encoding: chunked" + lineEnd + lineEnd);
          write(o, (chunkSize != null ? chunkSize : Integer.toHexString(b.length)) + "\r\n");
          o.writeBytes(b);
          write(o, "\r\n0\r\n\r\n");
          return o.toByteArray();
        }
        if (!omitLength && (body != null || method.equals("POST") || method.equals("PUT"))) write(o, "Content-Length: " + b.length + lineEnd);
        write(o, lineEnd);
        o.writeBytes(b);
        return o.toByteArray();
      }
    }

    long[] foreign() {
      long n = foreignCount.get();
      if (n == 0) return null;
      long i = ThreadLocalRandom.current().nextLong(Math.min(n, foreignOrders.length()));
      return foreignOrders.get((int) i);
    }

    static void write(ByteArrayOutputStream o, String s) {
      o.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    record Mutation(String name, java.util.function.Supplier<java.util.function.Consumer<Raw>> apply) {}

    static byte[] gzip(byte[] in) {
      try {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(o)) {
          g.write(in);
        }
        return o.toByteArray();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    static byte[] deflate(byte[] in) {
      Deflater d = new Deflater();
      d.setInput(in);
      d.finish();
      byte[] buf = new byte[in.length + 64];
      int n = d.deflate(buf);
      return java.util.Arrays.copyOf(buf, n);
    }

    static final byte[] BOMB = gzip(new byte[8 * 1024 * 1024]);

    Mutation m(String name, java.util.function.Consumer<Raw> c) {
      return new Mutation(name, () -> c);
    }

    String bodyText(Raw x) {
      return x.body == null ? "{}" : new String(x.body, StandardCharsets.UTF_8);
    }

    void setBody(Raw x, String s) {
      x.body = s.getBytes(StandardCharsets.UTF_8);
      if (x.headers.stream().noneMatch(h -> h[0].equalsIgnoreCase("Content-Type"))) x.headers.add(new String[] {"Content-Type", "application/json"});
    }

    /** Replaces every JSON string value of the body with f(value). */
    String mapStrings(String json, java.util.function.UnaryOperator<String> f) {
      StringBuilder sb = new StringBuilder();
      java.util.regex.Matcher mm = java.util.regex.Pattern.compile("(\"[A-Za-z]+\"\\s*:\\s*)\"([^\"]*)\"").matcher(json);
      int last = 0;
      while (mm.find()) {
        sb.append(json, last, mm.start()).append(mm.group(1)).append('"').append(f.apply(mm.group(2))).append('"');
        last = mm.end();
      }
      return sb.append(json.substring(last)).toString();
    }

    String addQuery(Raw x, String q) {
      return x.query == null || x.query.isEmpty() ? q : x.query + "&" + q;
    }

    List<Mutation> mutations() {
      List<Mutation> l = new ArrayList<>();
      ThreadLocalRandom unused = ThreadLocalRandom.current();
      // --- query strings
      for (String esc : List.of("%", "%zz", "%4", "%%", "%u0041", "%G1", "100%")) {
        l.add(m("q.bad-escape " + esc, x -> { x.query = addQuery(x, "cursor=" + esc); x.corrupted = true; }));
      }
      l.add(m("q.bad-escape-in-name", x -> { x.query = addQuery(x, "li%mit=5"); x.corrupted = true; }));
      l.add(m("q.nul", x -> { x.query = addQuery(x, "state=%00&limit=1%00"); x.corrupted = true; }));
      l.add(m("q.huge-value", x -> { x.query = addQuery(x, "cursor=" + "9".repeat(9000)); x.corrupted = true; }));
      l.add(m("q.many-params", x -> { StringBuilder b = new StringBuilder(); for (int i = 0; i < 1500; i++) b.append("&p").append(i).append("=1"); x.query = addQuery(x, b.substring(1)); x.corrupted = true; }));
      l.add(m("q.limit-weird", x -> { x.query = addQuery(x, "limit=" + List.of("-1", "0", "99999999999999999999", "1e3", "abc", "").get(ThreadLocalRandom.current().nextInt(6))); x.corrupted = true; }));
      l.add(m("q.cursor-weird", x -> { x.query = addQuery(x, "cursor=" + List.of("-5", "99999999999999999999", "abc", "1.5", "0x10").get(ThreadLocalRandom.current().nextInt(5))); x.corrupted = true; }));
      l.add(m("q.far-dates", x -> { x.query = addQuery(x, "from=%2B1000000000-01-01T00:00:00Z&to=-999999999-01-01T00:00:00Z"); x.corrupted = true; }));
      l.add(m("q.bad-dates", x -> { x.query = addQuery(x, "from=yesterday&to=2024-13-45T99:99:99Z"); x.corrupted = true; }));
      l.add(m("q.state-weird", x -> { x.query = addQuery(x, "state=" + List.of("BOGUS", "waiting_code", "%27%3B--", "", "A,B,C").get(ThreadLocalRandom.current().nextInt(5)) + "&kind=nope"); x.corrupted = true; }));
      l.add(m("q.overlong-utf8", x -> { x.query = addQuery(x, "state=%C0%AF%ED%A0%80%FF"); x.corrupted = true; }));
      l.add(m("q.repeated", x -> { x.query = addQuery(x, "limit=1&limit=2&state=A&state=B"); x.corrupted = true; }));
      l.add(m("q.compat-action", x -> { x.query = addQuery(x, "action=" + List.of("", "%", "getNumber%00", "x".repeat(3000), "getBalance&api_key=").get(ThreadLocalRandom.current().nextInt(5))); x.corrupted = true; }));
      // --- paths and ids
      l.add(m("p.id-huge", x -> { x.path = x.path.replaceAll("/1\\d{8}", "/99999999999999999999"); x.corrupted = true; }));
      l.add(m("p.id-negative", x -> { x.path = x.path.replaceAll("/(1\\d{8}|\\d{1,2})(?=/|$)", "/-1"); x.corrupted = true; }));
      l.add(m("p.id-alpha", x -> { x.path = x.path.replaceAll("/(1\\d{8}|\\d{1,2})(?=/|$)", "/abc"); x.corrupted = true; }));
      l.add(m("p.id-foreign", x -> {
        long[] f = foreign();
        if (f == null) return;
        boolean rental = f[2] == 1;
        if (rental ? x.path.matches(".*/v1/rentals/\\d+.*") : x.path.matches(".*/v1/activations/\\d+.*")) {
          x.path = x.path.replaceAll("/\\d{9,}", "/" + f[0]);
          x.foreignId = f[0];
          x.foreignPhone = f[1];
        } else if (x.query != null && x.query.matches(".*(orderId|id)=\\d{9}.*")) {
          // a filter by another account's order: a 200 with nothing in it is right, its id or phone in the answer is a leak
          x.query = x.query.replaceAll("(orderId|id)=\\d{9}", "$1=" + f[0]);
          x.foreignInQuery = true;
          x.foreignId = f[0];
          x.foreignPhone = f[1];
        } else if (x.body != null && bodyText(x).contains("\"orderId\":")) {
          setBody(x, bodyText(x).replaceAll("\"orderId\":\\d+", "\"orderId\":" + f[0]));
          x.foreignId = f[0];
          x.foreignPhone = f[1];
        }
      }));
      l.add(m("p.dotdot", x -> { x.path = x.path + "/../../admin/v1/invariants"; x.corrupted = true; }));
      l.add(m("p.encoded-dotdot", x -> { x.path = x.path + "/%2e%2e/%2e%2e/admin/v1/invariants"; x.corrupted = true; }));
      l.add(m("p.encoded-slash", x -> { x.path = x.path.replaceFirst("/v1/", "/v1%2F"); x.corrupted = true; }));
      l.add(m("p.double-slash", x -> { x.path = x.path.replace("/", "//"); x.corrupted = true; }));
      l.add(m("p.trailing", x -> { x.path = x.path + List.of("/", ";jsessionid=1", "%20", "%00", "%zz", ".json").get(ThreadLocalRandom.current().nextInt(6)); x.corrupted = true; }));
      l.add(m("p.bad-escape", x -> { x.path = x.path.replaceFirst("/([a-z]+)$", "/%$1"); x.corrupted = true; }));
      l.add(m("p.unicode", x -> { x.path = x.path + "/%F0%9F%92%A9%E2%80%AE"; x.corrupted = true; }));
      // --- JSON bodies
      l.add(m("b.truncated", x -> { String b = bodyText(x); setBody(x, b.isEmpty() ? "{" : b.substring(0, Math.max(1, b.length() / 2))); x.corrupted = true; }));
      l.add(m("b.not-json", x -> { setBody(x, List.of("hello", "<xml/>", "{'a':1}", "{a:1}", "[1,2", "\"str\"", "{\"a\":1,}", "{}}", "nul").get(ThreadLocalRandom.current().nextInt(9))); x.corrupted = true; }));
      l.add(m("b.array", x -> { setBody(x, "[" + bodyText(x) + "]"); x.corrupted = true; }));
      l.add(m("b.null", x -> { setBody(x, "null"); x.corrupted = true; }));
      l.add(m("b.empty", x -> { x.body = new byte[0]; x.corrupted = true; }));
      l.add(m("b.wrong-types", x -> { setBody(x, mapStrings(bodyText(x), v -> v).replaceAll(":\\s*\"([^\"]*)\"", ":[\"$1\"]").replaceAll(":(\\d+)", ":\"$1x\"")); x.corrupted = true; }));
      l.add(m("b.nulls", x -> { setBody(x, bodyText(x).replaceAll(":\\s*(\"[^\"]*\"|\\d+|true|false)", ":null")); x.corrupted = true; }));
      l.add(m("b.extra-field", x -> { String b = bodyText(x); setBody(x, b.startsWith("{") && b.length() > 2 ? "{\"__proto__\":{\"admin\":true}," + b.substring(1) : b); x.corrupted = true; }));
      l.add(m("b.deep", x -> { setBody(x, "[".repeat(20000) + "]".repeat(20000)); x.corrupted = true; }));
      l.add(m("b.deep-object", x -> { setBody(x, "{\"a\":".repeat(5000) + "1" + "}".repeat(5000)); x.corrupted = true; }));
      l.add(m("b.huge-string", x -> { setBody(x, "{\"text\":\"" + "A".repeat(200_000) + "\"}"); x.corrupted = true; }));
      l.add(m("b.long-strings", x -> { setBody(x, mapStrings(bodyText(x), v -> v + "x".repeat(5000))); x.corrupted = true; }));
      l.add(m("b.nul-escaped", x -> { setBody(x, mapStrings(bodyText(x), v -> v + "\\u0000")); x.corrupted = true; }));
      l.add(m("b.nul-raw", x -> { String b = bodyText(x); int i = b.length() / 2; x.body = (b.substring(0, i) + "\u0000" + b.substring(i)).getBytes(StandardCharsets.UTF_8); x.corrupted = true; }));
      l.add(m("b.control-chars", x -> { setBody(x, mapStrings(bodyText(x), v -> v + "\\u0007\\u001b[31m\\r\\n")); x.corrupted = true; }));
      l.add(m("b.lone-surrogate", x -> { setBody(x, mapStrings(bodyText(x), v -> v + "\\ud800")); x.corrupted = true; }));
      l.add(m("b.invalid-utf8", x -> { byte[] b = (bodyText(x)).getBytes(StandardCharsets.UTF_8); byte[] c = java.util.Arrays.copyOf(b, b.length + 3); int i = 0; while (i < b.length && b[i] != '"') i++; i = Math.min(b.length, i + 1); System.arraycopy(b, i, c, i + 3, b.length - i); c[i] = (byte) 0xC3; c[i + 1] = (byte) 0x28; c[i + 2] = (byte) 0xFF; x.body = c; x.corrupted = true; }));
      l.add(m("b.bom", x -> { byte[] b = bodyText(x).getBytes(StandardCharsets.UTF_8); byte[] c = new byte[b.length + 3]; c[0] = (byte) 0xEF; c[1] = (byte) 0xBB; c[2] = (byte) 0xBF; System.arraycopy(b, 0, c, 3, b.length); x.body = c; x.corrupted = true; }));
      l.add(m("b.duplicate-keys", x -> { String b = bodyText(x); setBody(x, b.startsWith("{") && b.length() > 2 ? b.substring(0, b.length() - 1) + "," + b.substring(1) : b); }));
      for (String amount : List.of("99999999999999999999.99", "9223372036854.775807", "9223372036854.775808", "1e308", "-1.00", "0.0000001", "0", "NaN", "1,00", " 1.00", "0x10")) {
        l.add(m("b.amount " + amount, x -> { setBody(x, bodyText(x).replaceAll("\"(amount|price|maxPrice|cost|hourlyPrice)\":\"[^\"]*\"", "\"$1\":\"" + amount + "\"")); }));
      }
      l.add(m("b.amount-number", x -> { setBody(x, bodyText(x).replaceAll("\"(amount|price|maxPrice|cost|hourlyPrice)\":\"[^\"]*\"", "\"$1\":1e400")); x.corrupted = true; }));
      for (String n : List.of("2147483648", "-2147483649", "9223372036854775808", "1.5", "1e10", "-0")) {
        l.add(m("b.int " + n, x -> { setBody(x, bodyText(x).replaceAll("\"(country|quantity|hours|requestsPerSecond|burst|stock|priority|channelsLimit|orderId|smsId|phone)\":\\d+", "\"$1\":" + n)); }));
      }
      for (String date : List.of("+1000000000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "2024-02-30T00:00:00Z", "0000-01-01T00:00:00Z", "2030-01-01")) {
        l.add(m("b.date " + date, x -> { setBody(x, bodyText(x).replaceAll("\"(until|from|to)\":\"[^\"]*\"", "\"$1\":\"" + date + "\"")); }));
      }
      // --- form bodies
      for (String form : List.of("a=%zz", "=1", "a=" + "x".repeat(1500), "api_key=%&action=getBalance", "%", "a&&&=&", "a=1&" + "b=2&".repeat(3000))) {
        l.add(m("f.form " + clip(form, 20), x -> { x.body = form.getBytes(StandardCharsets.ISO_8859_1); x.header("Content-Type", "application/x-www-form-urlencoded"); x.corrupted = true; }));
      }
      l.add(m("f.multipart-garbage", x -> { x.header("Content-Type", "multipart/form-data; boundary=XyZ"); x.body = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.png\"\r\n\r\nabc\r\n--Xy".getBytes(StandardCharsets.ISO_8859_1); x.corrupted = true; }));
      l.add(m("f.multipart-no-boundary", x -> { x.header("Content-Type", "multipart/form-data"); x.body = "--\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1); x.corrupted = true; }));
      // --- encodings
      l.add(m("e.gzip-garbage", x -> { x.header("Content-Encoding", "gzip"); x.body = new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 'g', 'a', 'r', 'b', 'a', 'g', 'e', 1, 2, 3}; x.corrupted = true; }));
      l.add(m("e.gzip-truncated", x -> { x.header("Content-Encoding", "gzip"); byte[] g = gzip(bodyText(x).getBytes(StandardCharsets.UTF_8)); x.body = java.util.Arrays.copyOf(g, g.length / 2); x.corrupted = true; }));
      l.add(m("e.gzip-valid", x -> { x.header("Content-Encoding", "gzip"); x.body = gzip(bodyText(x).getBytes(StandardCharsets.UTF_8)); }));
      l.add(m("e.deflate-garbage", x -> { x.header("Content-Encoding", "deflate"); x.body = new byte[] {0x78, (byte) 0x9c, 'n', 'o', 't', ' ', 'd', 'e', 'f', 'l', 'a', 't', 'e'}; x.corrupted = true; }));
      l.add(m("e.deflate-valid", x -> { x.header("Content-Encoding", "deflate"); x.body = deflate(bodyText(x).getBytes(StandardCharsets.UTF_8)); }));
      l.add(m("e.gzip-bomb", x -> { x.header("Content-Encoding", "gzip"); x.body = BOMB; x.corrupted = true; }));
      l.add(m("e.unknown", x -> { x.header("Content-Encoding", List.of("br", "zstd", "compress", "x-fuzz", "gzip, gzip").get(ThreadLocalRandom.current().nextInt(5))); x.corrupted = true; }));
      // --- headers
      l.add(m("h.no-host", x -> { x.hostless = true; x.corrupted = true; }));
      l.add(m("h.two-hosts", x -> { x.headers.add(new String[] {"Host", "evil.example:80"}); x.corrupted = true; }));
      l.add(m("h.empty-host", x -> { x.hostless = true; x.headers.add(0, new String[] {"Host", ""}); x.corrupted = true; }));
      l.add(m("h.continuation", x -> { x.hostless = true; x.headers.add(0, new String[] {"X-Folded", "a\r\n Host: 127.0.0.1"}); x.corrupted = true; }));
      l.add(m("h.continuation-host", x -> { x.hostless = true; x.headers.add(0, new String[] {"Host", "127.0.0.1\r\n  continued"}); x.corrupted = true; }));
      l.add(m("h.leading-space", x -> { x.headers.add(0, new String[] {" X-Space", "1"}); x.corrupted = true; }));
      l.add(m("h.nul", x -> { x.headers.add(new String[] {"X-Nul", "a\u0000b"}); x.corrupted = true; }));
      l.add(m("h.no-colon", x -> { x.headers.add(new String[] {"JustAName", null}); x.corrupted = true; }));
      l.add(m("h.huge", x -> { x.headers.add(new String[] {"X-Huge", "h".repeat(ThreadLocalRandom.current().nextBoolean() ? 9000 : 70000)}); x.corrupted = true; }));
      l.add(m("h.many", x -> { for (int i = 0; i < 1200; i++) x.headers.add(new String[] {"X-H" + i, "v"}); x.corrupted = true; }));
      l.add(m("h.content-length-bad", x -> { x.omitLength = true; x.headers.add(new String[] {"Content-Length", List.of("abc", "-1", "1.5", "99999999999999999999", "", "0x10").get(ThreadLocalRandom.current().nextInt(6))}); x.corrupted = true; }));
      l.add(m("h.content-length-twice", x -> { x.omitLength = true; int n = x.body == null ? 0 : x.body.length; x.headers.add(new String[] {"Content-Length", String.valueOf(n)}); x.headers.add(new String[] {"Content-Length", String.valueOf(n + 1)}); x.corrupted = true; }));
      l.add(m("h.content-length-short", x -> { x.omitLength = true; int n = x.body == null ? 0 : x.body.length; x.headers.add(new String[] {"Content-Length", String.valueOf(Math.max(0, n - 3))}); x.corrupted = true; }));
      l.add(m("h.cl-and-te", x -> { x.chunked = true; x.headers.add(new String[] {"Content-Length", "5"}); x.corrupted = true; }));
      l.add(m("h.te-weird", x -> { x.omitLength = true; x.headers.add(new String[] {"Transfer-Encoding", List.of("gzip", "chunked, identity", "xchunked", "identity").get(ThreadLocalRandom.current().nextInt(4))}); x.corrupted = true; }));
      l.add(m("h.content-type", x -> { x.header("Content-Type", List.of("application/json; charset=bogus", "text/plain", "application/xml", "application/json; charset=utf-16", "*/*", "", "application/x-www-form-urlencoded").get(ThreadLocalRandom.current().nextInt(7))); x.corrupted = true; }));
      l.add(m("h.no-content-type", x -> { x.headers.removeIf(h -> h[0].equalsIgnoreCase("Content-Type")); x.corrupted = true; }));
      l.add(m("h.idem-key", x -> { x.header("Idempotency-Key", List.of("k".repeat(5000), "a\u0001b", "", " ", "\u00ff\u00fe").get(ThreadLocalRandom.current().nextInt(5))); x.corrupted = true; }));
      l.add(m("h.expect", x -> { x.headers.add(new String[] {"Expect", ThreadLocalRandom.current().nextBoolean() ? "100-continue" : "999-fuzz"}); }));
      l.add(m("h.accept", x -> { x.headers.add(new String[] {"Accept", "text/event-stream;q=abc, */*;q=2"}); x.headers.add(new String[] {"Accept-Encoding", "gzip;q=-1, br"}); }));
      l.add(m("h.connection", x -> { x.headers.add(new String[] {"Connection", "Upgrade, HTTP2-Settings"}); x.headers.add(new String[] {"Upgrade", "h2c"}); x.headers.add(new String[] {"HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA"}); }));
      l.add(m("h.forwarded", x -> { x.headers.add(new String[] {"X-Forwarded-For", "1.2.3.4, %zz, ::1, " + "9".repeat(300)}); x.headers.add(new String[] {"Forwarded", "for=\"[::1\";proto=gopher"}); }));
      // --- authorization
      l.add(m("a.none", x -> { x.headers.removeIf(h -> h[0].equalsIgnoreCase("Authorization")); x.badAuth = true; x.corrupted = true; }));
      l.add(m("a.wrong", x -> { x.header("Authorization", List.of("Bearer nope", "Bearer " + fuzzer.key + "x", "Basic " + fuzzer.key, "Bearer", "Bearer  " + ADMIN.substring(1), "bearer " + ADMIN + "0", "Bearer " + fuzzer.key.substring(1)).get(ThreadLocalRandom.current().nextInt(7))); x.badAuth = true; x.corrupted = true; }));
      l.add(m("a.swapped", x -> { String auth = x.t.auth; if (auth.equals("customer")) { x.header("Authorization", "Bearer " + ADMIN); x.badAuth = true; x.corrupted = true; } else if (auth.equals("admin")) { x.header("Authorization", "Bearer " + fuzzer.key); x.badAuth = true; x.corrupted = true; } }));
      l.add(m("a.nul", x -> { x.header("Authorization", "Bearer " + fuzzer.key + "\u0000"); x.badAuth = true; x.corrupted = true; }));
      l.add(m("a.huge", x -> { x.header("Authorization", "Bearer " + "k".repeat(20000)); x.badAuth = true; x.corrupted = true; }));
      // --- chunked bodies
      for (String size : List.of("zz", "ffffffffffffffff", "-1", "1;ext=\"unterminated", "  5", "0x5", "10000000000")) {
        l.add(m("c.chunk-size " + size, x -> { x.chunked = true; x.chunkSize = size; if (x.body == null) x.body = "{}".getBytes(); x.corrupted = true; }));
      }
      l.add(m("c.valid", x -> { x.chunked = true; if (x.body == null) x.body = "{}".getBytes(); }));
      // --- request line
      for (String v : List.of("HTTP/1.2", "HTTP/2.0", "HTTP/3", "HTTP/9.9", "HTPT/1.1", "HTTP/1.1x", "http/1.1", "HTTP/01.1", "")) {
        l.add(m("r.version " + (v.isEmpty() ? "none" : v), x -> { x.version = v; x.corrupted = true; }));
      }
      for (String meth : List.of("FOO", "get", "PROPFIND", "TRACE", "CONNECT", "PATCH", "OPTIONS", "HEAD", "DELETE", "G\u0000T", "PUT")) {
        l.add(m("r.method " + meth.replace("\u0000", "\\0"), x -> { x.method = meth; x.corrupted = true; }));
      }
      l.add(m("r.long-uri", x -> { x.path = x.path + "/" + "u".repeat(ThreadLocalRandom.current().nextBoolean() ? 5000 : 100_000); x.corrupted = true; }));
      l.add(m("r.absolute-uri", x -> { x.path = "http://127.0.0.1:1" + x.path; x.corrupted = true; }));
      l.add(m("r.asterisk", x -> { x.method = "OPTIONS"; x.path = "*"; x.query = ""; x.corrupted = true; }));
      l.add(m("r.space-in-uri", x -> { x.path = x.path + " extra"; x.corrupted = true; }));
      l.add(m("r.lf-only", x -> { x.lineEnd = "\n"; }));
      l.add(m("r.cr-only", x -> { x.incomplete = true; x.lineEnd = "\r"; x.corrupted = true; }));
      l.add(m("r.nul-in-uri", x -> { x.path = x.path + "\u0000x"; x.corrupted = true; }));
      l.add(m("r.garbage", x -> { x.incomplete = true; byte[] g = new byte[ThreadLocalRandom.current().nextInt(1, 3000)]; ThreadLocalRandom.current().nextBytes(g); x.rawOverride = g; x.corrupted = true; }));
      l.add(m("r.tls-hello", x -> { x.incomplete = true; x.rawOverride = new byte[] {0x16, 3, 1, 0, (byte) 0xa5, 1, 0, 0, (byte) 0xa1, 3, 3, 1, 2, 3, 4, 5, 6, 7, 8}; x.corrupted = true; }));
      l.add(m("r.h2-preface", x -> { x.incomplete = true; x.rawOverride = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\4\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1); x.corrupted = true; }));
      return l;
    }
  }

  // ---------------------------------------------------------------- one exchange on a raw socket
  record RawResult(int status, String head) {}

  static RawResult exchange(int port, byte[] request, boolean streaming, int timeoutMs, boolean halfClose) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
      s.setSoTimeout(timeoutMs);
      OutputStream o = s.getOutputStream();
      boolean writeFailed = false;
      try {
        o.write(request);
        o.flush();
        if (halfClose) s.shutdownOutput(); // nothing more is coming: let the server see the end
      } catch (IOException e) {
        // the server may answer (413, 431) and close before reading everything: read what it said
        writeFailed = true;
      }
      InputStream in = s.getInputStream();
      try {
        RawResult rr = readAnswer(in, streaming);
        return writeFailed && rr.status == IO_DROPPED ? new RawResult(IO_CLOSED_SENDING, rr.head) : rr;
      } catch (ConnectException | java.net.SocketTimeoutException e) {
        throw e;
      } catch (IOException e) {
        if (writeFailed) return new RawResult(IO_CLOSED_SENDING, e.toString());
        throw e;
      }
    } catch (ConnectException e) {
      return new RawResult(IO_REFUSED, e.toString());
    } catch (java.net.SocketTimeoutException e) {
      return new RawResult(IO_TIMEOUT, e.toString());
    } catch (IOException e) {
      return new RawResult(IO_DROPPED, e.toString());
    }
  }

  static RawResult readAnswer(InputStream in, boolean streaming) throws IOException {
    {
      while (true) {
        String statusLine = readLine(in);
        if (statusLine == null) return new RawResult(IO_DROPPED, "");
        StringBuilder head = new StringBuilder(statusLine).append("\r\n");
        int status;
        try {
          status = Integer.parseInt(statusLine.split(" ")[1]);
        } catch (Exception e) {
          return new RawResult(IO_DROPPED, "unparsable status line: " + clip(statusLine, 100));
        }
        long length = -1;
        boolean chunked = false;
        boolean eventStream = false;
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
          head.append(line).append("\r\n");
          String lower = line.toLowerCase();
          if (lower.startsWith("content-length:")) {
            try {
              length = Long.parseLong(lower.substring(15).trim());
            } catch (NumberFormatException e) {
              length = -1;
            }
          }
          if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
          if (lower.startsWith("content-type:") && lower.contains("event-stream")) eventStream = true;
        }
        if (status == 100) continue;
        if (status == 101) return new RawResult(status, head.toString()); // upgraded (h2c): nothing more to read as HTTP/1
        if (eventStream || streaming && status == 200) return new RawResult(status, head.toString());
        byte[] body = new byte[0];
        try {
          if (length >= 0) body = in.readNBytes((int) Math.min(length, 1 << 20));
          else if (chunked) body = readChunked(in);
          else if (status != 204 && status != 304) {
            in = new java.io.BufferedInputStream(in);
            body = readUntilQuiet(in);
          }
        } catch (IOException | RuntimeException e) {
          // the answer's status is what we count
        }
        return new RawResult(status, head + new String(body, 0, Math.min(body.length, 400), StandardCharsets.UTF_8));
      }
    }
  }

  /** A body with neither a length nor chunks: whatever comes within a second (the status is what we count). */
  static byte[] readUntilQuiet(InputStream in) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    long deadline = System.currentTimeMillis() + 1000;
    try {
      byte[] buf = new byte[8192];
      while (System.currentTimeMillis() < deadline && b.size() < (1 << 16)) {
        if (in.available() == 0) {
          Thread.sleep(20);
          continue;
        }
        int n = in.read(buf);
        if (n < 0) break;
        b.write(buf, 0, n);
      }
    } catch (IOException | InterruptedException e) {
      // keep what we have
    }
    return b.toByteArray();
  }

  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') break;
      if (c != '\r') b.write(c);
      if (b.size() > 100_000) break;
    }
    if (c == -1 && b.size() == 0) return null;
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (true) {
      String size = readLine(in);
      if (size == null) break;
      int n = Integer.parseInt(size.split(";")[0].trim(), 16);
      if (n == 0) {
        readLine(in);
        break;
      }
      b.writeBytes(in.readNBytes(n));
      readLine(in);
      if (b.size() > 1 << 20) break;
    }
    return b.toByteArray();
  }
}
