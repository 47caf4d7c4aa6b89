package com.otporchestrator.api;

import com.otporchestrator.Platform;
import com.otporchestrator.abuse.AbuseMonitor;
import com.otporchestrator.abuse.AbuseRepository;
import com.otporchestrator.account.Authenticator;
import com.otporchestrator.claim.ClaimService;
import com.otporchestrator.compat.CompatRoutes;
import com.otporchestrator.webhook.WebhookRepository;
import com.otporchestrator.webhook.WebhookUrls;
import com.otporchestrator.push.OrderPush;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The HTTP front: one instance per event loop, all sharing the platform's pools and services. */
public final class HttpApiVerticle extends VerticleBase {
  static final long BODY_LIMIT_BYTES = 64 * 1024;

  private final Platform platform;
  private final OrderPush push;
  private final BooleanSupplier draining;
  private HttpServer server;

  private final AbuseMonitor abuse;

  public HttpApiVerticle(Platform platform, OrderPush push, BooleanSupplier draining) {
    this(platform, push, draining, null);
  }

  /** @param abuse abuse controls (null: none), told which client address each purchase came from */
  public HttpApiVerticle(Platform platform, OrderPush push, BooleanSupplier draining, AbuseMonitor abuse) {
    this.platform = platform;
    this.push = push;
    this.draining = draining;
    this.abuse = abuse;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    // Before the access log: a scrape every few seconds would drown it. Only in-memory values, no auth (no secrets).
    router.get("/metrics").handler(platform.metrics()::handle);
    router.route().handler(new AccessLog());
    Authenticator authenticator = new Authenticator(platform.accounts());
    CustomerAuth customers = new CustomerAuth(authenticator);
    RateLimitHandler rateLimit = new RateLimitHandler(platform.rateLimiter());
    IdempotencyStore idempotency = new IdempotencyStore(platform.pool());
    ClaimRoutes claims = new ClaimRoutes(new ClaimService(platform.pool(), platform.policies(), platform.timers()),
        idempotency);
    // Evidence uploads take files up to 10 MB: their route has its own body handler and answers before the global one.
    claims.mountUpload(router, customers, rateLimit);
    router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES));
    new HealthRoutes(platform.pool(), platform.redis(), draining).mount(router);
    new ProviderPushRoutes(platform.providers(), platform.smsDelivery(), platform.rentals()).mount(router);

    WebhookUrls webhookUrls = new WebhookUrls(platform.config().webhooks().allowPrivateUrls());
    new CompatRoutes(authenticator, platform.purchases(), platform.activations(), platform.wallets(), platform.catalog(),
        platform.rateLimiter())
        .withRentals(platform.rentals(), webhookUrls)
        .mount(router);

    router.route("/v1/*").handler(customers);
    router.route("/v1/*").handler(rateLimit);
    AbuseRoutes abuseRoutes = new AbuseRoutes(
        abuse == null ? new AbuseRepository(platform.pool()) : abuse.repository(), abuse,
        new com.otporchestrator.abuse.HeldRefunds(platform.pool()));
    new WalletRoutes(platform.wallets(), platform.catalog()).mount(router);
    com.otporchestrator.wallet.Payouts payouts = new com.otporchestrator.wallet.Payouts(platform.pool());
    new WalletOpsRoutes(platform.wallets(), payouts, idempotency).mount(router);
    new ActivationRoutes(platform.purchases(), platform.activations(), idempotency, webhookUrls,
        new com.otporchestrator.activation.ActivationRefunds(platform.activations(), platform.policies()))
        .afterPurchase(abuseRoutes::recordPurchaseAddress).mount(router);
    new BatchRoutes(platform.batchPurchases(), idempotency, webhookUrls).mount(router);
    new WebhookRoutes(new WebhookRepository(platform.pool()), webhookUrls, idempotency).mount(router);
    new ActivationEventRoutes(platform.activations(), push).mount(router);
    new RentalRoutes(platform.rentals(), idempotency, webhookUrls).mount(router);

    router.route("/admin/v1/*").handler(new AdminAuth(platform.config().adminToken()));
    new AdminRoutes(platform.accounts(), platform.wallets(), platform.catalog(), platform.providerRepository(),
        platform.providers(), platform.invariants(), platform.plans()).mount(router);
    new PolicyRoutes(platform.policies()).mount(router);
    new RentalAdminRoutes(platform.rentals(), platform.sandbox()).mount(router);
    new AdminWalletRoutes(payouts,
        new com.otporchestrator.wallet.Terminations(platform.pool()),
        new com.otporchestrator.wallet.ServiceCredits(platform.pool())).mount(router);
    new OutageRoutes(new com.otporchestrator.outage.OutageRepository(platform.pool()),
        outageJob(platform), platform.providers()).mount(router);
    claims.mount(router);
    abuseRoutes.mount(router);

    if (platform.sandbox() != null) new SandboxRoutes(platform.sandbox(), platform.activationRepository()).mount(router);

    router.route().failureHandler(Problems::send);
    router.errorHandler(404, Problems::send);
    router.errorHandler(405, Problems::send);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(platform.config().httpHost())
        .setPort(platform.config().httpPort())
        .setDecompressionSupported(true)
        .setCompressionSupported(true)
        .setMaxFormAttributeSize((int) BODY_LIMIT_BYTES);
    return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> server = s);
  }

  /**
   * Graceful: the listener stops accepting at once, idle connections close, requests in flight get
   * up to SHUTDOWN_DRAIN_MS to finish (event streams end at once: see ActivationEventStream), then
   * whatever is left is closed.
   */
  @Override
  public Future<?> stop() {
    if (server == null) return Future.succeededFuture();
    return server.shutdown(platform.config().lifecycle().shutdownDrain().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The outage refund job of a node, on its stores and settings. */
  static com.otporchestrator.outage.OutageRefundJob outageJob(Platform platform) {
    var refunds = new com.otporchestrator.activation.ScopeRefunds(platform.pool(), platform.timers(),
        platform.activationTimers(), platform.orderEvents(), platform.metrics().meters());
    return new com.otporchestrator.outage.OutageRefundJob(new com.otporchestrator.outage.OutageRepository(platform.pool()),
        refunds, platform.config().routing().outageBatch(), platform.config().routing().outageLease());
  }
}
