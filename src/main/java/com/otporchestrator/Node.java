package com.otporchestrator;

import com.otporchestrator.abuse.AbuseMonitor;
import com.otporchestrator.abuse.AbuseRepository;
import com.otporchestrator.account.AccountRepository;
import com.otporchestrator.activation.ActivationRepository;
import com.otporchestrator.activation.ActivationService;
import com.otporchestrator.activation.ActivationSweepSources;
import com.otporchestrator.activation.ActivationTimers;
import com.otporchestrator.activation.BatchPurchase;
import com.otporchestrator.activation.ExpiryHandler;
import com.otporchestrator.activation.HoldCoalescer;
import com.otporchestrator.activation.OrderEvents;
import com.otporchestrator.activation.PurchaseService;
import com.otporchestrator.activation.SmsDelivery;
import com.otporchestrator.activation.UnknownOutcomeReconciler;
import com.otporchestrator.activation.UpstreamCloseHandler;
import com.otporchestrator.activation.UpstreamPollHandler;
import com.otporchestrator.api.HealthRoutes;
import com.otporchestrator.api.HealthVerticle;
import com.otporchestrator.api.HttpApiVerticle;
import com.otporchestrator.api.IdempotencyStore;
import com.otporchestrator.catalog.CatalogRepository;
import com.otporchestrator.claim.ClaimDeadlines;
import com.otporchestrator.claim.ClaimService;
import com.otporchestrator.catalog.StockRefresher;
import com.otporchestrator.config.AppConfig;
import com.otporchestrator.config.AppConfig.Role;
import com.otporchestrator.metrics.Meters;
import com.otporchestrator.metrics.NodeMetrics;
import com.otporchestrator.push.OrderPush;
import com.otporchestrator.sandbox.SandboxSetup;
import com.otporchestrator.sandbox.SandboxSupplier;
import com.otporchestrator.policy.Policies;
import com.otporchestrator.ratelimit.PlanRepository;
import com.otporchestrator.ratelimit.RateLimiter;
import com.otporchestrator.store.Database;
import com.otporchestrator.store.LuaScript;
import com.otporchestrator.store.RedisStore;
import com.otporchestrator.timer.TimerEngine;
import com.otporchestrator.timer.TimerHandler;
import com.otporchestrator.timer.TimerKeys;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.timer.TimerSafetyNet;
import com.otporchestrator.timer.TimerService;
import com.otporchestrator.timer.TimerStats;
import com.otporchestrator.timer.TimerVerticle;
import com.otporchestrator.routing.Adapters;
import com.otporchestrator.routing.MeteredProvider;
import com.otporchestrator.routing.ProviderRegistry;
import com.otporchestrator.routing.ProviderRepository;
import com.otporchestrator.routing.ProviderHealth;
import com.otporchestrator.outage.OutageRepository;
import com.otporchestrator.wallet.Invariants;
import com.otporchestrator.wallet.WalletRepository;
import com.otporchestrator.webhook.WebhookDeliveryHandler;
import com.otporchestrator.webhook.WebhookRepository;
import com.otporchestrator.webhook.WebhookSweepSource;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running orchestrator process (or, in tests, one of several in a JVM): migrates the schema,
 * builds the shared services and deploys the verticles of its configured roles.
 */
