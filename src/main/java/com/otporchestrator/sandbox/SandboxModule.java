package com.otporchestrator.sandbox;

import com.otporchestrator.activation.ActivationModule;
import com.otporchestrator.config.AppConfig;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.rental.RentalModule;
import com.otporchestrator.routing.RoutingModule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * The sandbox supplier of a node with the sandbox role (dev mode, tests): a simulated SMSHub agent on its own port,
 * registered as supplier {@value SandboxSetup#PROVIDER_ID}, and the admin routes that make it push an SMS or kill a
 * number.
 */
public final class SandboxModule implements FeatureModule {
  private final AppConfig config;
  private final RoutingModule routing;
  private final SandboxSupplier supplier;
  private final SandboxRoutes routes;

  public SandboxModule(AppConfig config, RoutingModule routing, ActivationModule activations, RentalModule rentals) {
    this.config = config;
    this.routing = routing;
    this.supplier = new SandboxSupplier(SandboxSetup.settings(config));
    this.routes = new SandboxRoutes(supplier, activations.repository(), rentals.service());
  }

  /** The simulated supplier: its counters and the SMS it pushes. */
  public SandboxSupplier supplier() {
    return supplier;
  }

  /** Deploys the supplier and records it as a supplier (other nodes reach it too); answers the deployment id. */
  public Future<String> start(Vertx vertx) {
    return vertx.deployVerticle(supplier).compose(id -> routing.repository()
        .upsert(SandboxSetup.providerRecord(config, supplier.agentUrl())).map(id));
  }

  @Override
  public void mount(Router router) {
    routes.mount(router);
  }
}
