package com.otporchestrator;

import com.otporchestrator.api.HealthRoutes;
import com.otporchestrator.api.HealthVerticle;
import com.otporchestrator.api.HttpApiVerticle;
import com.otporchestrator.config.AppConfig;
import com.otporchestrator.config.AppConfig.Role;
import com.otporchestrator.metrics.NodeMetrics;
import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.module.PeriodicJob;
import com.otporchestrator.store.Database;
import com.otporchestrator.store.DatabasePools;
import com.otporchestrator.store.LuaScript;
import com.otporchestrator.store.RedisStore;
import com.otporchestrator.timer.TimerModule;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running orchestrator process (or, in tests, one of several in a JVM): migrates the schema, builds its
 * infrastructure and, once, every feature module ({@link Modules}), then deploys the verticles of its configured
 * roles and runs the modules' periodic jobs. It also stops them, gracefully on SIGTERM.
 */
public final class Node {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);
  /** The money invariant check scans the ledger: once a minute per process is plenty for a gauge. */

  private final Vertx vertx;
  private final Core core;
  private final DatabasePools pools;
  private final Modules modules;
  private final List<String> deployments = new ArrayList<>();
  private final List<Long> periodic = new ArrayList<>();
  /** Set first thing on shutdown: readiness answers 503 from then on. */
  private final AtomicBoolean draining = new AtomicBoolean();
  /** Completed once the node has warmed up ({@link WarmUp}): readiness answers 503 until then. */
  private final Promise<Void> warmedUp = Promise.promise();
  private String apiDeployment;
  private String timerDeployment;
  private HealthVerticle healthListener;
  /**
   * The readiness check's own Redis connection, as it has its own PostgreSQL pool: a PING sent on the node's busy
   * connections waits behind their pipelines, and the chaos campaign saw readiness answer "redis DOWN: Timeout" from a
   * loaded node whose Redis was up.
   */
  private final Redis healthRedis;

  private Node(Vertx vertx, DatabasePools pools, Core core, Modules.Scripts scripts) {
    this.vertx = vertx;
    this.pools = pools;
    this.core = core;
    this.modules = new Modules(core, scripts);
    AppConfig config = core.config();
    this.healthRedis = RedisStore.healthClient(vertx, config.redisEndpoints(), config.redisCluster());
  }

  /** The process's infrastructure: settings, PostgreSQL pool (routed by lane), Redis, timers, metrics. */
  public Core core() {
    return core;
  }

  /** Every feature module of this process, each with its services. */
  public Modules modules() {
    return modules;
  }

  public static Future<Node> start(Vertx vertx, AppConfig config) {
    return start(vertx, config, Future.succeededFuture());
  }

  /**
   * Starts the node; it warms up ({@link WarmUp}) once its listeners are up and {@code warmUpMayStart} has completed
   * (tests hold it back to see readiness before the warm-up). The returned future does not wait for the warm-up:
   * {@link #warmedUp()} does.
   */
  public static Future<Node> start(Vertx vertx, AppConfig config, Future<Void> warmUpMayStart) {
    return Database.migrate(vertx, config.databaseUrl())
        .compose(v -> Future.all(LuaScript.load(vertx, "/lua/rate-limit.lua"), LuaScript.load(vertx, "/lua/abuse-window.lua")))
        .compose(scripts -> {
          DatabasePools pools = Database.pools(vertx, config.databaseUrl(), config.databasePoolSize(),
              config.databasePools(), "otp-" + System.identityHashCode(vertx));
          Node node = new Node(vertx, pools, core(vertx, config, pools),
              new Modules.Scripts(scripts.resultAt(0), scripts.resultAt(1)));
          return node.modules.policies().bootstrap(config.refundPolicy())
              .compose(v -> node.startSandbox()).compose(v -> node.modules.routing().registry().reload())
              .compose(v -> node.deploy())
              .onSuccess(v -> warmUpMayStart.compose(w -> WarmUp.run(vertx, node.core, node.pools.health(), node.modules.all()))
                  .onFailure(e -> LOG.warn("warm-up failed ({}); readiness now follows the stores alone", e.toString()))
                  .onComplete(r -> node.warmedUp.tryComplete()))
              .map(node);
        });
  }

  /**
   * The modules get the routed pool: statements made on the timer engine's context use the timer pool, the others the
   * requests' pool ({@link DatabasePools}); the readiness check has a pool of its own.
   */
  private static Core core(Vertx vertx, AppConfig config, DatabasePools pools) {
    NodeMetrics metrics = NodeMetrics.of(vertx);
    Pool pool = pools.routed();
    Redis redis = RedisStore.client(vertx, config.redisEndpoints(), config.redisCluster(), config.redisPoolSize());
    TimerModule timers = new TimerModule(redis, config.redisUrl(), config.redisKeyPrefix(), config.timers(), metrics);
    return new Core(config, vertx, pool, redis, timers, metrics);
  }

  private Future<Void> startSandbox() {
    if (modules.sandbox() == null) return Future.succeededFuture();
    return modules.sandbox().start(vertx).onSuccess(deployments::add).mapEmpty();
  }

  private Future<Void> deploy() {
    AppConfig config = core.config();
    NodeMetrics metrics = core.metrics();
    HealthRoutes health = new HealthRoutes(pools.health(), healthRedis, draining::get, () -> warmedUp.future().isComplete());
    Future<Void> chain = Future.succeededFuture();
    if (config.runs(Role.API)) {
      int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
      List<FeatureModule> all = modules.all();
      chain = chain.compose(v -> modules.push().startSubscriber(vertx))
          .compose(v -> modules.accounts().revocations().start(vertx))
          .compose(v -> modules.catalog().offersCache().start(vertx))
          .compose(v -> deploy(() -> new HttpApiVerticle(modules.guards(), all, metrics::handle, health, config), instances))
          .onSuccess(id -> apiDeployment = id).mapEmpty();
    } else {
      // No api role, so no HTTP server: a health-only listener lets Kubernetes probe the worker.
      healthListener = new HealthVerticle(health, metrics::handle, config.httpHost(), config.lifecycle().healthPort());
      chain = chain.compose(v -> deploy(() -> healthListener, 1)).mapEmpty();
    }
    if (config.runs(Role.TIMERS)) {
      chain = chain.compose(v -> core.timers().deploy(vertx, modules.timerHandlers(), modules.sweepSources(), chores()))
          .onSuccess(deployments::add)
          .onSuccess(id -> timerDeployment = id)
          .onSuccess(v -> startJobs(PeriodicJob.When.TIMERS_NODES)).mapEmpty();
    }
    startJobs(PeriodicJob.When.EVERY_NODE);
    metrics.startInvariantChecks(vertx, modules.wallets().invariants()::check,
        config.lifecycle().moneyCheckInterval().toMillis());
    return chain;
  }

  private Future<String> deploy(Supplier<io.vertx.core.Deployable> verticle, int instances) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setInstances(instances))
        .onSuccess(deployments::add);
  }

  /** The modules' housekeeping, run after each pass of the timer safety net. */
  private List<Supplier<Future<Void>>> chores() {
    return modules.periodicJobs().stream().filter(job -> job.when() == PeriodicJob.When.WITH_TIMER_SWEEP)
        .map(job -> (Supplier<Future<Void>>) () -> job.run().get().mapEmpty()).toList();
  }

  private void startJobs(PeriodicJob.When when) {
    for (PeriodicJob job : modules.periodicJobs()) {
      if (job.when() != when) continue;
      periodic.add(vertx.setPeriodic(job.first().toMillis(), job.every().toMillis(), id -> job.run().get()
          .onFailure(e -> LOG.debug("{} failed, the next run retries: {}", job.name(), e.toString()))));
    }
  }

  /** Completes once the node has warmed up; readiness answers 503 (WARMING_UP) until then. */
  public Future<Void> warmedUp() {
    return warmedUp.future();
  }

  /** True from the first step of {@link #shutdown()}: readiness answers 503. */
  public boolean draining() {
    return draining.get();
  }

  /** The health-only listener's port of a node without the api role, else -1. */
  public int healthPort() {
    return healthListener == null ? -1 : healthListener.actualPort();
  }

  /**
   * The graceful stop of SIGTERM (docs/operations.md, graceful shutdown), in this order:
   * <ol>
   * <li>readiness answers 503 (DRAINING) and the periodic jobs stop;</li>
   * <li>at the same moment the timer engine stops claiming and hands its unacknowledged leases back
   * to Redis, so other pods fire those timers now instead of after TIMER_LEASE_MS;</li>
   * <li>after SHUTDOWN_DELAY_MS (still serving, for load balancers that poll readiness) the HTTP
   * listener closes: no new connection, idle ones closed, event streams ended, requests in flight
   * given up to SHUTDOWN_DRAIN_MS;</li>
   * <li>then {@link #stop()}: the push subscriber, the sandbox, the health listener, the pools.</li>
   * </ol>
   * A request cut by the drain timeout leaves at most a hold whose allocation watchdog refunds it.
   */
  public Future<Void> shutdown() {
    if (!draining.compareAndSet(false, true)) return Future.succeededFuture();
    long started = System.nanoTime();
    AppConfig.LifecycleSettings lifecycle = core.config().lifecycle();
    LOG.info("shutdown: draining (readiness 503), timer leases handed back, HTTP closes in {} ms, drain up to {} ms",
        lifecycle.shutdownDelay().toMillis(), lifecycle.shutdownDrain().toMillis());
    periodic.forEach(vertx::cancelTimer);
    periodic.clear();
    Future<Void> timers = undeploy(timerDeployment).onComplete(r -> timerDeployment = null)
        .onComplete(r -> LOG.info("shutdown: timer engine stopped after {} ms", elapsed(started)));
    Promise<Void> delayed = Promise.promise();
    if (lifecycle.shutdownDelay().isZero()) delayed.complete();
    else vertx.setTimer(lifecycle.shutdownDelay().toMillis(), id -> delayed.complete());
    Future<Void> http = delayed.future().compose(v -> undeploy(apiDeployment)).onComplete(r -> apiDeployment = null)
        .onComplete(r -> LOG.info("shutdown: HTTP drained after {} ms", elapsed(started)));
    return Future.join(timers, http).transform(v -> stop())
        .onComplete(r -> LOG.info("shutdown: stopped in {} ms", elapsed(started)));
  }

  private Future<Void> undeploy(String id) {
    if (id == null || !deployments.remove(id)) return Future.succeededFuture();
    return vertx.undeploy(id).onFailure(e -> LOG.warn("undeploy failed: {}", e.toString()));
  }

  private static long elapsed(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** Undeploys this node's verticles (timer leases are handed back) and closes its clients. */
  public Future<Void> stop() {
    periodic.forEach(vertx::cancelTimer);
    core.metrics().stop(vertx);
    List<Future<?>> undeployed = new ArrayList<>();
    undeployed.add(modules.push().stop(vertx));
    undeployed.add(modules.accounts().revocations().stop(vertx));
    undeployed.add(modules.catalog().offersCache().stop(vertx));
    List.copyOf(deployments).forEach(id -> undeployed.add(vertx.undeploy(id)));
    deployments.clear();
    return Future.join(undeployed)
        .transform(v -> Future.join(modules.all().stream().map(FeatureModule::close).toList()))
        .transform(v -> Future.join(pools.close(), closeRedis()))
        .mapEmpty();
  }

  private Future<Void> closeRedis() {
    core.redis().close();
    healthRedis.close();
    return Future.succeededFuture();
  }
}
