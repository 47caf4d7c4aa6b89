package com.otporchestrator.wallet;

import com.otporchestrator.ledger.Invariants;
import com.otporchestrator.api.ApiModule;
import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.policy.PolicyModule;
import io.vertx.ext.web.Router;

/**
 * Wallets: balances and their history, deposits, payouts, termination with forfeit, service credits, and the money
 * invariants every node checks.
 */
public final class WalletModule implements FeatureModule {
  private final WalletRepository repository;
  private final Invariants invariants;
  private final Payouts payouts;
  private final Terminations terminations;
  private final ServiceCredits credits;
  private final WalletRoutes routes;
  private final WalletAdminRoutes adminRoutes;

  public WalletModule(Core core, ApiModule api, PolicyModule policies) {
    this.repository = new WalletRepository(core.pool(), core.config().limits().maxWalletBalance());
    this.invariants = new Invariants(core.pool());
    this.payouts = new Payouts(core.pool(), policies.policies());
    this.terminations = new Terminations(core.pool());
    this.credits = new ServiceCredits(core.pool());
    this.routes = new WalletRoutes(repository, payouts, api.idempotency());
    this.adminRoutes = new WalletAdminRoutes(repository, invariants, payouts, terminations, credits);
  }

  public WalletRepository repository() {
    return repository;
  }

  /** The money invariants (balance equals the ledger, conservation, one terminal money event per order...). */
  public Invariants invariants() {
    return invariants;
  }

  public Payouts payouts() {
    return payouts;
  }

  public Terminations terminations() {
    return terminations;
  }

  /**
   * Who is told, after the commit, that an account's status changed here: terminated, or closed by the payout that
   * let it leave the platform (its API keys must act on it at once).
   */
  public void onAccountStatusChange(java.util.function.LongConsumer listener) {
    terminations.onTerminated(listener);
    payouts.onAccountClosed(listener);
  }

  @Override
  public void mount(Router router) {
    routes.mount(router);
    adminRoutes.mount(router);
  }
}
