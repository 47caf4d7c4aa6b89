package com.otporchestrator.claim;

import com.otporchestrator.account.AccountModule;
import com.otporchestrator.api.ApiModule;
import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.policy.PolicyModule;
import com.otporchestrator.timer.SweepSource;
import com.otporchestrator.timer.TimerHandler;
import com.otporchestrator.timer.TimerKind;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;

/**
 * Claims (support tickets on an order): filing under the order's policy version, evidence files, the admin queue and
 * decisions, and the policy's deadlines on the timer engine (a missed resolution deadline applies the policy's remedy).
 */
public final class ClaimModule implements FeatureModule {
  private final ClaimRepository repository;
  private final ClaimService service;
  private final ClaimRoutes routes;
  private final AccountModule accounts;

  public ClaimModule(Core core, ApiModule api, AccountModule accounts, PolicyModule policies) {
    this.repository = new ClaimRepository(core.pool());
    this.service = new ClaimService(repository, policies.policies(), core.timers().service());
    this.routes = new ClaimRoutes(service, api.idempotency());
    this.accounts = accounts;
  }

  public ClaimRepository repository() {
    return repository;
  }

  public ClaimService service() {
    return service;
  }

  /** Evidence uploads have their own body limit, and authenticate and rate-limit before reading a byte of it. */
  @Override
  public void mountBeforeBody(Router router) {
    routes.mountUpload(router, accounts.customerAuth(), accounts.rateLimit());
  }

  @Override
  public void mount(Router router) {
    routes.mount(router);
  }

  @Override
  public Map<TimerKind, TimerHandler> timerHandlers() {
    return Map.of(TimerKind.CLAIM_DEADLINE, ClaimDeadlines.handler(service));
  }

  @Override
  public List<SweepSource> sweepSources() {
    return List.of(ClaimDeadlines.sweepSource(repository));
  }
}
