package com.otporchestrator.rental;

import com.otporchestrator.api.ApiModule;
import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.policy.PolicyModule;
import com.otporchestrator.routing.RoutingModule;
import com.otporchestrator.routing.SmsInbox;
import com.otporchestrator.timer.SweepSource;
import com.otporchestrator.timer.TimerHandler;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.webhook.WebhookModule;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;

/**
 * Rentals: a number for hours, with every SMS it receives. Purchase with its hold, cancel inside the cancel window,
 * finish early, extend, the end of the rental on the timer engine, incidents (a number that died), and the admin's
 * per-hour offers.
 */
public final class RentalModule implements FeatureModule {
  private final RentalRepository repository;
  private final RentalTimers timers;
  private final RentalService service;
  private final RentalTimerHandler timerHandler;
  private final RentalCloseHandler closeHandler;
  private final RentalRoutes routes;
  private final RentalAdminRoutes adminRoutes;

  public RentalModule(Core core, ApiModule api, RoutingModule routing, PolicyModule policies, WebhookModule webhooks) {
    this.repository = new RentalRepository(core.pool(), core.metrics().meters());
    this.timers = new RentalTimers(repository, core.timers().service());
    this.service = new RentalService(repository, timers, core.timers().service(), routing.registry(), policies.policies(),
        core.config().rentals(), core.config().allocationTimeout());
    this.timerHandler = new RentalTimerHandler(repository, timers);
    this.closeHandler = new RentalCloseHandler(repository, timers, routing.registry());
    this.routes = new RentalRoutes(service, new RentalRefunds(service), api.idempotency(), webhooks.urls());
    this.adminRoutes = new RentalAdminRoutes(service);
  }

  public RentalRepository repository() {
    return repository;
  }

  public RentalService service() {
    return service;
  }

  /** An SMS pushed for a phone goes to the active rental holding it. */
  public SmsInbox smsInbox() {
    return (phone, providerId, sms) -> service.deliver(phone, providerId, sms).map(RentalRepository.SmsStored::rentalId);
  }

  @Override
  public void mount(Router router) {
    routes.mount(router);
    adminRoutes.mount(router);
  }

  @Override
  public Map<TimerKind, TimerHandler> timerHandlers() {
    return Map.of(TimerKind.RENTAL, timerHandler, TimerKind.RENTAL_CLOSE, closeHandler);
  }

  @Override
  public List<SweepSource> sweepSources() {
    return List.of(RentalTimerHandler.sweepSource(repository), RentalCloseHandler.sweepSource(repository));
  }
}
