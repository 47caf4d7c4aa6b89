package com.otporchestrator.activation;

import com.otporchestrator.api.ApiModule;
import com.otporchestrator.catalog.CatalogModule;
import com.otporchestrator.catalog.CatalogRepository;
import com.otporchestrator.config.AppConfig;
import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.module.PeriodicJob;
import com.otporchestrator.order.Channel;
import com.otporchestrator.policy.PolicyModule;
import com.otporchestrator.routing.ProviderRegistry;
import com.otporchestrator.routing.RoutingModule;
import com.otporchestrator.routing.SmsInbox;
import com.otporchestrator.timer.SweepSource;
import com.otporchestrator.timer.TimerHandler;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.timer.TimerService;
import com.otporchestrator.webhook.WebhookModule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Activations: one number for one code. Purchase (single and batch) with its hold, the order's lifecycle (cancel,
 * finish, retry, expiry), SMS delivery, the supplier-side close and poll timers, refunds of an outage's scope, and the
 * reconciliation of purchases whose outcome the supplier left unknown.
 */
public final class ActivationModule implements FeatureModule {
  private final ActivationRefunds refunds;
  private final ActivationRepository repository;
  private final ActivationTimers timers;
  private final OrderEvents events;
  private final HoldCoalescer holds;
  private final PurchaseAdmission admission;
  private final PurchaseService purchases;
  private final BatchPurchase batches;
  private final ActivationService service;
  private final SmsDelivery smsDelivery;
  private final ScopeRefunds scopeRefunds;
  private final UnknownOutcomeReconciler reconciler;
  private final Map<TimerKind, TimerHandler> timerHandlers;
  private final ActivationRoutes routes;
  private final BatchRoutes batchRoutes;
  private final CatalogRepository catalog;
  /** The account id of the warm-up's rehearsals: account ids start at 1. */
  private static final long NOBODY = -1;

  public ActivationModule(Core core, ApiModule api, RoutingModule routing, CatalogModule catalog, PolicyModule policies,
                          WebhookModule webhooks) {
    AppConfig config = core.config();
    TimerService timerService = core.timers().service();
    ProviderRegistry providers = routing.registry();
    var meters = core.metrics().meters();
    this.repository = new ActivationRepository(core.pool(), meters);
    this.timers = new ActivationTimers(repository, timerService);
    this.events = new OrderEvents();
    this.holds = new HoldCoalescer(repository, timers, config.allocationTimeout());
    this.purchases = new PurchaseService(catalog.repository(), repository, providers, timerService, timers,
        new PurchaseService.Durations(config.activationWindow(), config.cancelDelay(), config.allocationTimeout()), events,
        holds, meters);
    this.batches = new BatchPurchase(purchases);
    this.service = new ActivationService(repository, timers, providers, events);
    this.smsDelivery = new SmsDelivery(repository, events, timerService, meters);
    this.scopeRefunds = new ScopeRefunds(core.pool(), timerService, timers, events, meters);
    this.reconciler = new UnknownOutcomeReconciler(core.pool(), providers);
    this.timerHandlers = Map.of(
        TimerKind.EXPIRE, new ExpiryHandler(repository, timers, events),
        TimerKind.CLOSE, new UpstreamCloseHandler(core.pool(), providers, timerService, timers),
        TimerKind.POLL, new UpstreamPollHandler(core.pool(), providers, smsDelivery, repository, timerService));
    this.admission = new PurchaseAdmission(config.purchasesInFlight());
    this.refunds = new ActivationRefunds(service, policies.policies());
    this.routes = new ActivationRoutes(purchases, service, api.idempotency(), webhooks.urls(), refunds, admission);
    this.catalog = catalog.repository();
    this.batchRoutes = new BatchRoutes(batches, api.idempotency(), webhooks.urls(), admission);
    core.metrics().functionCounter("otp.purchases.rejected", "Purchase requests refused with 503: the node was at PURCHASES_IN_FLIGHT",
        admission, PurchaseAdmission::rejected);
    core.metrics().gauge("otp.purchases.in_flight", "Orders admitted and not yet answered (bounded by PURCHASES_IN_FLIGHT)",
        admission, PurchaseAdmission::inFlight);
    core.metrics().functionCounter("otp.hold.statements", "Hold statements sent (coalesced group commits)", holds,
        HoldCoalescer::statements);
    core.metrics().functionCounter("otp.holds", "Orders held; holds / hold statements is the coalescing ratio", holds,
        HoldCoalescer::holdsRequested);
  }

  /** Each order's refund position under its policy version. */
  public ActivationRefunds refunds() {
    return refunds;
  }

  public ActivationRepository repository() {
    return repository;
  }

  public ActivationService service() {
    return service;
  }

  public PurchaseService purchases() {
    return purchases;
  }

  /** Purchases admitted on this node, and those refused for want of room. */
  public PurchaseAdmission admission() {
    return admission;
  }

  /** Hold statements sent and holds requested: how well concurrent purchases are coalesced. */
  public HoldCoalescer holds() {
    return holds;
  }

  /** Every committed change of an order of this process (event streams and the other pods listen). */
  public OrderEvents events() {
    return events;
  }

  /** Refunds every open order of a scope (an outage) once. */
  public ScopeRefunds scopeRefunds() {
    return scopeRefunds;
  }

  /** An SMS pushed for a phone goes to the open activation holding it. */
  public SmsInbox smsInbox() {
    return (phone, providerId, sms) -> smsDelivery.toPhone(phone, providerId, sms).map(ActivationRepository.SmsStored::activationId);
  }

  /** Tells {@code signals} of every committed purchase and cancel of this process (abuse controls listen). */
  public void signals(OrderSignals signals) {
    purchases.signals(signals);
    service.signals(signals);
  }

  @Override
  public void mount(Router router) {
    routes.mount(router);
    batchRoutes.mount(router);
  }

  @Override
  public Map<TimerKind, TimerHandler> timerHandlers() {
    return timerHandlers;
  }

  /**
   * A purchase of the first pair the catalog sells, for an account that does not exist (the quote and the hold
   * statement, which takes nothing), and that account's order list: the purchase path's code and statements, read
   * and prepared before the node says ready.
   */
  @Override
  public Future<Void> rehearse() {
    return catalog.customerOffers(null, null).compose(offers -> {
      if (offers.isEmpty()) return Future.succeededFuture();
      JsonObject pair = offers.getJsonObject(0);
      PurchaseRequest request = new PurchaseRequest(pair.getString("service"), pair.getInteger("country"), null, null,
          List.of(), null, Channel.API);
      return purchases.rehearse(NOBODY, request).compose(v -> service.list(NOBODY, null, null, 20)).mapEmpty();
    });
  }

  @Override
  public List<SweepSource> sweepSources() {
    return ActivationSweepSources.of(repository);
  }

  /** Purchases whose supplier call ended with an unknown outcome are asked about again. */
  @Override
  public List<PeriodicJob> periodicJobs() {
    return List.of(PeriodicJob.withTimerSweep("unknown outcome reconciliation", reconciler::run));
  }
}
