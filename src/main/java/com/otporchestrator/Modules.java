package com.otporchestrator;

import com.otporchestrator.abuse.AbuseModule;
import com.otporchestrator.account.AccountModule;
import com.otporchestrator.activation.ActivationModule;
import com.otporchestrator.api.ApiModule;
import com.otporchestrator.api.Guards;
import com.otporchestrator.catalog.CatalogModule;
import com.otporchestrator.claim.ClaimModule;
import com.otporchestrator.compat.CompatModule;
import com.otporchestrator.config.AppConfig.Role;
import com.otporchestrator.console.ConsoleModule;
import com.otporchestrator.delivery.DeliveryModule;
import com.otporchestrator.lookup.LookupModule;
import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.module.PeriodicJob;
import com.otporchestrator.outage.OutageModule;
import com.otporchestrator.policy.PolicyModule;
import com.otporchestrator.push.PushModule;
import com.otporchestrator.rental.RentalModule;
import com.otporchestrator.routing.RoutingModule;
import com.otporchestrator.sandbox.SandboxModule;
import com.otporchestrator.staff.PasswordHasher;
import com.otporchestrator.staff.StaffModule;
import com.otporchestrator.store.LuaScript;
import com.otporchestrator.timer.SweepSource;
import com.otporchestrator.timer.TimerHandler;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.wallet.WalletModule;
import com.otporchestrator.web.WebModule;
import com.otporchestrator.webhook.WebhookModule;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The composition root: every feature module of one process, each built once, in dependency order (a module receives
 * the modules it uses, which are built before it). Nothing else in the code base builds a service: the HTTP verticles
 * (one per event loop) mount these modules' routes, the timer engine fires their handlers, the node runs their jobs.
 */
public final class Modules {
  private final ApiModule api;
  private final RoutingModule routing;
  private final PolicyModule policies;
  private final WalletModule wallets;
  private final AccountModule accounts;
  private final CatalogModule catalog;
  private final DeliveryModule delivery;
  private final WebhookModule webhooks;
  private final ActivationModule activations;
  private final PushModule push;
  private final RentalModule rentals;
  private final ClaimModule claims;
  private final AbuseModule abuse;
  private final OutageModule outages;
  private final CompatModule compat;
  private final SandboxModule sandbox;
  private final StaffModule staff;
  private final LookupModule lookup;
  private final WebModule web;
  private final ConsoleModule console;

  /** The Lua scripts modules run in Redis, loaded before anything is built. */
  public record Scripts(LuaScript rateLimit, LuaScript abuseWindow) {}

  Modules(Core core, Scripts scripts) {
    api = new ApiModule(core.pool(), core.config().adminToken());
    routing = new RoutingModule(core);
    policies = new PolicyModule(core);
    wallets = new WalletModule(core, api, policies);
    accounts = new AccountModule(core, wallets, scripts.rateLimit());
    // a termination or a payout that closes the account changes its status: its keys act on it at once, on every node
    wallets.onAccountStatusChange(accountId -> accounts.revocations().revoke(accountId));
    catalog = new CatalogModule(core, routing);
    delivery = new DeliveryModule(core);
    // routing weighs offers with the delivery rates: a re-sum changes which offer ranks first
    delivery.rates().onChange(() -> catalog.offersCache().changed());
    webhooks = new WebhookModule(core, api);
    activations = new ActivationModule(core, api, routing, catalog, policies, webhooks);
    push = new PushModule(core, activations);
    rentals = new RentalModule(core, api, routing, policies, webhooks);
    claims = new ClaimModule(core, api, accounts, policies);
    abuse = new AbuseModule(core, accounts, activations, scripts.abuseWindow());
    outages = new OutageModule(core, routing, activations, rentals);
    compat = new CompatModule(accounts, activations, rentals, wallets, catalog, webhooks, delivery, policies);
    lookup = new LookupModule(core);
    sandbox = core.config().runs(Role.SANDBOX) ? new SandboxModule(core.config(), routing, activations, rentals) : null;
    // An SMS a supplier pushes goes to the activation holding the phone, else to the rental holding it.
    routing.deliverPushedSmsTo(List.of(activations.smsInbox(), rentals.smsInbox()));
    web = new WebModule(core, accounts, wallets, catalog, activations, push, rentals, claims, policies, api, scripts.rateLimit());
    staff = new StaffModule(core, PasswordHasher.of(web.kit()::hashPassword, web.kit()::verifyPassword));
    console = new ConsoleModule(web.kit(), new ConsoleModule.Uses(api, staff, claims, accounts, wallets, abuse, outages,
        routing, policies, lookup));
  }

  /** Every module, in the order their routes are mounted. */
  public List<FeatureModule> all() {
    List<FeatureModule> all = new ArrayList<>(List.of(api, routing, compat, accounts, catalog, delivery, wallets,
        activations, webhooks, push, rentals, policies, outages, claims, abuse, staff, lookup));
    if (sandbox != null) all.add(sandbox);
    all.add(web);
    all.add(console);
    return all;
  }

  /** The guards the HTTP front puts before {@code /v1/*} and {@code /admin/v1/*}. */
  public Guards guards() {
    return new Guards(accounts.customerAuth(), accounts.rateLimit(), api.admins());
  }

  /** Every module's timer handlers; a kind fired by two modules is a wiring error. */
  public Map<TimerKind, TimerHandler> timerHandlers() {
    Map<TimerKind, TimerHandler> handlers = new EnumMap<>(TimerKind.class);
    for (FeatureModule module : all()) {
      module.timerHandlers().forEach((kind, handler) -> {
        if (handlers.putIfAbsent(kind, handler) != null) throw new IllegalStateException("two handlers for " + kind);
      });
    }
    return handlers;
  }

  public List<SweepSource> sweepSources() {
    return all().stream().flatMap(module -> module.sweepSources().stream()).toList();
  }

  public List<PeriodicJob> periodicJobs() {
    return all().stream().flatMap(module -> module.periodicJobs().stream()).toList();
  }

  public ApiModule api() {
    return api;
  }

  public RoutingModule routing() {
    return routing;
  }

  public PolicyModule policies() {
    return policies;
  }

  public WalletModule wallets() {
    return wallets;
  }

  public AccountModule accounts() {
    return accounts;
  }

  public CatalogModule catalog() {
    return catalog;
  }

  public DeliveryModule delivery() {
    return delivery;
  }

  public WebhookModule webhooks() {
    return webhooks;
  }

  public ActivationModule activations() {
    return activations;
  }

  public PushModule push() {
    return push;
  }

  public RentalModule rentals() {
    return rentals;
  }

  public ClaimModule claims() {
    return claims;
  }

  public AbuseModule abuse() {
    return abuse;
  }

  public OutageModule outages() {
    return outages;
  }

  public CompatModule compat() {
    return compat;
  }

  public StaffModule staff() {
    return staff;
  }

  public LookupModule lookup() {
    return lookup;
  }

  /** The web consoles' foundation and the customer console. */
  public WebModule web() {
    return web;
  }

  /** The operator console. */
  public ConsoleModule console() {
    return console;
  }

  /** The sandbox supplier's module; null on a node without the sandbox role. */
  public SandboxModule sandbox() {
    return sandbox;
  }
}
