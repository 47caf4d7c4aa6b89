package com.otporchestrator.abuse;

import com.otporchestrator.account.AccountModule;
import com.otporchestrator.activation.ActivationModule;
import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.store.LuaScript;
import io.vertx.ext.web.Router;

/**
 * Abuse controls: sliding windows in Redis over every purchase and cancel of this process (and the client address of
 * JSON API purchases), the flags they raise with their evidence, refunds held for review, and the admin routes that
 * set the thresholds and decide.
 */
public final class AbuseModule implements FeatureModule {
  private final AbuseRepository repository;
  private final AbuseMonitor monitor;
  private final HeldRefunds heldRefunds;
  private final AbuseRoutes routes;

  /** @param windowScript the sliding-window script, loaded by the caller */
  public AbuseModule(Core core, AccountModule accounts, ActivationModule activations, LuaScript windowScript) {
    this.repository = new AbuseRepository(core.pool(), accountId -> accounts.revocations().revoke(accountId));
    this.monitor = new AbuseMonitor(core.redis(), windowScript, repository, core.config().redisKeyPrefix());
    this.heldRefunds = new HeldRefunds(core.pool());
    this.routes = new AbuseRoutes(repository, monitor, heldRefunds);
    activations.signals(monitor);
  }

  public AbuseMonitor monitor() {
    return monitor;
  }

  /** Refunds held for review: list, release or deny (the console's queue). */
  public HeldRefunds heldRefunds() {
    return heldRefunds;
  }

  @Override
  public void mount(Router router) {
    routes.mount(router);
  }
}
