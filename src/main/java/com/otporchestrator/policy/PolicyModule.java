package com.otporchestrator.policy;

import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/** Refund policies: the published versions, the one in force for new orders, and the admin routes that manage them. */
public final class PolicyModule implements FeatureModule {
  private final Policies policies;
  private final PolicyRoutes routes;
  private final CustomerPolicyRoutes customerRoutes;

  public PolicyModule(Core core) {
    this.policies = new Policies(core.vertx(), core.pool());
    this.routes = new PolicyRoutes(policies);
    this.customerRoutes = new CustomerPolicyRoutes(policies);
  }

  public Policies policies() {
    return policies;
  }

  /** Publishes the bundled presets and puts {@code defaultPolicyId} in force if no policy is yet (once per database). */
  public Future<Void> bootstrap(String defaultPolicyId) {
    return policies.bootstrap(defaultPolicyId);
  }

  @Override
  public void mount(Router router) {
    routes.mount(router);
    customerRoutes.mount(router);
  }
}
