package com.otporchestrator.outage;

import com.otporchestrator.activation.ActivationModule;
import com.otporchestrator.api.DecisionLog;
import com.otporchestrator.config.AppConfig.RoutingSettings;
import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.module.PeriodicJob;
import com.otporchestrator.rental.RentalModule;
import com.otporchestrator.routing.RoutingModule;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outages: a supplier's breaker opening records a suspected outage; an admin declares or confirms one, and the refund
 * job (one per process, run by timers nodes and kicked by the admin routes) refunds every open order of its scope once.
 */
public final class OutageModule implements FeatureModule {
  private static final Logger LOG = LoggerFactory.getLogger(OutageModule.class);

  private final OutageRepository repository;
  private final OutageRefundJob job;
  private final OutageDecisions decisions;
  private final OutageRoutes routes;
  private final Duration poll;

  public OutageModule(Core core, RoutingModule routing, ActivationModule activations, RentalModule rentals) {
    RoutingSettings settings = core.config().routing();
    this.repository = new OutageRepository(core.pool());
    this.job = new OutageRefundJob(repository, activations.scopeRefunds(), rentals.service(), settings.outageBatch(),
        settings.outageLease());
    this.decisions = new OutageDecisions(repository, job, new DecisionLog(core.pool()));
    this.routes = new OutageRoutes(repository, decisions);
    this.poll = settings.outagePoll();
    routing.health().onOpen(providerId -> repository.suspect(providerId, "circuit breaker opened")
        .onFailure(error -> LOG.warn("could not record the suspected outage of supplier {}: {}", providerId, error.toString())));
  }

  public OutageRepository repository() {
    return repository;
  }

  /** Declare, confirm, dismiss: recording who decided. */
  public OutageDecisions decisions() {
    return decisions;
  }

  /** The process's one refund job: a run already going makes another run a no-op. */
  public OutageRefundJob job() {
    return job;
  }

  @Override
  public void mount(Router router) {
    routes.mount(router);
  }

  @Override
  public List<PeriodicJob> periodicJobs() {
    return List.of(PeriodicJob.timersNodes("outage refunds", poll, poll, job::run));
  }
}
