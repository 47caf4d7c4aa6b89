package com.otporchestrator;

import com.otporchestrator.config.AppConfig;
import com.otporchestrator.config.AppConfig.Role;
import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.store.LuaScript;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does after its listeners are up and before readiness may answer 200: it opens its PostgreSQL
 * connections, loads its Lua scripts into Redis and the JDK's TLS classes, sends WARMUP_REQUESTS requests to its own
 * HTTP listener through the hot paths that need no account (routing, authentication refusals that look the key up, JSON
 * bodies, problems, the compatible API), runs the feature modules' rehearsals of what lies behind a valid key (a
 * purchase up to its hold for an account that does not exist), and then waits for the JIT compilers to go quiet. A node
 * that reported ready at once after a restart served slowly for tens of seconds: its first requests paid for
 * connections, scripts and cold code.
 *
 * <p>None of it writes anything: every request is refused before a service runs (no valid key), the queries read, and
 * a rehearsal's hold finds no wallet.
 */
final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
  private static final int CONCURRENCY = 8;
  /**
   * The requests stop after this even if fewer than WARMUP_REQUESTS were sent: on a starved machine (a thousand took
   * over a minute on two cores shared with other work) readiness must not wait that long.
   */
  static final long MAX_REQUEST_MILLIS = 20_000;
  /** Keys no account has (wrong length on purpose for one, right length for the other): both are looked up. */
  private static final String UNKNOWN_KEY = "warmup00000000000000000000000000";

  private WarmUp() {}

  /** Every Lua script the node runs (rate limits, abuse windows, the timer engine). */
  private static final List<String> SCRIPTS = List.of("/lua/rate-limit.lua", "/lua/abuse-window.lua",
      "/lua/timer-claim.lua", "/lua/timer-reap.lua", "/lua/timer-settle.lua", "/lua/timer-unpark.lua");

  static Future<Void> run(Vertx vertx, Core core, Pool health, List<FeatureModule> modules) {
    long started = System.nanoTime();
    AppConfig config = core.config();
    int total = config.lifecycle().warmUpRequests();
    AtomicInteger rehearsals = new AtomicInteger();
    return connections(core, health).compose(v -> scripts(vertx, core)).compose(v -> tls(vertx))
        .compose(v -> config.runs(Role.API)
            ? Future.all(requests(vertx, config), rehearsals(modules, total / REQUESTS_PER_REHEARSAL, rehearsals))
                .map(all -> all.<Integer>resultAt(0))
            : Future.succeededFuture(0))
        .compose(sent -> jitSettled(vertx, settleMillis(total)).map(settled -> {
          LOG.info("warmed up in {} ms: connections open, {} scripts loaded, {} requests through the hot paths, {}"
              + " rounds of the features' rehearsals, compiler {}", (System.nanoTime() - started) / 1_000_000,
              SCRIPTS.size(), sent, rehearsals.get(), settled ? "quiet" : "still busy at the settle limit");
          return sent;
        }))
        .mapEmpty();
  }

  /** One round of rehearsals ({@link FeatureModule#rehearse}) per this many warm-up requests. */
  static final int REQUESTS_PER_REHEARSAL = 5;
  /** How long the warm-up waits for the JIT per warm-up request, up to {@link #MAX_SETTLE_MILLIS}. */
  static final long SETTLE_MILLIS_PER_REQUEST = 15;
  static final long MAX_SETTLE_MILLIS = 15_000;
  /** The compiler is quiet when it compiled for less than this share of one {@link #SETTLE_STEP_MILLIS} step. */
  static final double QUIET_SHARE = 0.05;
  static final long SETTLE_STEP_MILLIS = 500;

  static long settleMillis(int requests) {
    return Math.min(MAX_SETTLE_MILLIS, requests * SETTLE_MILLIS_PER_REQUEST);
  }

  /**
   * The features' rehearsals, {@code rounds} times each, two at a time, until the request lanes' deadline. They run
   * the code behind a valid key (quotes, holds, lists) that the refused requests never reach.
   */
  private static Future<Void> rehearsals(List<FeatureModule> modules, int rounds, AtomicInteger done) {
    long deadline = System.nanoTime() + MAX_REQUEST_MILLIS * 1_000_000;
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < REHEARSAL_LANES; lane++) lanes.add(rehearsalLane(modules, rounds, next, done, deadline));
    return Future.all(lanes).mapEmpty();
  }

  private static final int REHEARSAL_LANES = 2;

  private static Future<Void> rehearsalLane(List<FeatureModule> modules, int rounds, AtomicInteger next,
                                            AtomicInteger done, long deadline) {
    if (next.getAndIncrement() >= rounds || System.nanoTime() > deadline) return Future.succeededFuture();
    Future<Void> round = Future.succeededFuture();
    for (FeatureModule module : modules) {
      round = round.transform(prior -> module.rehearse().transform(r -> {
        if (r.failed()) LOG.debug("rehearsal of {} failed: {}", module.getClass().getSimpleName(), r.cause().toString());
        return Future.<Void>succeededFuture();
      }));
    }
    return round.compose(v -> {
      done.incrementAndGet();
      return rehearsalLane(modules, rounds, next, done, deadline);
    });
  }

  /**
   * Waits, up to {@code limitMillis}, until the JIT compilers are quiet: what the warm-up made hot is compiled before
   * the node says ready, rather than compiled under real traffic by a starved compiler thread (a restarted node on a
   * busy machine answered 10 to 60 times slower than its peers for most of a minute). True when quiet.
   */
  static Future<Boolean> jitSettled(Vertx vertx, long limitMillis) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (limitMillis <= 0 || jit == null || !jit.isCompilationTimeMonitoringSupported()) return Future.succeededFuture(true);
    Promise<Boolean> settled = Promise.promise();
    long until = System.nanoTime() + limitMillis * 1_000_000;
    long[] last = {jit.getTotalCompilationTime()};
    vertx.setPeriodic(SETTLE_STEP_MILLIS, id -> {
      long now = jit.getTotalCompilationTime();
      boolean quiet = now - last[0] < SETTLE_STEP_MILLIS * QUIET_SHARE;
      last[0] = now;
      if (quiet || System.nanoTime() > until) {
        vertx.cancelTimer(id);
        settled.tryComplete(quiet);
      }
    });
    return settled.future();
  }

  /** Enough concurrent queries to open every connection of the pool, and the readiness check's connection. */
  private static Future<Void> connections(Core core, Pool health) {
    List<Future<?>> queries = new ArrayList<>();
    queries.add(health.query("SELECT 1").execute());
    for (int i = 0; i < Math.max(2, core.config().databasePoolSize()) * 2; i++) {
      queries.add(core.pool().query("SELECT 1").execute());
    }
    queries.add(core.redis().send(Request.cmd(Command.PING)));
    return Future.all(queries).mapEmpty();
  }

  /** SCRIPT LOAD, so the first EVALSHA finds them (standalone Redis; a cluster loads them on first use, by EVAL). */
  private static Future<Void> scripts(Vertx vertx, Core core) {
    if (core.config().redisCluster()) return Future.succeededFuture();
    List<Future<?>> loads = new ArrayList<>();
    for (String resource : SCRIPTS) {
      loads.add(LuaScript.load(vertx, resource)
          .compose(script -> core.redis().send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source()))));
    }
    return Future.all(loads).mapEmpty();
  }

  /**
   * Loads the JDK's TLS machinery on a worker thread. The first HTTPS call (a webhook delivery, a supplier) otherwise
   * initialises it on the event loop that makes it: seconds of class loading on a busy machine, during which that
   * loop, the timer engine's among them, runs nothing else.
   */
  private static Future<Void> tls(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      javax.net.ssl.SSLContext.getDefault().createSSLEngine();
      try {
        // Vert.x's list of the JDK's cipher suites, built on first use from an engine of its own
        Class.forName("io.vertx.core.spi.tls.DefaultJDKCipherSuite", true, WarmUp.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        LOG.debug("no Vert.x cipher suite list to load: {}", e.toString());
      }
      return null;
    });
  }

  private static Future<Integer> requests(Vertx vertx, AppConfig config) {
    int total = config.lifecycle().warmUpRequests();
    if (total == 0) return Future.succeededFuture(0);
    String host = config.httpHost().equals("0.0.0.0") || config.httpHost().equals("::") ? "127.0.0.1" : config.httpHost();
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host)
        .setDefaultPort(config.httpPort()).setKeepAlive(true));
    AtomicInteger next = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    long deadline = System.nanoTime() + MAX_REQUEST_MILLIS * 1_000_000;
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < CONCURRENCY; lane++) lanes.add(lane(client, next, sent, total, deadline));
    return Future.all(lanes).eventually(client::close).map(v -> sent.get());
  }

  private static Future<Void> lane(HttpClient client, AtomicInteger next, AtomicInteger sent, int total, long deadline) {
    int n = next.getAndIncrement();
    if (n >= total || System.nanoTime() > deadline) return Future.succeededFuture();
    return send(client, n).transform(done -> {
      sent.incrementAndGet();
      return lane(client, next, sent, total, deadline);
    });
  }

  /** One of the hot paths, in turn; the answer is read and dropped (every one is a refusal or a public page). */
  private static Future<Void> send(HttpClient client, int n) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setURI("/health/live");
    Buffer body = null;
    switch (n % 6) {
      case 0 -> options.setURI("/v1/activations?limit=5").putHeader("Authorization", "Bearer " + UNKNOWN_KEY);
      case 1 -> {
        options.setMethod(HttpMethod.POST).setURI("/v1/activations").putHeader("Authorization", "Bearer " + UNKNOWN_KEY)
            .putHeader("Content-Type", "application/json");
        body = Buffer.buffer("{\"service\":\"tg\",\"country\":0}");
      }
      case 2 -> options.setURI("/v1/wallet");
      case 3 -> options.setURI("/stubs/handler_api.php?action=getBalance&api_key=" + UNKNOWN_KEY);
      case 4 -> options.setURI("/admin/v1/invariants").putHeader("Authorization", "Bearer not-the-admin-token");
      default -> options.setURI("/health/live");
    }
    Buffer payload = body;
    return client.request(options)
        .compose(request -> payload == null ? request.send() : request.send(payload))
        .compose(response -> response.body())
        .mapEmpty();
  }
}
