package com.otporchestrator.account;

import com.otporchestrator.api.CustomerAuth;
import com.otporchestrator.api.DecisionLog;
import com.otporchestrator.api.RateLimitHandler;
import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.ratelimit.PlanRepository;
import com.otporchestrator.ratelimit.RateLimiter;
import com.otporchestrator.store.LuaScript;
import com.otporchestrator.wallet.WalletModule;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Accounts: who a customer is (API keys, status) and how fast it may call (rate-limit plans). It gives the HTTP front
 * its two customer guards, authentication and the rate limit, and serves the admin routes that open, read and suspend
 * accounts and set their plans.
 */
public final class AccountModule implements FeatureModule {
  private final AccountRepository repository;
  private final Authenticator authenticator;
  private final PlanRepository plans;
  private final RateLimiter rateLimiter;
  private final CustomerAuth customerAuth;
  private final RateLimitHandler rateLimit;
  private final AccountRoutes routes;
  private final Revocations revocations;
  private final AccountStatuses statuses;

  /** @param rateLimitScript the token bucket script, loaded by the caller */
  public AccountModule(Core core, WalletModule wallets, LuaScript rateLimitScript) {
    this.repository = new AccountRepository(core.pool());
    this.authenticator = new Authenticator(repository);
    this.revocations = new Revocations(authenticator, core.redis(), core.config().redisUrl(), core.config().redisKeyPrefix());
    this.plans = new PlanRepository(core.pool());
    this.rateLimiter = new RateLimiter(core.redis(), rateLimitScript, plans, core.config().redisKeyPrefix());
    this.customerAuth = new CustomerAuth(authenticator::authenticate);
    this.rateLimit = new RateLimitHandler(rateLimiter);
    this.statuses = new AccountStatuses(repository, revocations, new DecisionLog(core.pool()));
    this.routes = new AccountRoutes(repository, wallets.repository(), plans, statuses);
  }

  public AccountRepository repository() {
    return repository;
  }

  /** API key to account, cached briefly per event loop (the compatible API authenticates with it too). */
  public Authenticator authenticator() {
    return authenticator;
  }

  /** Status changes acting at once on every node (the key cache forgets the account). */
  public Revocations revocations() {
    return revocations;
  }

  /** Suspend and reactivate, recording who decided. */
  public AccountStatuses statuses() {
    return statuses;
  }

  public RateLimiter rateLimiter() {
    return rateLimiter;
  }

  /** {@code Authorization: Bearer <api key>} to the calling account, or 401. */
  public Handler<RoutingContext> customerAuth() {
    return customerAuth;
  }

  /** One token of the caller's bucket per request, or 429; runs after {@link #customerAuth()}. */
  public Handler<RoutingContext> rateLimit() {
    return rateLimit;
  }

  @Override
  public void mount(Router router) {
    routes.mount(router);
  }
}
