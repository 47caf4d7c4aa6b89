package com.otporchestrator.dev;

import com.otporchestrator.account.AccountRepository;
import com.otporchestrator.catalog.CatalogRepository;
import com.otporchestrator.catalog.Offer;
import com.otporchestrator.common.Money;
import com.otporchestrator.rental.RentalRepository;
import com.otporchestrator.sandbox.SandboxSetup;
import com.otporchestrator.upstream.Countries;
import com.otporchestrator.wallet.WalletRepository;
import com.otporchestrator.web.WebModule;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Dev data: sandbox offers for every seeded service and country, and a funded demo account. */
public final class DevSeed {
  private static final Map<String, String> PRICES = Map.of("tg", "0.80", "wa", "0.90", "go", "0.40", "ig", "0.35",
      "fb", "0.30", "dr", "0.60");
  private static final String DEFAULT_PRICE = "0.25";
  private static final String RENT_FULL_HOURLY = "0.15";
  private static final String RENT_TG_HOURLY = "0.06";
  private static final String DEMO_DEPOSIT = "100.00";
  /** The demo account's customer console login (printed in the dev banner). */
  static final String DEMO_EMAIL = "demo@example.com";
  static final String DEMO_PASSWORD = "demo-password";

  private DevSeed() {}

  /** Where the dev data goes: the node's own repositories. */
  public record Stores(CatalogRepository catalog, RentalRepository rentals, AccountRepository accounts,
                       WalletRepository wallets, WebModule web) {}

  static Future<Void> seed(Stores stores, String demoKey) {
    return offers(stores).compose(v -> demoAccount(stores, demoKey));
  }

  private static Future<Void> offers(Stores stores) {
    List<Future<?>> all = new ArrayList<>();
    for (int country : Countries.smshubNames().keySet()) {
      for (String service : List.of("tg", "wa", "go", "fb", "ig", "vk", "ok", "tw", "ds", "am", "mm", "oi", "lf", "dr", "ot")) {
        long price = Money.parseUsd(PRICES.getOrDefault(service, DEFAULT_PRICE));
        all.add(stores.catalog().upsertOffer(new Offer(service, country, SandboxSetup.PROVIDER_ID, price, price * 6 / 10, 0), null));
      }
    }
    return Future.all(all).compose(v -> rentOffers(stores));
  }

  /**
   * Sandbox rentals in every country, priced per hour like the market's: the whole number ("full") at $0.15 an hour
   * ($3.60 a day), Telegram only at $0.06 ($1.44 a day); the supplier's cost is 60 % of it.
   */
  private static Future<Void> rentOffers(Stores stores) {
    List<Future<?>> all = new ArrayList<>();
    long full = Money.parseUsd(RENT_FULL_HOURLY);
    long telegram = Money.parseUsd(RENT_TG_HOURLY);
    for (int country : Countries.smshubNames().keySet()) {
      all.add(stores.rentals().upsertOffer(SandboxSetup.PROVIDER_ID, country, "full", full, full * 6 / 10, 100, null));
      all.add(stores.rentals().upsertOffer(SandboxSetup.PROVIDER_ID, country, "tg", telegram, telegram * 6 / 10, 100, null));
    }
    return Future.all(all).mapEmpty();
  }

  private static Future<Void> demoAccount(Stores stores, String demoKey) {
    return stores.accounts().findByApiKey(demoKey).compose(found -> found.isPresent()
            ? Future.succeededFuture(found.get())
            : stores.accounts().create("demo", demoKey))
        .compose(account -> stores.wallets().deposit(account.id(), Money.parseUsd(DEMO_DEPOSIT), "dev-demo-initial-deposit")
            .compose(v -> stores.web().setCustomerLogin(account.id(), DEMO_EMAIL, DEMO_PASSWORD)))
        .mapEmpty();
  }
}
