package com.otporchestrator.delivery;

import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.module.PeriodicJob;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;

/** Delivery rates from real outcomes: kept by a batched job, read by routing (SQL), the catalogue and the APIs. */
public final class DeliveryModule implements FeatureModule {
  private static final Duration REFRESH = Duration.ofSeconds(30);

  private final DeliveryRates rates;
  private final DeliveryRoutes routes;

  public DeliveryModule(Core core) {
    this.rates = new DeliveryRates(core.pool());
    this.routes = new DeliveryRoutes(rates);
  }

  public DeliveryRates rates() {
    return rates;
  }

  @Override
  public void mount(Router router) {
    routes.mount(router);
  }

  /** Two statements every {@link #REFRESH} on timer nodes; safe on several at once (the watermark row serialises them). */
  @Override
  public List<PeriodicJob> periodicJobs() {
    return List.of(PeriodicJob.timersNodes("delivery rates", Duration.ofSeconds(5), REFRESH,
        () -> rates.refresh(DeliveryRates.LAG)));
  }
}
