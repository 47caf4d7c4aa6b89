package com.otporchestrator.compat;

import com.otporchestrator.account.AccountModule;
import com.otporchestrator.activation.ActivationModule;
import com.otporchestrator.catalog.CatalogModule;
import com.otporchestrator.delivery.DeliveryModule;
import com.otporchestrator.policy.PolicyModule;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.rental.RentalModule;
import com.otporchestrator.wallet.WalletModule;
import com.otporchestrator.webhook.WebhookModule;
import io.vertx.ext.web.Router;

/**
 * The sms-activate compatible API ({@value CompatRoutes#PATH}): the protocol's actions over our own activations,
 * rentals, wallet and catalog, so that scripts written for sms-activate work by changing the base URL and the key.
 */
public final class CompatModule implements FeatureModule {
  private final CompatRoutes routes;

  public CompatModule(AccountModule accounts, ActivationModule activations, RentalModule rentals, WalletModule wallets,
                      CatalogModule catalog, WebhookModule webhooks, DeliveryModule delivery, PolicyModule policies) {
    this.routes = new CompatRoutes(accounts.authenticator(), activations.purchases(), activations.service(),
        wallets.repository(), catalog.repository(), accounts.rateLimiter(), activations.admission())
        .withRentals(rentals.service(), webhooks.urls())
        .with(new CompatCatalogue(catalog.repository(), delivery.rates(), rentals.service(), policies.policies())::register)
        .with(new CompatOrders(activations.purchases(), activations.service(), catalog.repository())::register)
        .with(CompatUnsupported::register);
  }

  @Override
  public void mount(Router router) {
    routes.mount(router);
  }
}
