package com.otporchestrator.api;

import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.module.PeriodicJob;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;

/**
 * What routes share that belongs to no feature, built once per process: the Idempotency-Key store and admin
 * authentication. (The customer guards, authentication and rate limit, come from the account module, which knows
 * accounts and their plans.)
 */
public final class ApiModule implements FeatureModule {
  private final IdempotencyStore idempotency;
  private final AdminAuth admins;
  private final DecisionLog decisions;

  public ApiModule(Pool pool, String adminToken) {
    this.idempotency = new IdempotencyStore(pool);
    this.admins = new AdminAuth(adminToken);
    this.decisions = new DecisionLog(pool);
  }

  /** Who made the admin decisions whose rows have no "who" column. */
  public DecisionLog decisions() {
    return decisions;
  }

  public IdempotencyStore idempotency() {
    return idempotency;
  }

  /** {@code Authorization: Bearer <ADMIN_TOKEN>}, or 401. */
  public Handler<RoutingContext> admins() {
    return admins;
  }

  /** Forgets expired idempotency keys, a bounded batch after each timer sweep. */
  @Override
  public List<PeriodicJob> periodicJobs() {
    return List.of(PeriodicJob.withTimerSweep("idempotency key purge", idempotency::purgeExpired));
  }
}