public final class Node {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);
  private static final long STOCK_REFRESH_MS = 15_000;
  private static final long PROVIDER_RELOAD_MS = 10_000;
  private static final int WEBHOOK_RETENTION_DAYS = 30;
  /** The money invariant check scans the ledger: once a minute per process is plenty for a gauge. */
  private static final long INVARIANT_CHECK_MS = 60_000;

  private final Vertx vertx;
  private final Platform platform;
  private final WebClient webClient;
  /** Customer webhooks get their own client: no redirects, short timeouts, never sharing the suppliers' pool. */
  private final WebClient webhookClient;
  private final OrderPush push;
  private final List<String> deployments = new ArrayList<>();
  private final List<Long> periodic = new ArrayList<>();
  /** Set first thing on shutdown: readiness answers 503 from then on. */
  private final AtomicBoolean draining = new AtomicBoolean();
  private AbuseMonitor abuse;
  private String apiDeployment;
  private String timerDeployment;
  private HealthVerticle healthListener;

  private Node(Vertx vertx, Platform platform, WebClient webClient) {
    this.vertx = vertx;
    this.platform = platform;
    this.webClient = webClient;
    this.webhookClient = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setKeepAlive(true)
        .setConnectTimeout(3_000).setUserAgent("otp-orchestrator-webhooks/1").setMetricsName("webhooks"),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(8));
    AppConfig config = platform.config();
    this.push = new OrderPush(platform.orderEvents(), platform.redis(), config.redisUrl(), config.redisKeyPrefix());
    platform.timerStats().bindTo(platform.metrics());
    platform.metrics().functionCounter("otp.hold.statements", "Hold statements sent (coalesced group commits)",
        platform.holds(), h -> h.statements());
    platform.metrics().functionCounter("otp.holds", "Orders held; holds / hold statements is the coalescing ratio",
        platform.holds(), h -> h.holdsRequested());
    platform.metrics().gauge("otp.sse.streams.open", "Server-sent event streams open on this node", push.limits(),
        com.otporchestrator.push.StreamLimits::open);
  }

  public Platform platform() {
    return platform;
  }

  /** Order-change fan-out across pods and this node's event streams. */
  public OrderPush push() {
    return push;
  }

  public static Future<Node> start(Vertx vertx, AppConfig config) {
    return Database.migrate(vertx, config.databaseUrl())
        .compose(v -> LuaScript.load(vertx, "/lua/rate-limit.lua"))
        .compose(rateLimitScript -> {
      Node node = build(vertx, config, rateLimitScript);
      return LuaScript.load(vertx, "/lua/abuse-window.lua").map(node::watchForAbuse)
          .compose(loaded -> node.platform.policies().bootstrap(config.refundPolicy()))
          .compose(v -> node.startSandbox()).compose(r -> node.platform.providers().reload())
          .compose(r -> node.deploy()).map(node);
    });
  }

  private static Node build(Vertx vertx, AppConfig config, LuaScript rateLimitScript) {
    NodeMetrics metrics = NodeMetrics.of(vertx);
    Meters meters = metrics.meters();
    Pool pool = Database.pool(vertx, config.databaseUrl(), config.databasePoolSize(), "otp-" + System.identityHashCode(vertx));
    Redis redis = RedisStore.client(vertx, config.redisEndpoints(), config.redisCluster(), config.redisPoolSize());
    WebClient web = WebClient.create(vertx, new WebClientOptions().setDecompressionSupported(true)
        .setKeepAlive(true).setConnectTimeout((int) config.upstreamTimeout().toMillis()).setMetricsName("suppliers"),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(50));
    TimerService timers = new TimerService(redis, new TimerKeys(config.redisKeyPrefix(), config.timers().shards()));
    ProviderRepository providerRepository = new ProviderRepository(pool);
    ProviderHealth health = new ProviderHealth(config.routing().breaker());
    ProviderRegistry providers = new ProviderRegistry(providerRepository,
        MeteredProvider.metered(Adapters.standard(web, config.upstreamTimeout()), meters, health), health);
    health.onOpen(providerId -> new OutageRepository(pool).suspect(providerId, "circuit breaker opened")
        .onFailure(error -> LOG.warn("could not record the suspected outage of supplier {}: {}", providerId, error.toString())));
    ActivationRepository activationRepository = new ActivationRepository(pool, meters);
    ActivationTimers activationTimers = new ActivationTimers(activationRepository, timers);
    CatalogRepository catalog = new CatalogRepository(pool);
    OrderEvents events = new OrderEvents();
    HoldCoalescer holds = new HoldCoalescer(activationRepository, config.allocationTimeout());
    PlanRepository plans = new PlanRepository(pool);
    PurchaseService purchases = new PurchaseService(catalog, activationRepository, providers, timers, activationTimers,
        new PurchaseService.Durations(config.activationWindow(), config.cancelDelay(), config.allocationTimeout()), events,
        holds, meters);
    com.otporchestrator.rental.RentalRepository rentalRepository = new com.otporchestrator.rental.RentalRepository(pool, meters);
    Policies policies = new Policies(vertx, pool);
    com.otporchestrator.rental.RentalService rentals = new com.otporchestrator.rental.RentalService(rentalRepository,
        new com.otporchestrator.rental.RentalTimers(rentalRepository, timers), timers, providers, policies, config.rentals(),
        config.allocationTimeout());
    Platform platform = new Platform(config, pool, redis, new AccountRepository(pool), new WalletRepository(pool), catalog,
        providerRepository, providers, new Invariants(pool), activationRepository, activationTimers,
        new SmsDelivery(activationRepository, events, timers, meters), purchases, new BatchPurchase(purchases), holds,
        new ActivationService(activationRepository, activationTimers, providers, events), timers, new TimerStats(), events,
        plans, new RateLimiter(redis, rateLimitScript, plans, config.redisKeyPrefix()), policies,
        config.runs(Role.SANDBOX) ? new SandboxSupplier(SandboxSetup.settings(config)) : null, metrics, rentals);
    return new Node(vertx, platform, web);
  }

  /** Abuse controls hear every committed purchase and cancel of this process. */
  private Void watchForAbuse(LuaScript script) {
    abuse = new AbuseMonitor(platform.redis(), script, new AbuseRepository(platform.pool()), platform.config().redisKeyPrefix());
    platform.purchases().signals(abuse);
    platform.activations().signals(abuse);
    return null;
  }

  private Future<Void> startSandbox() {
    SandboxSupplier sandbox = platform.sandbox();
    if (sandbox == null) return Future.succeededFuture();
    return vertx.deployVerticle(sandbox).onSuccess(deployments::add)
        .compose(id -> platform.providerRepository().upsert(SandboxSetup.providerRecord(platform.config(), sandbox.agentUrl())));
  }

  private Future<Void> deploy() {
    AppConfig config = platform.config();
    Future<Void> chain = Future.succeededFuture();
    if (config.runs(Role.API)) {
      int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
      chain = chain.compose(v -> push.startSubscriber(vertx))
          .compose(v -> deploy(() -> new HttpApiVerticle(platform, push, draining::get, abuse), instances))
          .onSuccess(id -> apiDeployment = id).mapEmpty();
    } else {
      // No api role, so no HTTP server: a health-only listener lets Kubernetes probe the worker.
      healthListener = new HealthVerticle(new HealthRoutes(platform.pool(), platform.redis(), draining::get),
          platform.metrics()::handle, config.httpHost(), config.lifecycle().healthPort());
      chain = chain.compose(v -> deploy(() -> healthListener, 1)).mapEmpty();
    }
    if (config.runs(Role.TIMERS)) {
      chain = chain.compose(v -> TimerEngine.Scripts.load(vertx))
          .compose(s -> RedisStore.preload(platform.redis(), List.of(s.claim(), s.reap(), s.ack())).map(s))
          .compose(scripts -> deploy(() -> timerVerticle(scripts), 1))
          .onSuccess(id -> timerDeployment = id)
          .onSuccess(v -> startPeriodicJobs()).mapEmpty();
    }
    periodic.add(vertx.setPeriodic(PROVIDER_RELOAD_MS, id -> platform.providers().reload()));
    platform.metrics().startInvariantChecks(vertx, platform.invariants()::check, INVARIANT_CHECK_MS);
    return chain;
  }

  private Future<String> deploy(Supplier<io.vertx.core.Deployable> verticle, int instances) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setInstances(instances))
        .onSuccess(deployments::add);
  }

  private TimerVerticle timerVerticle(TimerEngine.Scripts scripts) {
    Map<TimerKind, TimerHandler> handlers = timerHandlers();
    UnknownOutcomeReconciler reconciler = new UnknownOutcomeReconciler(platform.pool(), platform.providers());
    WebhookRepository webhooks = new WebhookRepository(platform.pool());
    List<com.otporchestrator.timer.SweepSource> sources = new ArrayList<>(ActivationSweepSources.of(platform.activationRepository()));
    sources.add(new WebhookSweepSource(webhooks));
    sources.add(com.otporchestrator.rental.RentalTimerHandler.sweepSource(platform.rentals().repository()));
    sources.add(ClaimDeadlines.sweepSource(claims()));
    return new TimerVerticle(
        v -> new TimerEngine(v, platform.redis(), platform.timers().keys(), platform.config().timers(), handlers,
            scripts, platform.timerStats()),
        v -> new TimerSafetyNet(v, platform.redis(), platform.timers(), handlers, List.copyOf(sources),
            List.of(reconciler::run, new IdempotencyStore(platform.pool())::purgeExpired,
                () -> webhooks.purgeFinished(WEBHOOK_RETENTION_DAYS)),
            platform.config().timers(), platform.timerStats()));
  }

  private Map<TimerKind, TimerHandler> timerHandlers() {
    ActivationRepository repo = platform.activationRepository();
    var rentals = platform.rentals().repository();
    return Map.of(
        TimerKind.RENTAL, new com.otporchestrator.rental.RentalTimerHandler(rentals,
            new com.otporchestrator.rental.RentalTimers(rentals, platform.timers()), platform.providers()),
        TimerKind.EXPIRE, new ExpiryHandler(repo, platform.activationTimers(), platform.orderEvents()),
        TimerKind.CLOSE, new UpstreamCloseHandler(platform.pool(), platform.providers(), platform.timers(), platform.activationTimers()),
        TimerKind.POLL, new UpstreamPollHandler(platform.pool(), platform.providers(), platform.smsDelivery(), repo, platform.timers()),
        TimerKind.WEBHOOK, new WebhookDeliveryHandler(new WebhookRepository(platform.pool()), platform.timers(),
            webhookClient, platform.config().webhooks(), platform.metrics().meters()),
        TimerKind.CLAIM_DEADLINE, ClaimDeadlines.handler(claims()));
  }

  private ClaimService claims() {
    return new ClaimService(platform.pool(), platform.policies(), platform.timers());
  }

  private void startPeriodicJobs() {
    StockRefresher stock = new StockRefresher(platform.providers(), platform.catalog());
    periodic.add(vertx.setPeriodic(1_000, STOCK_REFRESH_MS, id -> stock.refresh()));
    com.otporchestrator.outage.OutageRefundJob outages = outageJob(platform);
    long every = platform.config().routing().outagePoll().toMillis();
    periodic.add(vertx.setPeriodic(every, every, id -> outages.run()));
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
   * The graceful stop of SIGTERM (README, "Graceful shutdown"), in this order:
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
    AppConfig.LifecycleSettings lifecycle = platform.config().lifecycle();
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
    platform.metrics().stop(vertx);
    List<Future<?>> undeployed = new ArrayList<>();
    undeployed.add(push.stop(vertx));
    List.copyOf(deployments).forEach(id -> undeployed.add(vertx.undeploy(id)));
    deployments.clear();
    return Future.join(undeployed)
        .transform(v -> Future.join(platform.pool().close(), closeRedis(), webClientClosed()))
        .mapEmpty();
  }

  private Future<Void> closeRedis() {
    platform.redis().close();
    return Future.succeededFuture();
  }

  private Future<Void> webClientClosed() {
    webClient.close();
    webhookClient.close();
    return Future.succeededFuture();
  }

  /** The outage refund job of a node, on its stores and settings. */
  static com.otporchestrator.outage.OutageRefundJob outageJob(Platform platform) {
    var refunds = new com.otporchestrator.activation.ScopeRefunds(platform.pool(), platform.timers(),
        platform.activationTimers(), platform.orderEvents(), platform.metrics().meters());
    return new com.otporchestrator.outage.OutageRefundJob(new com.otporchestrator.outage.OutageRepository(platform.pool()),
        refunds, platform.config().routing().outageBatch(), platform.config().routing().outageLease());
  }
}
