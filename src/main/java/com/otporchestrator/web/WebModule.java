package com.otporchestrator.web;

import com.otporchestrator.account.AccountModule;
import com.otporchestrator.activation.ActivationModule;
import com.otporchestrator.api.ApiModule;
import com.otporchestrator.catalog.CatalogModule;
import com.otporchestrator.claim.ClaimModule;
import com.otporchestrator.policy.PolicyModule;
import com.otporchestrator.rental.RentalModule;
import com.otporchestrator.rental.RentalRefunds;
import com.otporchestrator.push.PushModule;
import com.otporchestrator.wallet.WalletModule;
import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.module.PeriodicJob;
import com.otporchestrator.store.LuaScript;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * The customer console ({@code /app}) and what every console stands on ({@link WebKit}: pages, sessions, CSRF,
 * password hashing, static assets). Its pages call the same services as the JSON API; no rule lives in a template.
 */
public final class WebModule implements FeatureModule {
  private final WebKit kit;
  private final Logins logins;
  private final CustomerSessions customers;
  private final CustomerPages pages;
  private final LoginRoutes login;
  private final LoginAdminRoutes loginAdmin;
  private final ActivationPages activations;
  private final WalletPages wallet;
  private final PolicyPages policy;
  private final RentalPages rentals;
  private final ClaimPages claims;

  public WebModule(Core core, AccountModule accounts, WalletModule wallets, CatalogModule catalog,
                   ActivationModule activations, PushModule push, RentalModule rentals, ClaimModule claims,
                   PolicyModule policies, ApiModule api, LuaScript bucketScript) {
    CountryNames countries = new CountryNames(catalog.repository());
    this.kit = new WebKit(core.vertx(), core.pool(),
        new LoginThrottle(core.redis(), bucketScript, core.config().redisKeyPrefix()));
    this.logins = new Logins(core.pool());
    this.customers = new CustomerSessions(kit.sessions(), accounts.repository());
    this.pages = new CustomerPages(kit.pages());
    this.login = new LoginRoutes(kit, customers, logins, accounts.repository(), accounts.authenticator(), pages);
    this.loginAdmin = new LoginAdminRoutes(kit, logins);
    this.activations = new ActivationPages(pages, activations.service(), activations.refunds(), activations.purchases(),
        catalog.repository(), wallets.repository(), push, api.idempotency(), countries);
    this.wallet = new WalletPages(pages, wallets.repository());
    this.policy = new PolicyPages(pages, policies.policies());
    this.rentals = new RentalPages(pages, rentals.service(), countries);
    this.claims = new ClaimPages(kit, pages, claims.service(), activations.refunds(), new RentalRefunds(rentals.service()),
        policies.policies());
  }

  /** Sets a customer's console login (dev mode's demo account); the password is hashed on a worker thread. */
  public Future<Void> setCustomerLogin(long accountId, String email, String password) {
    return kit.hashPassword(password).compose(hash -> logins.set(accountId, email, hash));
  }

  /** The shared web foundation, for other consoles. */
  public WebKit kit() {
    return kit;
  }

  @Override
  public void mountBeforeBody(Router router) {
    claims.mountUpload(router, customers);
  }

  @Override
  public void mount(Router router) {
    Assets.mount(router);
    loginAdmin.mount(router);
    kit.guardArea(router, CustomerSessions.PATH);
    login.mount(router);
    router.route(CustomerSessions.PATH).handler(customers);
    router.route(CustomerSessions.PATH + "/*").handler(customers);
    activations.mount(router);
    wallet.mount(router);
    policy.mount(router);
    rentals.mount(router);
    claims.mount(router);
    kit.fallback(router, CustomerSessions.PATH);
  }

  /** Forgets expired sessions, a bounded batch after each timer sweep. */
  @Override
  public List<PeriodicJob> periodicJobs() {
    return List.of(PeriodicJob.withTimerSweep("web session purge", kit.sessions()::purgeExpired));
  }
}
