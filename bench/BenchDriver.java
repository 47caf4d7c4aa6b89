import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * The load driver of bench/run.sh: a separate process that drives the running service over HTTP (and
 * reads PostgreSQL/Redis only to seed or to check outcomes), shows progress once a second, and writes
 * summary.json, timeseries.csv and chart.png into the result directory.
 *
 * <p>Run as a single-file source program against the service's fat jar (Vert.x, its HTTP client,
 * the PostgreSQL and Redis clients are all inside): {@code java -cp target/otp-orchestrator.jar
 * bench/BenchDriver.java <command> key=value...}. One event loop: the driver stays a small,
 * measurable share of the two cores it shares with the service.
 */
public class BenchDriver {
  static final List<String> SERVICES = List.of("tg", "wa", "go", "fb", "ig", "vk", "ok", "tw", "ds", "am", "mm", "oi", "lf", "dr", "ot");
  static final List<Integer> COUNTRIES = List.of(0, 1, 2, 3, 4, 6, 7, 10, 15, 16, 22, 36, 43, 52, 73, 78, 86, 187);

  final Map<String, String> opt = new HashMap<>();
  Vertx vertx;
  HttpClientAgent http;
  String host = "127.0.0.1";
  int port;
  String adminToken;
  Path dir;
  long pid;
  final JsonObject summary = new JsonObject();

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    BenchDriver d = new BenchDriver();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      d.opt.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    d.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    d.port = Integer.parseInt(d.opt.getOrDefault("port", "18080"));
    d.adminToken = d.opt.getOrDefault("admin", "bench-admin-token-0123456789");
    d.dir = Path.of(d.opt.getOrDefault("dir", "."));
    d.pid = Long.parseLong(d.opt.getOrDefault("pid", "0"));
    int conns = Integer.parseInt(d.opt.getOrDefault("connections", "64"));
    d.http = d.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDefaultHost(d.host).setDefaultPort(d.port)
        .setConnectTimeout(5000).setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(conns + 8).setMaxWaitQueueSize(-1));
    int code = 0;
    try {
      switch (args[0]) {
        case "setup" -> d.setup();
        case "load" -> d.load();
        case "expiry-burst" -> d.expiryBurst();
        case "steady" -> d.steady();
        case "overload" -> d.overload();
        case "live-million" -> d.liveMillion();
        case "pgbench-scripts" -> d.pgbenchScripts();
        default -> throw new IllegalArgumentException("unknown command " + args[0]);
      }
    } catch (Throwable e) {
      e.printStackTrace();
      code = 1;
    }
    d.vertx.close().await(10, TimeUnit.SECONDS);
    System.exit(code);
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP helpers

  record Reply(int status, Buffer body, long nanos) {
    JsonObject json() {
      return body == null || body.length() == 0 ? new JsonObject() : new JsonObject(body);
    }
  }

  Future<Reply> call(HttpMethod method, String path, String bearer, JsonObject body) {
    long start = System.nanoTime();
    RequestOptions ro = new RequestOptions().setMethod(method).setURI(path).setTimeout(30_000);
    if (bearer != null) ro.putHeader("Authorization", "Bearer " + bearer);
    if (body != null) ro.putHeader("Content-Type", "application/json");
    return http.request(ro).compose(req -> (body == null ? req.send() : req.send(body.toBuffer()))
        .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b, System.nanoTime() - start))));
  }

  Reply must(Future<Reply> f, int... ok) throws Exception {
    Reply r = f.await(60, TimeUnit.SECONDS);
    for (int s : ok) if (r.status == s) return r;
    throw new IllegalStateException("unexpected HTTP " + r.status + ": " + r.body);
  }

  String opt(String k, String d) {
    return opt.getOrDefault(k, d);
  }

  int intOpt(String k, int d) {
    return Integer.parseInt(opt.getOrDefault(k, String.valueOf(d)));
  }

  // ---------------------------------------------------------------------------------------------
  // setup: accounts through the admin API (the same path a real operator uses)

  void setup() throws Exception {
    int n = intOpt("accounts", 1000);
    String deposit = opt("deposit", "10000.00");
    String plan = opt("plan", "bulk");
    if (opt.containsKey("plan-rps")) {
      must(call(HttpMethod.PUT, "/admin/v1/plans/" + plan, adminToken,
          new JsonObject().put("requestsPerSecond", intOpt("plan-rps", 100000)).put("burst", intOpt("plan-burst", 1000000))), 200);
    }
    String run = Long.toString(System.currentTimeMillis(), 36);
    List<String> lines = new ArrayList<>(n);
    AtomicLong done = new AtomicLong();
    int parallel = 16;
    List<Future<Void>> workers = new ArrayList<>();
    AtomicLong next = new AtomicLong();
    String[] out = new String[n];
    Promise<Void> all = Promise.promise();
    vertx.runOnContext(v -> {
      for (int w = 0; w < parallel; w++) workers.add(setupWorker(next, n, run, deposit, plan, out, done));
      Future.all(workers).onComplete(r -> { if (r.succeeded()) all.complete(); else all.fail(r.cause()); });
    });
    all.future().await(30, TimeUnit.MINUTES);
    lines.addAll(Arrays.asList(out));
    Files.write(Path.of(opt("out", "keys.txt")), lines);
    System.err.printf("setup: %d accounts, %s USD each, plan %s%n", n, deposit, plan);
  }

  Future<Void> setupWorker(AtomicLong next, int n, String run, String deposit, String plan, String[] out, AtomicLong done) {
    long i = next.getAndIncrement();
    if (i >= n) return Future.succeededFuture();
    return call(HttpMethod.POST, "/admin/v1/accounts", adminToken, new JsonObject().put("name", "bench-" + run + "-" + i))
        .compose(r -> {
          if (r.status != 201) return Future.failedFuture("account: HTTP " + r.status + " " + r.body);
          JsonObject a = r.json();
          long id = a.getLong("id");
          out[(int) i] = id + " " + a.getString("apiKey");
          return call(HttpMethod.POST, "/admin/v1/accounts/" + id + "/deposits", adminToken,
              new JsonObject().put("amount", deposit).put("reference", "bench-" + run + "-" + i))
              .compose(d -> call(HttpMethod.PUT, "/admin/v1/accounts/" + id + "/plan", adminToken, new JsonObject().put("plan", plan)));
        })
        .compose(r -> {
          if (r.status != 200) return Future.failedFuture("plan: HTTP " + r.status + " " + r.body);
          long d = done.incrementAndGet();
          if (d % 200 == 0) System.err.printf("setup: %d/%d accounts%n", d, n);
          return setupWorker(next, n, run, deposit, plan, out, done);
        });
  }

  List<String[]> keys() throws Exception {
    List<String[]> keys = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(opt("keys", "keys.txt")))) if (!line.isBlank()) keys.add(line.split(" "));
    return keys;
  }

  // ---------------------------------------------------------------------------------------------
  // Recording: latencies per second of the run, errors by status, and a monitor of the service

  static final class LongList {
    long[] a = new long[1024];
    int n;

    void add(long v) {
      if (n == a.length) a = Arrays.copyOf(a, n * 2);
      a[n++] = v;
    }

    long[] sorted() {
      long[] s = Arrays.copyOf(a, n);
      Arrays.sort(s);
      return s;
    }
  }

  static double pct(long[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** One series of request latencies (micros), per second and overall, with counts by status. */
  final class Recorder {
    final String name;
    final long t0;
    final TreeMap<Integer, LongList> perSecond = new TreeMap<>();
    final TreeMap<Integer, long[]> errorsPerSecond = new TreeMap<>();
    final LongList all = new LongList();
    final TreeMap<String, Long> byStatus = new TreeMap<>();
    long ok, errors;

    Recorder(String name, long t0) {
      this.name = name;
      this.t0 = t0;
    }

    synchronized void record(int status, long nanos, boolean success) {
      int sec = (int) ((System.nanoTime() - t0) / 1_000_000_000L);
      byStatus.merge(String.valueOf(status), 1L, Long::sum);
      if (success) {
        ok++;
        all.add(nanos / 1000);
        perSecond.computeIfAbsent(sec, k -> new LongList()).add(nanos / 1000);
      } else {
        errors++;
        errorsPerSecond.computeIfAbsent(sec, k -> new long[1])[0]++;
      }
    }

    synchronized long okSoFar() {
      return ok;
    }

    synchronized JsonObject summary(double seconds) {
      long[] s = all.sorted();
      return new JsonObject().put("ok", ok).put("errors", errors).put("byStatus", new JsonObject(new LinkedHashMap<>(byStatus)))
          .put("throughputPerSecond", round(ok / seconds))
          .put("latencyMs", new JsonObject().put("p50", ms(pct(s, .5))).put("p90", ms(pct(s, .9)))
              .put("p99", ms(pct(s, .99))).put("max", ms(s.length == 0 ? Double.NaN : s[s.length - 1])));
    }

    synchronized double[] second(int sec) {
      LongList l = perSecond.get(sec);
      long[] s = l == null ? new long[0] : l.sorted();
      long[] e = errorsPerSecond.get(sec);
      return new double[] {s.length, e == null ? 0 : e[0], pct(s, .5) / 1000, pct(s, .9) / 1000, pct(s, .99) / 1000};
    }
  }

  static double ms(double micros) {
    return Double.isNaN(micros) ? -1 : Math.round(micros / 10.0) / 100.0;
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  /** CPU, RSS and heap of the service process, sampled once a second. */
  final class Monitor {
    final long t0 = System.nanoTime();
    long lastTicks = -1, lastNanos;
    final List<double[]> samples = new ArrayList<>(); // sec, cpu%, rssMB, heapMB
    double heapMb = -1;
    long firstTicks = -1, firstNanos;
    double maxRss, maxHeap;

    void sample() {
      long ticks = cpuTicks();
      long now = System.nanoTime();
      double cpu = lastTicks < 0 ? 0 : (ticks - lastTicks) * 100.0 / 100.0 / ((now - lastNanos) / 1e9) ;
      if (firstTicks < 0) { firstTicks = ticks; firstNanos = now; }
      lastTicks = ticks;
      lastNanos = now;
      double rss = rssMb();
      maxRss = Math.max(maxRss, rss);
      maxHeap = Math.max(maxHeap, heapMb);
      samples.add(new double[] {(now - t0) / 1e9, cpu, rss, heapMb});
      scrapeHeap();
    }

    double avgCpu() {
      return lastNanos == firstNanos ? 0 : (lastTicks - firstTicks) * 100.0 / 100.0 / ((lastNanos - firstNanos) / 1e9);
    }

    void scrapeHeap() {
      call(HttpMethod.GET, "/metrics", null, null).onSuccess(r -> {
        double sum = 0;
        for (String line : r.body.toString().split("\n")) {
          if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
            sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          }
        }
        heapMb = Math.round(sum / 1e5) / 10.0;
      });
    }

    JsonObject summary() {
      return new JsonObject().put("pid", pid).put("cpuPercentAvg", round(avgCpu())).put("rssMbMax", round(maxRss))
          .put("heapUsedMbMax", round(maxHeap)).put("cpuNote", "100 = one core; the machine has " + Runtime.getRuntime().availableProcessors());
    }
  }

  /**
   * CPU time of every process on the machine by kind (the service, the sandbox supplier when it runs apart,
   * PostgreSQL's processes, Redis, this driver, the rest) and the machine's busy and idle time, from /proc, to split what one operation costs the whole machine:
   * with the service, PostgreSQL, Redis and the driver on the same cores, the split says which of them bounds a figure.
   * A process that exits between two readings loses its share (the bench's pools are long-lived).
   */
  Map<String, Long> machineCpuTicks() {
    Map<String, Long> ticks = new TreeMap<>();
    long self = ProcessHandle.current().pid();
    long supplierPid = Long.parseLong(opt("supplier-pid", "0"));
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path proc : (Iterable<Path>) procs::iterator) {
        String name = proc.getFileName().toString();
        if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) continue;
        try {
          String stat = Files.readString(proc.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long p = Long.parseLong(name);
          String kind = p == pid ? "service" : p == self ? "driver" : p == supplierPid ? "supplier" : comm.startsWith("postgres") ? "postgresql"
              : comm.startsWith("redis") ? "redis" : "other";
          ticks.merge(kind, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
        } catch (Exception gone) {
          // the process ended while it was read
        }
      }
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+"); // cpu user nice system idle iowait ...
      long all = 0;
      for (int i = 1; i <= 8 && i < cpu.length; i++) all += Long.parseLong(cpu[i]);
      long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
      ticks.put("machineBusy", all - idle);
      ticks.put("machineIdle", idle);
    } catch (Exception e) {
      System.err.println("machine CPU not readable: " + e);
    }
    return ticks;
  }

  /** Milliseconds of CPU per operation of each kind between two {@link #machineCpuTicks()} readings (USER_HZ 100). */
  static JsonObject cpuMsPerOperation(Map<String, Long> before, Map<String, Long> after, long operations) {
    JsonObject out = new JsonObject();
    if (operations <= 0 || before.isEmpty() || after.isEmpty()) return out;
    for (String kind : List.of("service", "supplier", "postgresql", "redis", "driver", "other", "machineBusy", "machineIdle")) {
      long delta = after.getOrDefault(kind, 0L) - before.getOrDefault(kind, 0L);
      out.put(kind, Math.round(delta * 10.0 / operations * 1000) / 1000.0);
    }
    return out.put("operations", operations).put("note", "ms of CPU per operation; machineBusy is every process, "
        + "machineIdle the cores' idle time (" + Runtime.getRuntime().availableProcessors() + " cores)");
  }

  long cpuTicks() {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime, in USER_HZ (100)
    } catch (Exception e) {
      return 0;
    }
  }

  double rssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    } catch (Exception e) {
      // gone
    }
    return -1;
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "?";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // load: closed loop of `connections` purchases in flight (purchase: many accounts; bulk: one)

  void load() throws Exception {
    List<String[]> keys = keys();
    int conns = intOpt("connections", 64);
    int seconds = intOpt("seconds", 60);
    int warmup = intOpt("warmup", 0);
    String scenario = opt("scenario", "purchase");
    long t0 = System.nanoTime();
    Recorder rec = new Recorder("purchase", t0);
    Monitor mon = new Monitor();
    Map<String, Long> cpuAtStart = new java.util.concurrent.ConcurrentHashMap<>(warmup == 0 ? machineCpuTicks() : Map.of());
    Map<String, Long> cpuAtEnd = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicLong okAtStart = new AtomicLong(), okAtEnd = new AtomicLong();
    long end = t0 + (long) (warmup + seconds) * 1_000_000_000L;
    Promise<Void> finished = Promise.promise();
    AtomicLong running = new AtomicLong(conns);
    System.err.printf("load: %s, %d connections, %d s (+%d s warm-up not counted), %d accounts%n", scenario, conns, seconds,
        warmup, keys.size());
    vertx.runOnContext(v -> {
      mon.sample();
      vertx.setPeriodic(1000, id -> {
        mon.sample();
        int sec = (int) ((System.nanoTime() - t0) / 1_000_000_000L) - 1;
        double[] s = rec.second(sec);
        double[] m = mon.samples.get(mon.samples.size() - 1);
        // ticks can come late and skip a second: each reading is taken once, at the first tick at or past its second
        if (cpuAtStart.isEmpty() && sec + 1 >= warmup) {
          cpuAtStart.putAll(machineCpuTicks());
          okAtStart.set(rec.okSoFar());
        }
        if (cpuAtEnd.isEmpty() && sec + 1 >= warmup + seconds) {
          cpuAtEnd.putAll(machineCpuTicks());
          okAtEnd.set(rec.okSoFar());
        }
        System.err.printf("t=%3ds %6.0f ok/s %5.0f err/s  p50 %6.1f ms  p99 %6.1f ms | service cpu %4.0f%% rss %5.0f MB heap %5.0f MB | load %s%n",
            sec + 1, s[0], s[1], s[2], s[4], m[1], m[2], m[3], loadAverage().substring(0, 14));
        if (System.nanoTime() > end + 1_000_000_000L && running.get() == 0) vertx.cancelTimer(id);
      });
      for (int c = 0; c < conns; c++) loop(keys, rec, end, running, finished);
    });
    finished.future().await(seconds + warmup + 120, TimeUnit.SECONDS);
    if (cpuAtEnd.isEmpty()) { // the load ended before the tick of its last second: read the machine now
      cpuAtEnd.putAll(machineCpuTicks());
      okAtEnd.set(rec.okSoFar());
    }
    mon.sample();
    // Only the measured part (after the warm-up) counts in the summary.
    Recorder measured = new Recorder("purchase", t0);
    synchronized (rec) {
      for (var e : rec.perSecond.entrySet()) {
        if (e.getKey() < warmup || e.getKey() >= warmup + seconds) continue;
        for (int i = 0; i < e.getValue().n; i++) {
          measured.all.add(e.getValue().a[i]);
          measured.ok++;
        }
      }
      for (var e : rec.errorsPerSecond.entrySet()) if (e.getKey() >= warmup && e.getKey() < warmup + seconds) measured.errors += e.getValue()[0];
      measured.byStatus.putAll(rec.byStatus);
    }
    JsonObject result = measured.summary(seconds);
    // CPU per purchase is the figure that survives a busy machine: throughput falls with the CPU the
    // service gets, the work per purchase does not.
    // Measured part only (after the warm-up, when the JIT has done most of its work): sample k covers second k.
    double cpuSeconds = 0;
    for (int k = warmup + 1; k <= warmup + seconds && k < mon.samples.size(); k++) cpuSeconds += mon.samples.get(k)[1] / 100.0;
    long measuredOk = result.getLong("ok");
    result.put("serviceCpuMsPerPurchase", measuredOk == 0 ? -1 : Math.round(cpuSeconds * 1000 / measuredOk * 100) / 100.0);
    result.put("byStatusWholeRun", result.remove("byStatus"));
    result.put("machineCpuMsPerPurchase", cpuMsPerOperation(cpuAtStart, cpuAtEnd, okAtEnd.get() - okAtStart.get()));
    summary.put("scenario", scenario).put("seconds", seconds).put("warmupSeconds", warmup).put("connections", conns)
        .put("accounts", keys.size()).put("purchases", result).put("service", mon.summary());
    double ceiling = Double.parseDouble(opt("ceiling-tps", "0"));
    if (ceiling > 0) {
      summary.put("pgbenchCeilingTps", ceiling).put("ratioToCeiling", Math.round(result.getDouble("throughputPerSecond") / ceiling * 1000) / 1000.0);
    }
    writeSeries(rec, mon, warmup);
    finish();
  }

  void loop(List<String[]> keys, Recorder rec, long end, AtomicLong running, Promise<Void> finished) {
    if (System.nanoTime() >= end) {
      if (running.decrementAndGet() == 0) finished.complete();
      return;
    }
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    String[] key = keys.get(rnd.nextInt(keys.size()));
    JsonObject body = new JsonObject().put("service", SERVICES.get(rnd.nextInt(SERVICES.size())))
        .put("country", COUNTRIES.get(rnd.nextInt(COUNTRIES.size())));
    long start = System.nanoTime();
    call(HttpMethod.POST, "/v1/activations", key[1], body).onComplete(r -> {
      if (r.succeeded()) rec.record(r.result().status, r.result().nanos, r.result().status == 201);
      else rec.record(0, System.nanoTime() - start, false);
      loop(keys, rec, end, running, finished);
    });
  }

  void writeSeries(Recorder rec, Monitor mon, int skip) throws Exception {
    StringBuilder csv = new StringBuilder("second,ok_per_s,errors_per_s,p50_ms,p90_ms,p99_ms,service_cpu_pct,service_rss_mb\n");
    List<double[]> rows = new ArrayList<>();
    int last = Math.min(rec.perSecond.isEmpty() ? 0 : rec.perSecond.lastKey(), intOpt("warmup", 0) + intOpt("seconds", 60) - 1);
    for (int sec = 0; sec <= last; sec++) {
      double[] s = rec.second(sec);
      double[] m = sec + 1 < mon.samples.size() ? mon.samples.get(sec + 1) : new double[] {0, 0, 0, 0};
      rows.add(new double[] {sec + 1, s[0], s[1], s[2], s[3], s[4], m[1], m[2]});
      csv.append(String.format("%d,%.0f,%.0f,%.2f,%.2f,%.2f,%.0f,%.0f%n", sec + 1, s[0], s[1], s[2], s[3], s[4], m[1], m[2]));
    }
    Files.writeString(dir.resolve("timeseries.csv"), csv);
    chart(dir.resolve("chart.png"), opt("scenario", "purchase") + " (first " + skip + " s: warm-up)", rows,
        new String[] {"purchases ok/s", "errors/s"}, new int[] {1, 2}, "per second",
        new String[] {"p50 ms", "p90 ms", "p99 ms"}, new int[] {3, 4, 5}, "latency (ms)");
  }

  void finish() throws Exception {
    summary.put("loadAverage", loadAverage()).put("finishedAt", Instant.now().toString());
    Files.writeString(dir.resolve("driver.json"), summary.encodePrettily());
  }

  // ---------------------------------------------------------------------------------------------
  // Direct store access: seeding (expiry-burst, live-million) and outcome checks

  Pool pg() {
    return PgBuilder.pool().with(new io.vertx.sqlclient.PoolOptions().setMaxSize(2))
        .connectingTo(PgConnectOptions.fromUri(opt("database", "postgresql://postgres@127.0.0.1:5432/bench"))).using(vertx).build();
  }

  Redis redis() {
    return Redis.createClient(vertx, new io.vertx.redis.client.RedisOptions().setConnectionString(opt("redis", "redis://127.0.0.1:6379"))
        .setMaxPoolSize(2).setMaxPoolWaiting(10_000).setMaxWaitingHandlers(10_000));
  }

  /**
   * Creates `count` open (WAITING_CODE) orders over the given accounts, each with its hold in the
   * ledger and the wallet debited, exactly as a purchase leaves them, in one transaction; their
   * deadlines are `dueSql` + (row % spreadMs) ms. Then deletes the timer index's seeded markers so
   * the service's safety net re-seeds the index from PostgreSQL (the documented recovery path).
   */
  long[] seed(Pool pool, List<String[]> accounts, int count, String dueSql, int spreadMs) throws Exception {
    long price = 250_000;
    Long[] ids = accounts.stream().map(a -> Long.parseLong(a[0])).toArray(Long[]::new);
    String sql = """
        WITH acc AS (SELECT a, row_number() OVER () - 1 AS i FROM unnest($1::bigint[]) a),
        gen AS (
          SELECT nextval('order_ids') AS id, g, (SELECT a FROM acc WHERE i = g %% $2) AS account_id
            FROM generate_series(0, $3 - 1) g
        ), ins AS (
          INSERT INTO activations (id, account_id, service, country, provider_id, price, cost, state, phone,
                                   provider_activation_id, upstream_state, expires_at, cancellable_at)
          SELECT id, account_id, 'tg', 0, 'sandbox', $4, $4 * 6 / 10, 'WAITING_CODE', (79000000000 + g)::text,
                 (900000000 + id)::text, 'OPEN', %s + (g %% $5) * interval '1 millisecond', now()
            FROM gen
          RETURNING id, account_id
        ), entries AS (
          INSERT INTO ledger_entries (account_id, order_id, kind, balance_delta, held_delta)
          SELECT account_id, id, 'hold', -$4, $4 FROM ins
        ), debit AS (
          UPDATE wallets w SET balance = balance - t.n * $4, held = held + t.n * $4
            FROM (SELECT account_id, count(*) AS n FROM ins GROUP BY account_id) t WHERE w.account_id = t.account_id
        )
        SELECT min(id), max(id), count(*) FROM ins""".formatted(dueSql);
    long started = System.nanoTime();
    Row row = pool.preparedQuery(sql).execute(Tuple.of(ids, ids.length, count, price, Math.max(1, spreadMs)))
        .await(30, TimeUnit.MINUTES).iterator().next();
    System.err.printf("seed: %d open orders in %.1f s (ids %d..%d)%n", row.getLong(2), (System.nanoTime() - started) / 1e9,
        row.getLong(0), row.getLong(1));
    return new long[] {row.getLong(0), row.getLong(1)};
  }

  void dropSeededMarkers(Redis redis) throws Exception {
    String prefix = opt("prefix", "bench:");
    List<Future<?>> dels = new ArrayList<>();
    for (int s = 0; s < intOpt("shards", 64); s++) dels.add(redis.send(Request.cmd(Command.DEL).arg(prefix + "timer:{" + s + "}:seeded")));
    Future.all(dels).await(30, TimeUnit.SECONDS);
  }

  long timerIndexSize(Redis redis) throws Exception {
    String prefix = opt("prefix", "bench:");
    List<Future<io.vertx.redis.client.Response>> cards = new ArrayList<>();
    for (int s = 0; s < intOpt("shards", 64); s++) cards.add(redis.send(Request.cmd(Command.ZCARD).arg(prefix + "timer:{" + s + "}:due")));
    Future.all(cards).await(30, TimeUnit.SECONDS);
    return cards.stream().mapToLong(f -> f.result().toLong()).sum();
  }

  long timerIndexBytes(Redis redis) throws Exception {
    String prefix = opt("prefix", "bench:");
    List<Future<io.vertx.redis.client.Response>> sizes = new ArrayList<>();
    for (int s = 0; s < intOpt("shards", 64); s++) {
      for (String k : List.of("due", "leases", "claims", "seeded")) {
        sizes.add(redis.send(Request.cmd(Command.MEMORY).arg("USAGE").arg(prefix + "timer:{" + s + "}:" + k).arg("SAMPLES").arg("0")));
      }
    }
    Future.all(sizes).await(60, TimeUnit.SECONDS);
    return sizes.stream().mapToLong(f -> f.result() == null ? 0 : f.result().toLong()).sum();
  }

  long redisUsedMemory(Redis redis) throws Exception {
    String info = redis.send(Request.cmd(Command.INFO).arg("memory")).await(10, TimeUnit.SECONDS).toString();
    for (String line : info.split("\r?\n")) if (line.startsWith("used_memory:")) return Long.parseLong(line.substring(12).trim());
    return -1;
  }

  double metric(String name, String labelPart) throws Exception {
    Reply r = must(call(HttpMethod.GET, "/metrics", null, null), 200);
    double sum = 0;
    for (String line : r.body.toString().split("\n")) {
      if (line.startsWith(name) && (line.length() == name.length() || line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ')
          && (labelPart == null || line.contains(labelPart))) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  JsonObject invariants() throws Exception {
    return must(call(HttpMethod.GET, "/admin/v1/invariants", adminToken, null), 200).json();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // expiry-burst: N open orders due within the same second; time until every one is refunded once

  void expiryBurst() throws Exception {
    int n = intOpt("count", 200_000);
    int lead = intOpt("lead-seconds", 30);
    List<String[]> accounts = keys();
    Pool pool = pg();
    Redis redis = redis();
    if (intOpt("ceiling-workers", 4) > 0) summary.put("postgresqlCeiling", postgresqlExpiryCeiling(pool, accounts, n));
    if (intOpt("baseline-workers", 64) > 0) {
      summary.put("naiveBaseline", naiveExpiryBaseline(pool, accounts, intOpt("baseline-orders", n), lead));
    }
    double refundsBefore = metric("otp_refunds_total", "reason=\"expired\"");
    long[] range = seed(pool, accounts, n, "date_trunc('second', now()) + interval '" + lead + " seconds'", 1000);
    Row due = pool.preparedQuery("SELECT (extract(epoch FROM min(expires_at)) * 1000)::bigint, (extract(epoch FROM max(expires_at)) * 1000)::bigint FROM activations WHERE id BETWEEN $1 AND $2")
        .execute(Tuple.of(range[0], range[1])).await(60, TimeUnit.SECONDS).iterator().next();
    long dueFirst = due.getLong(0), dueLast = due.getLong(1);
    dropSeededMarkers(redis);
    System.err.printf("expiry-burst: %d orders due between %s and %s; index re-seed requested%n", n, Instant.ofEpochMilli(dueFirst),
        Instant.ofEpochMilli(dueLast));
    Monitor mon = new Monitor();
    List<double[]> rows = new ArrayList<>();
    long t0 = System.nanoTime();
    double last = refundsBefore;
    long indexed = 0;
    Map<String, Long> cpuAtDeadline = new HashMap<>();
    while (true) {
      sleep(1000);
      mon.sample();
      if (cpuAtDeadline.isEmpty() && System.currentTimeMillis() >= dueFirst) cpuAtDeadline.putAll(machineCpuTicks());
      double refunds = metric("otp_refunds_total", "reason=\"expired\"") - refundsBefore;
      if (System.currentTimeMillis() < dueFirst) indexed = timerIndexSize(redis);
      double t = (System.currentTimeMillis() - dueFirst) / 1000.0;
      double[] m = mon.samples.get(mon.samples.size() - 1);
      rows.add(new double[] {t, refunds - (last - refundsBefore), refunds * 100.0 / n, m[1]});
      last = refunds + refundsBefore;
      System.err.printf("t=%6.1fs (vs first deadline) refunded %7.0f/%d (%5.1f%%) index %d | service cpu %4.0f%% rss %5.0f MB | load %s%n", t,
          refunds, n, refunds * 100.0 / n, indexed, m[1], m[2], loadAverage().substring(0, 14));
      if (refunds >= n || System.nanoTime() - t0 > (lead + intOpt("timeout-seconds", 300)) * 1_000_000_000L) break;
    }
    Map<String, Long> cpuAtDrained = machineCpuTicks();
    Row r = pool.preparedQuery("""
        SELECT count(*) FILTER (WHERE a.state = 'EXPIRED'),
               (SELECT count(*) FROM ledger_entries l WHERE l.order_id BETWEEN $1 AND $2 AND l.kind = 'void'),
               (SELECT count(*) FROM (SELECT order_id FROM ledger_entries l WHERE l.order_id BETWEEN $1 AND $2
                                        AND l.kind IN ('void', 'capture') GROUP BY order_id HAVING count(*) > 1) x),
               (extract(epoch FROM max(a.closed_at)) * 1000)::bigint,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.closed_at - a.expires_at) * 1000),
               percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM a.closed_at - a.expires_at) * 1000),
               max(extract(epoch FROM a.closed_at - a.expires_at) * 1000)
          FROM activations a WHERE a.id BETWEEN $1 AND $2""").execute(Tuple.of(range[0], range[1])).await(120, TimeUnit.SECONDS)
        .iterator().next();
    long expired = r.getLong(0), voids = r.getLong(1), doubles = r.getLong(2);
    Long lastClosed = r.getLong(3);
    double drain = lastClosed == null ? -1 : (lastClosed - dueLast) / 1000.0;
    JsonObject inv = invariants();
    summary.put("scenario", "expiry-burst").put("orders", n).put("accounts", accounts.size())
        .put("seeding", "direct SQL: WAITING_CODE orders with their holds (ledger + wallet), deadlines spread over one second; "
            + "the timer index then re-seeded by the service from PostgreSQL")
        .put("expired", expired).put("voidEntries", voids).put("ordersResolvedTwice", doubles)
        .put("allRefundedExactlyOnce", expired == n && voids == n && doubles == 0)
        .put("secondsFromLastDeadlineToLastRefund", drain)
        .put("latenessMs", new JsonObject().put("p50", round(r.getDouble(4))).put("p99", round(r.getDouble(5))).put("max", round(r.getDouble(6))))
        .put("indexedBeforeDeadline", indexed)
        .put("machineCpuMsPerRefund", cpuMsPerOperation(cpuAtDeadline, cpuAtDrained, expired))
        .put("invariants", inv).put("service", mon.summary());
    JsonObject naive = summary.getJsonObject("naiveBaseline");
    if (naive != null && lastClosed != null) {
      double serviceRate = n / Math.max(0.001, (lastClosed - dueFirst) / 1000.0);
      summary.put("refundsPerSecondFromFirstDeadline", round(serviceRate))
          .put("ratioToNaiveBaseline", round(serviceRate / Math.max(0.001, naive.getDouble("refundsPerSecondFromFirstDeadline"))));
    }
    Files.writeString(dir.resolve("timeseries.csv"), csvOf("seconds_after_first_deadline,refunds_per_s,refunded_pct,service_cpu_pct", rows));
    chart(dir.resolve("chart.png"), "expiry-burst: " + n + " due in one second", rows, new String[] {"refunds/s"}, new int[] {1},
        "per second", new String[] {"refunded %", "service CPU %"}, new int[] {2, 3}, "percent");
    finish();
  }

  /**
   * PostgreSQL's own ceiling for the burst, on the same data in the same run: `count` more open orders seeded the same
   * way but already due, refunded with nothing but the engine's own transaction (LOCK_DUE, then EXPIRE_LOCKED, which
   * locks the wallets last) over batches of `ceiling-batch` (2,000, the engine's largest) ids from `ceiling-workers` (4, where
   * the engine's internal lane starts) connections, as fast as PostgreSQL answers: no HTTP, no Redis, no timer index,
   * no supplier. The time it takes is what the engine could at best reach on this machine. Its orders are then marked
   * closed with the supplier, so the service has nothing of theirs to do.
   */
  JsonObject postgresqlExpiryCeiling(Pool pool, List<String[]> accounts, int n) throws Exception {
    int workers = intOpt("ceiling-workers", 4);
    int batch = intOpt("ceiling-batch", 2000);
    long[] range = seed(pool, accounts, n, "date_trunc('second', now()) - interval '2 seconds'", 1000);
    String lockDue = constant(Class.forName("com.otporchestrator.activation.ActivationSql"), "LOCK_DUE");
    String expire = constant(Class.forName("com.otporchestrator.activation.ActivationSql"), "EXPIRE_LOCKED");
    Pool workersPool = PgBuilder.pool().with(new io.vertx.sqlclient.PoolOptions().setMaxSize(workers))
        .connectingTo(PgConnectOptions.fromUri(opt("database", "postgresql://postgres@127.0.0.1:5432/bench"))).using(vertx).build();
    System.err.printf("postgresql ceiling: %d due orders, batches of %d ids, %d connections, the engine's statements only%n", n, batch, workers);
    AtomicLong nextFrom = new AtomicLong(range[0]);
    AtomicLong done = new AtomicLong();
    AtomicLong running = new AtomicLong(workers);
    Promise<Void> finished = Promise.promise();
    Map<String, Long> cpuBefore = machineCpuTicks();
    long t0 = System.nanoTime();
    AtomicLong endNanos = new AtomicLong();
    finished.future().onComplete(v -> endNanos.set(System.nanoTime()));
    vertx.runOnContext(v -> {
      for (int w = 0; w < workers; w++) ceilingWorker(workersPool, lockDue, expire, nextFrom, range[1], batch, done, running, finished);
    });
    for (int tick = 1; !finished.future().isComplete(); tick++) {
      sleep(50);
      if (tick % 20 == 0) {
        System.err.printf("ceiling t=%6.1fs refunded %7d/%d | load %s%n", (System.nanoTime() - t0) / 1e9, done.get(), n,
            loadAverage().substring(0, 14));
      }
      if (System.nanoTime() - t0 > intOpt("timeout-seconds", 300) * 1_000_000_000L) break;
    }
    double seconds = ((endNanos.get() == 0 ? System.nanoTime() : endNanos.get()) - t0) / 1e9;
    Map<String, Long> cpuAfter = machineCpuTicks();
    if (finished.future().failed()) throw new IllegalStateException("the ceiling run failed", finished.future().cause());
    long expired = pool.preparedQuery("SELECT count(*) FROM activations WHERE id BETWEEN $1 AND $2 AND state = 'EXPIRED'")
        .execute(Tuple.of(range[0], range[1])).await(60, TimeUnit.SECONDS).iterator().next().getLong(0);
    pool.preparedQuery("UPDATE activations SET upstream_state = 'CLOSED', upstream_next_at = NULL WHERE id BETWEEN $1 AND $2")
        .execute(Tuple.of(range[0], range[1])).await(300, TimeUnit.SECONDS);
    workersPool.close();
    JsonObject out = new JsonObject().put("orders", n).put("expired", expired).put("batch", batch).put("connections", workers)
        .put("seconds", Math.round(seconds * 1000) / 1000.0).put("refundsPerSecond", round(expired / Math.max(0.001, seconds)))
        .put("machineCpuMsPerRefund", cpuMsPerOperation(cpuBefore, cpuAfter, expired)).put("loadAverageAtEnd", loadAverage());
    System.err.println("postgresql ceiling: " + out.encode());
    return out;
  }

  /** One connection of the ceiling run: the next `batch` ids of the range, the engine's expiry transaction, repeat. */
  void ceilingWorker(Pool pool, String lockDue, String expire, AtomicLong nextFrom, long last, int batch,
                     AtomicLong done, AtomicLong running, Promise<Void> finished) {
    long from = nextFrom.getAndAdd(batch);
    if (from > last) {
      if (running.decrementAndGet() == 0) finished.tryComplete();
      return;
    }
    Long[] ids = new Long[(int) Math.min(batch, last - from + 1)];
    for (int i = 0; i < ids.length; i++) ids[i] = from + i;
    pool.withTransaction(conn -> conn.preparedQuery(lockDue).execute(Tuple.of((Object) ids)).compose(due -> {
      if (due.size() == 0) return Future.succeededFuture(0);
      Long[] dueIds = new Long[due.size()];
      int i = 0;
      for (Row row : due) dueIds[i++] = row.getLong("id");
      return conn.preparedQuery(expire).execute(Tuple.of((Object) dueIds)).map(closed -> closed.size());
    })).onComplete(result -> {
      if (result.failed()) {
        finished.tryFail(result.cause());
        return;
      }
      done.addAndGet(result.result());
      ceilingWorker(pool, lockDue, expire, nextFrom, last, batch, done, running, finished);
    });
  }

  /**
   * The naive baseline, on the same data in the same run: `count` (or `baseline-orders`, fewer: the job queue's rate does
   * not grow with the backlog, and at about 240 refunds/s 200,000 orders would take a quarter of an hour) more open
   * orders seeded the same way (same accounts,
   * price and one-second spread of deadlines), kept out of the service's timer index, and refunded the way a job
   * queue would do it: `baseline-workers` (64) workers, each taking one due order at a time (SELECT ... FOR UPDATE
   * SKIP LOCKED, polling every 50 ms while nothing is due) and refunding it in its own transaction with the service's
   * own statement (EXPIRE_LOCKED for that one id, which locks its wallet). Its orders are then marked closed with the
   * supplier, so the service has nothing of theirs to do. Runs before the service's burst (the service's sweep grace
   * is set past the baseline by bench/run.sh).
   */
  JsonObject naiveExpiryBaseline(Pool pool, List<String[]> accounts, int n, int lead) throws Exception {
    int workers = intOpt("baseline-workers", 64);
    long[] range = seed(pool, accounts, n, "date_trunc('second', now()) + interval '" + lead + " seconds'", 1000);
    Row due = pool.preparedQuery("SELECT (extract(epoch FROM min(expires_at)) * 1000)::bigint, (extract(epoch FROM max(expires_at)) * 1000)::bigint FROM activations WHERE id BETWEEN $1 AND $2")
        .execute(Tuple.of(range[0], range[1])).await(60, TimeUnit.SECONDS).iterator().next();
    long dueFirst = due.getLong(0), dueLast = due.getLong(1);
    String pick = """
        SELECT id, account_id FROM activations
         WHERE id BETWEEN $1 AND $2 AND state = 'WAITING_CODE' AND expires_at <= now()
         ORDER BY expires_at LIMIT 1 FOR UPDATE SKIP LOCKED""";
    String expire = constant(Class.forName("com.otporchestrator.activation.ActivationSql"), "EXPIRE_LOCKED");
    Pool workersPool = PgBuilder.pool().with(new io.vertx.sqlclient.PoolOptions().setMaxSize(workers))
        .connectingTo(PgConnectOptions.fromUri(opt("database", "postgresql://postgres@127.0.0.1:5432/bench"))).using(vertx).build();
    System.err.printf("naive baseline: %d orders due between %s and %s, %d workers, one transaction per order%n", n,
        Instant.ofEpochMilli(dueFirst), Instant.ofEpochMilli(dueLast), workers);
    AtomicLong done = new AtomicLong();
    Promise<Void> finished = Promise.promise();
    Monitor mon = new Monitor();
    vertx.runOnContext(v -> {
      for (int w = 0; w < workers; w++) {
        vertx.setTimer(Math.max(1, dueFirst - System.currentTimeMillis()), t -> naiveWorker(workersPool, pick, expire,
            range, n, done, finished));
      }
    });
    long t0 = System.nanoTime();
    while (!finished.future().isComplete()) {
      sleep(1000);
      mon.sample();
      double[] m = mon.samples.get(mon.samples.size() - 1);
      System.err.printf("naive t=%6.1fs (vs first deadline) refunded %7d/%d | load %s%n", (System.currentTimeMillis() - dueFirst) / 1000.0,
          done.get(), n, loadAverage().substring(0, 14));
      if (System.nanoTime() - t0 > (lead + intOpt("timeout-seconds", 300) * 3L) * 1_000_000_000L) break;
    }
    Row r = pool.preparedQuery("""
        SELECT count(*) FILTER (WHERE a.state = 'EXPIRED'),
               (extract(epoch FROM max(a.closed_at)) * 1000)::bigint,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.closed_at - a.expires_at) * 1000),
               percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM a.closed_at - a.expires_at) * 1000),
               max(extract(epoch FROM a.closed_at - a.expires_at) * 1000)
          FROM activations a WHERE a.id BETWEEN $1 AND $2""").execute(Tuple.of(range[0], range[1])).await(120, TimeUnit.SECONDS)
        .iterator().next();
    pool.preparedQuery("UPDATE activations SET upstream_state = 'CLOSED', upstream_next_at = NULL WHERE id BETWEEN $1 AND $2")
        .execute(Tuple.of(range[0], range[1])).await(300, TimeUnit.SECONDS);
    workersPool.close();
    long lastClosed = r.getLong(1) == null ? dueLast : r.getLong(1);
    JsonObject out = new JsonObject().put("orders", n).put("workers", workers).put("expired", r.getLong(0))
        .put("secondsFromLastDeadlineToLastRefund", (lastClosed - dueLast) / 1000.0)
        .put("refundsPerSecondFromFirstDeadline", round(r.getLong(0) / Math.max(0.001, (lastClosed - dueFirst) / 1000.0)))
        .put("latenessMs", new JsonObject().put("p50", round(r.getDouble(2))).put("p99", round(r.getDouble(3))).put("max", round(r.getDouble(4))))
        .put("loadAverageAtEnd", loadAverage());
    System.err.println("naive baseline: " + out.encode());
    return out;
  }

  /** One job-queue worker: take one due order, refund it in its own transaction, repeat; poll while nothing is due. */
  void naiveWorker(Pool pool, String pick, String expire, long[] range, int n, AtomicLong done,
                   Promise<Void> finished) {
    if (finished.future().isComplete()) return;
    pool.withTransaction(conn -> conn.preparedQuery(pick).execute(Tuple.of(range[0], range[1])).compose(rows -> {
      if (rows.size() == 0) return Future.succeededFuture(false);
      Row row = rows.iterator().next();
      return conn.preparedQuery(expire).execute(Tuple.of((Object) new Long[] {row.getLong("id")})).map(true);
    })).onComplete(result -> {
      if (result.succeeded() && result.result()) {
        if (done.incrementAndGet() >= n) finished.tryComplete();
        naiveWorker(pool, pick, expire, range, n, done, finished);
      } else {
        vertx.setTimer(50, t -> naiveWorker(pool, pick, expire, range, n, done, finished));
      }
    });
  }

  static String csvOf(String header, List<double[]> rows) {
    StringBuilder sb = new StringBuilder(header).append('\n');
    for (double[] row : rows) {
      for (int i = 0; i < row.length; i++) sb.append(i == 0 ? "" : ",").append(String.format("%.2f", row[i]));
      sb.append('\n');
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // steady: batch purchases at a fixed rate with a short window, single purchases, cancels, SMS
  // (the sandbox pushes a code to a share of the numbers); expiries follow at the purchase rate.

  // ---------------------------------------------------------------------------------------------
  // overload: single purchases offered open-loop at `rate`/s (several times what one node serves), their
  // windows ending `window-seconds` later, so expiries fall due while the overload lasts. Figures: admitted
  // throughput, rejected share (503 with Retry-After), p99 of admitted purchases, client timeouts, and the
  // lateness of the expiries whose deadline fell inside the overload.

  void overload() throws Exception {
    List<String[]> keys = keys();
    int rate = intOpt("rate", 2000);
    int seconds = intOpt("seconds", 60);
    int warmup = intOpt("warmup", 10);
    int window = intOpt("window-seconds", 10);
    int ticksPerSecond = 20;
    long t0 = System.nanoTime();
    Recorder rec = new Recorder("purchase", t0);
    Monitor mon = new Monitor();
    AtomicLong offered = new AtomicLong(), rejected = new AtomicLong(), timeouts = new AtomicLong(), other = new AtomicLong();
    long loadStartMs = System.currentTimeMillis() + warmup * 1000L;
    long end = t0 + (long) (warmup + seconds) * 1_000_000_000L;
    Promise<Void> done = Promise.promise();
    System.err.printf("overload: %d purchases/s offered open-loop for %d s (+%d s warm-up), windows of %d s%n", rate, seconds, warmup, window);
    vertx.runOnContext(v -> {
      mon.sample();
      vertx.setPeriodic(1000 / ticksPerSecond, id -> {
        if (System.nanoTime() >= end) {
          vertx.cancelTimer(id);
          vertx.setTimer(35_000, x -> done.complete()); // the client timeout is 30 s
          return;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        boolean measured = System.nanoTime() >= t0 + warmup * 1_000_000_000L;
        for (int i = 0; i < rate / ticksPerSecond; i++) {
          String[] key = keys.get(rnd.nextInt(keys.size()));
          if (measured) offered.incrementAndGet();
          call(HttpMethod.POST, "/v1/activations", key[1], new JsonObject().put("service", SERVICES.get(rnd.nextInt(SERVICES.size())))
              .put("country", COUNTRIES.get(rnd.nextInt(COUNTRIES.size())))).onComplete(r -> {
                if (r.failed()) {
                  rec.record(0, 0, false);
                  if (measured) timeouts.incrementAndGet();
                  return;
                }
                int status = r.result().status;
                rec.record(status, r.result().nanos, status == 201);
                if (!measured) return;
                if (status == 503 || status == 429) rejected.incrementAndGet();
                else if (status != 201) other.incrementAndGet();
              });
        }
      });
      vertx.setPeriodic(1000, id -> {
        mon.sample();
        int sec = (int) ((System.nanoTime() - t0) / 1_000_000_000L) - 1;
        double[] s = rec.second(sec);
        double[] m = mon.samples.get(mon.samples.size() - 1);
        System.err.printf("t=%3ds admitted %5.0f/s refused+errors %5.0f/s p99 %7.1f ms | cpu %4.0f%% | load %s%n",
            sec + 1, s[0], s[1], s[4], m[1], loadAverage().substring(0, 14));
        if (done.future().isComplete()) vertx.cancelTimer(id);
      });
    });
    done.future().await(warmup + seconds + 120, TimeUnit.SECONDS);
    System.err.printf("overload: offers stopped; waiting %d s for the last windows to end%n", window + 5);
    sleep((window + 5) * 1000L);
    mon.sample();
    Recorder measuredRec = new Recorder("purchase", t0);
    synchronized (rec) {
      for (var e : rec.perSecond.entrySet()) {
        if (e.getKey() < warmup || e.getKey() >= warmup + seconds) continue;
        for (int i = 0; i < e.getValue().n; i++) {
          measuredRec.all.add(e.getValue().a[i]);
          measuredRec.ok++;
        }
      }
      measuredRec.byStatus.putAll(rec.byStatus);
    }
    JsonObject admitted = measuredRec.summary(seconds);
    double cpuSeconds = 0;
    for (int k = warmup + 1; k <= warmup + seconds && k < mon.samples.size(); k++) cpuSeconds += mon.samples.get(k)[1] / 100.0;
    // expiries whose deadline fell inside the overload (from one window after it began until it ended)
    Pool pool = pg();
    java.time.OffsetDateTime from = Instant.ofEpochMilli(loadStartMs + window * 1000L).atOffset(java.time.ZoneOffset.UTC);
    java.time.OffsetDateTime to = Instant.ofEpochMilli(loadStartMs + seconds * 1000L).atOffset(java.time.ZoneOffset.UTC);
    Row r = pool.preparedQuery("""
        SELECT count(*),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - expires_at) * 1000),
               percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - expires_at) * 1000),
               max(extract(epoch FROM closed_at - expires_at) * 1000)
          FROM activations WHERE expires_at >= $1 AND expires_at < $2 AND state IN ('EXPIRED', 'FINISHED')
           AND close_reason IN ('no code within the window', 'window ended after a code')""")
        .execute(Tuple.of(from, to)).await(120, TimeUnit.SECONDS).iterator().next();
    long open = pool.preparedQuery("SELECT count(*) FROM activations WHERE closed_at IS NULL AND expires_at < now()")
        .execute().await(60, TimeUnit.SECONDS).iterator().next().getLong(0);
    long off = offered.get();
    summary.put("scenario", "overload").put("offeredPerSecond", rate).put("seconds", seconds).put("warmupSeconds", warmup)
        .put("accounts", keys.size())
        .put("admittedPerSecond", admitted.getDouble("throughputPerSecond"))
        .put("rejectedShare", off == 0 ? 0 : Math.round(rejected.get() * 10_000.0 / off) / 10_000.0)
        .put("offered", off).put("rejected", rejected.get()).put("clientTimeoutsOrErrors", timeouts.get()).put("otherAnswers", other.get())
        .put("admittedLatencyMs", admitted.getJsonObject("latencyMs"))
        .put("serviceCpuMsPerAdmittedPurchase", admitted.getLong("ok") == 0 ? -1 : Math.round(cpuSeconds * 1000 / admitted.getLong("ok") * 100) / 100.0)
        .put("expiriesDuringOverload", new JsonObject().put("count", r.getLong(0)).put("latenessP50Ms", r.getValue(1))
            .put("latenessP99Ms", r.getValue(2)).put("latenessMaxMs", r.getValue(3)).put("overdueStillOpen", open))
        .put("byStatusWholeRun", new JsonObject(new LinkedHashMap<>(rec.byStatus)))
        .put("service", mon.summary());
    System.err.println(summary.encodePrettily());
    writeSeries(rec, mon, warmup);
    finish();
  }

  void steady() throws Exception {
    List<String[]> keys = keys();
    int rate = intOpt("rate", 2000);
    int seconds = intOpt("seconds", 60);
    int window = intOpt("window-seconds", 10);
    int cancelDelay = intOpt("cancel-delay-seconds", 2);
    double cancelShare = Double.parseDouble(opt("cancel-share", "0.1"));
    int ticksPerSecond = 10;
    int seededRate = intOpt("seeded-expiries-per-second", 0);
    long seeded = seededRate > 0 ? seedSteadyExpiries(keys, seededRate, seconds, window) : 0;
    long t0 = System.nanoTime();
    Recorder batchRec = new Recorder("batch", t0);
    Recorder singleRec = new Recorder("single", t0);
    Recorder cancelRec = new Recorder("cancel", t0);
    Monitor mon = new Monitor();
    AtomicLong created = new AtomicLong(), shortfall = new AtomicLong(), cancelConflicts = new AtomicLong();
    long startMs = System.currentTimeMillis();
    long end = t0 + seconds * 1_000_000_000L;
    Promise<Void> done = Promise.promise();
    System.err.printf("steady: %d purchases/s (window %d s, so as many expiries/s) and %d seeded expiries/s, %.0f%% cancelled after %d s, for %d s%n",
        rate, window, seededRate, cancelShare * 100, cancelDelay, seconds);
    vertx.runOnContext(v -> {
      mon.sample();
      long[] tick = {0};
      vertx.setPeriodic(1000 / ticksPerSecond, id -> {
        if (System.nanoTime() >= end) {
          vertx.cancelTimer(id);
          vertx.setTimer(3000, x -> done.complete());
          return;
        }
        long k = tick[0]++;
        int units = rate / ticksPerSecond;
        // 95% through the batch endpoint (items of up to 50 units over random services/countries), 5% single purchases
        int singles = Math.max(0, units / 20);
        int batched = units - singles;
        String[] key = keys.get((int) (k % keys.size()));
        JsonArray items = new JsonArray();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int left = batched; left > 0; left -= 50) {
          items.add(new JsonObject().put("service", SERVICES.get(rnd.nextInt(SERVICES.size())))
              .put("country", COUNTRIES.get(rnd.nextInt(COUNTRIES.size()))).put("quantity", Math.min(50, left)));
        }
        if (batched > 0) {
          call(HttpMethod.POST, "/v1/activations/batch", key[1], new JsonObject().put("items", items)).onComplete(r -> {
            if (r.failed()) { batchRec.record(0, 0, false); return; }
            Reply reply = r.result();
            batchRec.record(reply.status, reply.nanos, reply.status == 201);
            if (reply.status != 201) return;
            JsonObject body = reply.json();
            int got = body.getInteger("allocated", 0);
            created.addAndGet(got);
            shortfall.addAndGet(batched - got);
            for (Object item : body.getJsonArray("items")) {
              for (Object a : ((JsonObject) item).getJsonArray("activations")) scheduleCancel((JsonObject) a, key[1], cancelShare, cancelDelay, cancelRec, cancelConflicts);
            }
          });
        }
        for (int s = 0; s < singles; s++) {
          String[] sk = keys.get(rnd.nextInt(keys.size()));
          call(HttpMethod.POST, "/v1/activations", sk[1], new JsonObject().put("service", SERVICES.get(rnd.nextInt(SERVICES.size())))
              .put("country", COUNTRIES.get(rnd.nextInt(COUNTRIES.size())))).onComplete(r -> {
                if (r.failed()) { singleRec.record(0, 0, false); return; }
                singleRec.record(r.result().status, r.result().nanos, r.result().status == 201);
                if (r.result().status == 201) {
                  created.incrementAndGet();
                  scheduleCancel(r.result().json(), sk[1], cancelShare, cancelDelay, cancelRec, cancelConflicts);
                } else {
                  shortfall.incrementAndGet();
                }
              });
        }
      });
      vertx.setPeriodic(1000, id -> {
        mon.sample();
        int sec = (int) ((System.nanoTime() - t0) / 1_000_000_000L) - 1;
        double[] b = batchRec.second(sec), s = singleRec.second(sec), c = cancelRec.second(sec);
        double[] m = mon.samples.get(mon.samples.size() - 1);
        System.err.printf("t=%3ds created %7d | batch p99 %6.1f ms, single p99 %6.1f ms, cancels %4.0f/s p99 %6.1f ms | cpu %4.0f%% rss %5.0f MB | load %s%n",
            sec + 1, created.get(), b[4], s[4], c[0], c[4], m[1], m[2], loadAverage().substring(0, 14));
        if (done.future().isComplete()) vertx.cancelTimer(id);
      });
    });
    done.future().await(seconds + 60, TimeUnit.SECONDS);
    System.err.printf("steady: purchases stopped; waiting %d s for the last windows to end%n", window + 5);
    sleep((window + 5) * 1000L);
    mon.sample();
    Pool pool = pg();
    java.time.OffsetDateTime since = Instant.ofEpochMilli(startMs).atOffset(java.time.ZoneOffset.UTC);
    Row r = pool.preparedQuery("""
        SELECT count(*),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - expires_at) * 1000),
               percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - expires_at) * 1000),
               max(extract(epoch FROM closed_at - expires_at) * 1000),
               count(*) FILTER (WHERE closed_at IS NULL)
          FROM activations WHERE expires_at >= $1 AND state IN ('EXPIRED', 'FINISHED')
           AND close_reason IN ('no code within the window', 'window ended after a code')""")
        .execute(Tuple.of(since)).await(120, TimeUnit.SECONDS).iterator().next();
    // The same after the warm-up: deadlines from `warmup` seconds after the first window ended (the
    // JIT is cold at first and a backlog built then drains over the following seconds).
    int warmup = intOpt("warmup", 10);
    java.time.OffsetDateTime warm = since.plusSeconds(window + warmup);
    Row w = pool.preparedQuery("""
        SELECT count(*),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - expires_at) * 1000),
               percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - expires_at) * 1000),
               max(extract(epoch FROM closed_at - expires_at) * 1000)
          FROM activations WHERE expires_at >= $1 AND expires_at >= $2 AND state IN ('EXPIRED', 'FINISHED')
           AND close_reason IN ('no code within the window', 'window ended after a code')""")
        .execute(Tuple.of(since, warm)).await(120, TimeUnit.SECONDS).iterator().next();
    JsonObject states = new JsonObject();
    pool.preparedQuery("SELECT state, count(*) FROM activations WHERE created_at >= $1 OR expires_at >= $1 GROUP BY state")
        .execute(Tuple.of(since)).await(60, TimeUnit.SECONDS).forEach(row -> states.put(row.getString(0), row.getLong(1)));
    // lateness per second of deadline, for the chart
    List<double[]> rows = new ArrayList<>();
    pool.preparedQuery("""
        SELECT floor(extract(epoch FROM expires_at) - extract(epoch FROM $1::timestamptz)) AS sec, count(*),
               percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - expires_at) * 1000),
               max(extract(epoch FROM closed_at - expires_at) * 1000)
          FROM activations WHERE expires_at >= $1 AND state IN ('EXPIRED', 'FINISHED')
           AND close_reason IN ('no code within the window', 'window ended after a code')
         GROUP BY 1 ORDER BY 1""").execute(Tuple.of(since)).await(60, TimeUnit.SECONDS)
        .forEach(row -> rows.add(new double[] {row.getDouble(0), row.getLong(1), row.getDouble(2), row.getDouble(3)}));
    JsonObject inv = invariants();
    summary.put("scenario", "steady").put("seconds", seconds).put("targetRatePerSecond", rate).put("windowSeconds", window)
        .put("accounts", keys.size()).put("created", created.get()).put("notCreated", shortfall.get())
        .put("seededExpiriesPerSecond", seededRate).put("seededExpiries", seeded)
        .put("createdPerSecond", round(created.get() / (double) seconds))
        .put("orderStates", states)
        .put("expiriesAndWindowEnds", r.getLong(0))
        .put("expiryLatenessMs", new JsonObject().put("p50", round(r.getDouble(1))).put("p99", round(r.getDouble(2))).put("max", round(r.getDouble(3))))
        .put("expiryLatenessMsAfterWarmup", new JsonObject().put("warmupSeconds", warmup).put("count", w.getLong(0))
            .put("p50", round(w.getDouble(1) == null ? -1 : w.getDouble(1))).put("p99", round(w.getDouble(2) == null ? -1 : w.getDouble(2)))
            .put("max", round(w.getDouble(3) == null ? -1 : w.getDouble(3))))
        .put("batchPurchases", batchRec.summary(seconds)).put("singlePurchases", singleRec.summary(seconds))
        .put("cancels", cancelRec.summary(seconds).put("conflicts409", cancelConflicts.get())
            .put("latencyMsAfterWarmup", afterWarmup(cancelRec, window + warmup)))
        .put("invariants", inv).put("service", mon.summary());
    Files.writeString(dir.resolve("timeseries.csv"), csvOf("second_of_deadline,window_ends,lateness_p99_ms,lateness_max_ms", rows));
    chart(dir.resolve("chart.png"), "steady: " + rate + "/s purchases, " + (rate + seededRate) + "/s expiries", rows, new String[] {"expiries/s (by deadline)"},
        new int[] {1}, "per second", new String[] {"lateness p99 ms", "lateness max ms"}, new int[] {2, 3}, "lateness (ms)");
    finish();
  }

  /**
   * The expiries `steady` adds to those of its purchases (`seeded-expiries-per-second`), for a machine that cannot both
   * make and serve 2,000 purchases a second: open orders with their holds written by SQL as the burst does, over the
   * same accounts, their deadlines spread evenly from one window after the load begins to its end. The service indexes
   * them from PostgreSQL (the markers are dropped, as in the burst); the load starts once they are all indexed, timed so
   * that the first seeded deadline falls when the first purchased window ends. Answers how many were seeded.
   */
  long seedSteadyExpiries(List<String[]> keys, int perSecond, int seconds, int window) throws Exception {
    int count = perSecond * Math.max(1, seconds - window);
    long leadMs = intOpt("lead-seconds", 60) * 1000L;
    long firstDeadline = System.currentTimeMillis() + leadMs;
    Pool pool = pg();
    Redis redis = redis();
    long before = timerIndexSize(redis);
    String due = "to_timestamp(" + firstDeadline + " / 1000.0) + (g * " + (1000.0 / perSecond) + ") * interval '1 millisecond'";
    seed(pool, keys, count, due, 1);
    dropSeededMarkers(redis);
    while (timerIndexSize(redis) < before + count) {
      if (System.currentTimeMillis() > firstDeadline - window * 1000L) {
        throw new IllegalStateException("steady: the seeded expiries were not indexed in time; raise lead-seconds");
      }
      sleep(500);
    }
    long startAt = firstDeadline - window * 1000L;
    System.err.printf("steady: %d expiries seeded (%d/s from %s), indexed; the load starts in %.1f s%n", count, perSecond,
        Instant.ofEpochMilli(firstDeadline), (startAt - System.currentTimeMillis()) / 1000.0);
    sleep(Math.max(0, startAt - System.currentTimeMillis()));
    return count;
  }

  /** p50/p99/max of the latencies recorded from second `from` of the run on. */
  static JsonObject afterWarmup(Recorder rec, int from) {
    LongList l = new LongList();
    synchronized (rec) {
      rec.perSecond.forEach((sec, list) -> {
        if (sec >= from) for (int i = 0; i < list.n; i++) l.add(list.a[i]);
      });
    }
    long[] s = l.sorted();
    return new JsonObject().put("fromSecond", from).put("count", s.length).put("p50", ms(pct(s, .5))).put("p99", ms(pct(s, .99)))
        .put("max", ms(s.length == 0 ? Double.NaN : s[s.length - 1]));
  }

  void scheduleCancel(JsonObject activation, String key, double share, int delaySeconds, Recorder rec, AtomicLong conflicts) {
    if (ThreadLocalRandom.current().nextDouble() >= share) return;
    long id = activation.getLong("id");
    vertx.setTimer(delaySeconds * 1000L + 300, t -> call(HttpMethod.POST, "/v1/activations/" + id + "/cancel", key, null).onComplete(r -> {
      if (r.failed()) { rec.record(0, 0, false); return; }
      if (r.result().status == 409) conflicts.incrementAndGet();
      rec.record(r.result().status, r.result().nanos, r.result().status == 200);
    }));
  }

  // ---------------------------------------------------------------------------------------------
  // live-million: N live orders (deadlines an hour away); memory of Redis and the JVM, idle CPU

  void liveMillion() throws Exception {
    int n = intOpt("count", 1_000_000);
    int idleSeconds = intOpt("idle-seconds", 30);
    List<String[]> accounts = keys();
    Pool pool = pg();
    Redis redis = redis();
    long redisBefore = redisUsedMemory(redis);
    long indexBefore = timerIndexBytes(redis);
    int chunk = 200_000;
    for (int done = 0; done < n; done += chunk) seed(pool, accounts, Math.min(chunk, n - done), "now() + interval '1 hour'", 3_600_000);
    dropSeededMarkers(redis);
    long t0 = System.nanoTime();
    long indexed;
    long target = n; // the service's own open orders (a handful) come on top
    while ((indexed = timerIndexSize(redis)) < target) {
      System.err.printf("live-million: timer index %d/%d (re-seed from PostgreSQL running)%n", indexed, target);
      sleep(2000);
      if (System.nanoTime() - t0 > 900_000_000_000L) throw new IllegalStateException("re-seed did not finish in 15 min");
    }
    double reseedSeconds = (System.nanoTime() - t0) / 1e9;
    System.err.printf("live-million: index holds %d members after %.1f s; measuring %d s with nothing due%n", indexed, reseedSeconds, idleSeconds);
    sleep(3000);
    Monitor mon = new Monitor();
    List<double[]> rows = new ArrayList<>();
    for (int s = 0; s < idleSeconds; s++) {
      mon.sample();
      if (s > 0) {
        double[] m = mon.samples.get(mon.samples.size() - 1);
        rows.add(new double[] {s, m[1], m[3]});
        System.err.printf("t=%3ds idle: service cpu %4.1f%% rss %5.0f MB heap %5.0f MB | load %s%n", s, m[1], m[2], m[3], loadAverage().substring(0, 14));
      }
      sleep(1000);
    }
    mon.sample();
    long redisAfter = redisUsedMemory(redis);
    long indexAfter = timerIndexBytes(redis);
    summary.put("scenario", "live-million").put("liveOrders", n).put("timerIndexMembers", indexed)
        .put("seeding", "direct SQL: WAITING_CODE orders with holds, deadlines spread over the next hour; timer index re-seeded by the service")
        .put("reseedSeconds", round(reseedSeconds))
        .put("redis", new JsonObject().put("timerIndexBytes", indexAfter - indexBefore).put("timerIndexMb", round((indexAfter - indexBefore) / 1e6))
            .put("bytesPerLiveTimer", round((indexAfter - indexBefore) / (double) n))
            .put("usedMemoryDeltaMb", round((redisAfter - redisBefore) / 1e6)).put("usedMemoryMb", round(redisAfter / 1e6))
            .put("note", "timerIndexBytes = sum of MEMORY USAGE over the bench prefix's timer keys; used_memory is the whole (shared) Redis"))
        .put("idleSeconds", idleSeconds).put("service", mon.summary());
    Files.writeString(dir.resolve("timeseries.csv"), csvOf("second,service_cpu_pct,heap_used_mb", rows));
    chart(dir.resolve("chart.png"), "live-million: " + n + " live orders, nothing due", rows, new String[] {"service CPU %"}, new int[] {1},
        "percent of one core", new String[] {"heap used MB"}, new int[] {2}, "MB");
    finish();
  }

  // ---------------------------------------------------------------------------------------------
  // pgbench-scripts: the purchase SQL the service runs (read from its own ActivationSql constants, so
  // the scripts cannot drift from the code), with one row: the hold, then the allocation update.

  void pgbenchScripts() throws Exception {
    Class<?> sqlClass = Class.forName("com.otporchestrator.activation.ActivationSql");
    String hold = constant(sqlClass, "HOLD_MANY"), allocated = constant(sqlClass, "MARK_ALLOCATED");
    String holdOne = substitute(hold, Map.of(1, "ARRAY[:aid]::bigint[]", 2, "'{tg}'", 3, "'{0}'", 4, "'{sandbox}'", 5, "'{800000}'",
        6, "'{480000}'", 7, "1200000", 8, "'{NULL}'", 9, "'{api}'"));
    String allocate = substitute(allocated, Map.of(1, ":id", 2, "'79990000000'", 3, "('pgb-' || :id)", 4, "1200000", 5, "NULL",
        6, "120000"));
    String header = "-- Generated by bench/run.sh from com.otporchestrator.activation.ActivationSql (HOLD_MANY with one row,\n"
        + "-- then MARK_ALLOCATED): the statements one purchase runs, each its own transaction as in the service.\n";
    Path out = Path.of(opt("out", "bench/pgbench"));
    Files.createDirectories(out);
    Files.writeString(out.resolve("purchase.sql"), header + "-- purchase: a random account of the bench's accounts.\n"
        + "\\set aid random(:first_account, :last_account)\n" + holdOne.strip() + " \\gset\n" + allocate.strip() + ";\n");
    Files.writeString(out.resolve("bulk.sql"), header + "-- bulk: every transaction debits the same single account.\n"
        + "\\set aid :first_account\n" + holdOne.strip() + " \\gset\n" + allocate.strip() + ";\n");
  }

  static String constant(Class<?> c, String name) throws Exception {
    java.lang.reflect.Field f = c.getDeclaredField(name);
    f.setAccessible(true);
    return (String) f.get(null);
  }

  static String substitute(String sql, Map<Integer, String> values) {
    String s = sql;
    for (int i = 9; i >= 1; i--) if (values.containsKey(i)) s = s.replace("$" + i, values.get(i));
    if (s.matches("(?s).*\\$[0-9].*")) throw new IllegalStateException("unbound parameter left in " + s);
    return s;
  }

  // ---------------------------------------------------------------------------------------------
  // chart: java.awt headless, no extra package needed (two panels sharing the time axis)

  static void chart(Path file, String title, List<double[]> rows, String[] topNames, int[] topCols, String topLabel,
      String[] bottomNames, int[] bottomCols, String bottomLabel) throws Exception {
    int w = 1100, h = 700;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, 70, 25);
    panel(g, rows, topNames, topCols, topLabel, 70, 45, w - 100, 280);
    panel(g, rows, bottomNames, bottomCols, bottomLabel, 70, 375, w - 100, 280);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(Color.BLACK);
    g.drawString("seconds", w / 2, h - 12);
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }

  static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e)};

  static void panel(Graphics2D g, List<double[]> rows, String[] names, int[] cols, String label, int x, int y, int pw, int ph) {
    double minX = rows.isEmpty() ? 0 : rows.get(0)[0], maxX = rows.isEmpty() ? 1 : rows.get(rows.size() - 1)[0];
    if (maxX <= minX) maxX = minX + 1;
    double maxY = 0;
    for (double[] r : rows) for (int c : cols) if (!Double.isNaN(r[c])) maxY = Math.max(maxY, r[c]);
    maxY = maxY <= 0 ? 1 : maxY * 1.1;
    g.setColor(new Color(0xeeeeee));
    for (int i = 0; i <= 5; i++) g.drawLine(x, y + ph - i * ph / 5, x + pw, y + ph - i * ph / 5);
    g.setColor(Color.BLACK);
    g.drawRect(x, y, pw, ph);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int i = 0; i <= 5; i++) g.drawString(String.format(maxY * i / 5 >= 100 ? "%.0f" : "%.1f", maxY * i / 5), 5, y + ph - i * ph / 5 + 4);
    for (int i = 0; i <= 10; i++) g.drawString(String.format("%.0f", minX + (maxX - minX) * i / 10), x + pw * i / 10 - 8, y + ph + 14);
    g.drawString(label, x + 5, y + 14);
    g.setStroke(new BasicStroke(1.8f));
    for (int k = 0; k < cols.length; k++) {
      g.setColor(COLORS[k % COLORS.length]);
      int px = -1, py = -1;
      for (double[] r : rows) {
        double v = r[cols[k]];
        if (Double.isNaN(v) || v < 0) { px = -1; continue; }
        int cx = x + (int) ((r[0] - minX) / (maxX - minX) * pw), cy = y + ph - (int) (v / maxY * ph);
        if (px >= 0) g.drawLine(px, py, cx, cy);
        else g.fillOval(cx - 1, cy - 1, 3, 3);
        px = cx;
        py = cy;
      }
      g.fillRect(x + pw - 200, y + 10 + k * 16, 12, 4);
      g.drawString(names[k], x + pw - 182, y + 16 + k * 16);
    }
  }
}
