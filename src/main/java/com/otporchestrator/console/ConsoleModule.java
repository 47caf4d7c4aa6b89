package com.otporchestrator.console;

import com.otporchestrator.abuse.AbuseModule;
import com.otporchestrator.account.AccountModule;
import com.otporchestrator.api.ApiModule;
import com.otporchestrator.claim.ClaimModule;
import com.otporchestrator.lookup.LookupModule;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.outage.OutageModule;
import com.otporchestrator.policy.PolicyModule;
import com.otporchestrator.routing.RoutingModule;
import com.otporchestrator.staff.StaffModule;
import com.otporchestrator.wallet.WalletModule;
import com.otporchestrator.web.WebKit;
import io.vertx.ext.web.Router;

/**
 * The operator console ({@code /console}), on the web foundation ({@link WebKit}: layout, sessions, CSRF, error
 * pages): people log in with their own account, every page calls the services the admin API calls, and every action
 * is checked against the person's role ({@link com.otporchestrator.staff.Role}) on the server.
 */
public final class ConsoleModule implements FeatureModule {
  private final WebKit kit;
  private final OperatorSessions sessions;
  private final LoginPages login;
  private final ClaimPages claims;
  private final AccountPages accounts;
  private final MoneyPages money;
  private final OutagePages outages;
  private final SupplierPages suppliers;
  private final PolicyPages policies;

  /** The modules whose services the pages call. */
  public record Uses(ApiModule api, StaffModule staff, ClaimModule claims, AccountModule accounts, WalletModule wallets,
                     AbuseModule abuse, OutageModule outages, RoutingModule routing, PolicyModule policies,
                     LookupModule lookup) {}

  public ConsoleModule(WebKit kit, Uses uses) {
    this.kit = kit;
    Console console = new Console(kit.pages(), new InvariantWatch(uses.wallets().invariants()));
    this.sessions = new OperatorSessions(kit.sessions(), uses.staff().service());
    this.login = new LoginPages(kit.pages(), sessions, uses.staff().service(), kit.logins());
    this.claims = new ClaimPages(console, uses.claims().service());
    this.accounts = new AccountPages(console, uses.accounts().repository(), uses.accounts().statuses(),
        uses.wallets().repository(), uses.wallets().terminations(), uses.lookup().orders(), uses.api().decisions());
    this.money = new MoneyPages(console, uses.wallets().payouts(), uses.abuse().heldRefunds());
    this.outages = new OutagePages(console, uses.outages().repository(), uses.outages().decisions());
    this.suppliers = new SupplierPages(console, uses.routing().suppliers());
    this.policies = new PolicyPages(console, uses.policies().policies());
  }

  @Override
  public void mount(Router router) {
    kit.guardArea(router, OperatorSessions.PATH);
    login.mount(router);
    router.route(OperatorSessions.PATH).handler(sessions);
    router.route(OperatorSessions.PATH + "/*").handler(sessions);
    router.get(OperatorSessions.PATH).handler(ctx -> ctx.response().putHeader("Location", "/console/claims")
        .setStatusCode(303).end());
    claims.mount(router);
    accounts.mount(router);
    money.mount(router);
    outages.mount(router);
    suppliers.mount(router);
    policies.mount(router);
    kit.fallback(router, OperatorSessions.PATH);
  }
}
