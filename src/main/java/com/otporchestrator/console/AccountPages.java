package com.otporchestrator.console;

import com.otporchestrator.account.AccountRepository;
import com.otporchestrator.account.AccountStatuses;
import com.otporchestrator.api.DecisionLog;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.lookup.OrderLookup;
import com.otporchestrator.staff.Role.Action;
import com.otporchestrator.wallet.HistoryEntry;
import com.otporchestrator.wallet.HistoryFilter;
import com.otporchestrator.wallet.Terminations;
import com.otporchestrator.wallet.WalletRepository;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Orders (by id, phone or account) and accounts (by id, key prefix or name); an account's page with its wallet, latest
 * ledger entries, plan, who decided what about it, and suspend, reactivate and terminate where the role allows.
 */
final class AccountPages {
  static final int PAGE = 50;
  static final int LEDGER_ROWS = 30;
  private final Console console;
  private final AccountRepository accounts;
  private final AccountStatuses statuses;
  private final WalletRepository wallets;
  private final Terminations terminations;
  private final OrderLookup orders;
  private final DecisionLog decisions;

  AccountPages(Console console, AccountRepository accounts, AccountStatuses statuses, WalletRepository wallets,
               Terminations terminations, OrderLookup orders, DecisionLog decisions) {
    this.console = console;
    this.accounts = accounts;
    this.statuses = statuses;
    this.wallets = wallets;
    this.terminations = terminations;
    this.orders = orders;
    this.decisions = decisions;
  }

  void mount(Router router) {
    router.get("/console/orders").handler(this::orders);
    router.get("/console/accounts").handler(this::accounts);
    router.get("/console/accounts/:id").handler(this::account);
    router.post("/console/accounts/:id/suspend").handler(this::suspend);
    router.post("/console/accounts/:id/activate").handler(this::activate);
    router.post("/console/accounts/:id/terminate").handler(this::terminate);
  }

  private void orders(RoutingContext ctx) {
    Console.run(ctx, () -> {
      String q = text(ctx, "q", 40);
      String kind = text(ctx, "kind", 20);
      Long accountId = Console.queryId(ctx, "accountId");
      boolean asked = q != null || accountId != null || kind != null;
      return orders.search(new OrderLookup.Query(q, accountId, kind), Console.queryId(ctx, "before"), PAGE).onSuccess(list ->
          console.show(ctx, 200, "Orders", "/console/orders", "console/orders.jte", "q", q == null ? "" : q,
              "accountId", accountId, "kind", kind, "asked", asked, "orders", list,
              "next", list.size() == PAGE ? list.get(list.size() - 1).id() : null));
    });
  }

  private void accounts(RoutingContext ctx) {
    Console.run(ctx, () -> {
      String q = text(ctx, "q", AccountRepository.Search.MAX_TEXT);
      return accounts.search(AccountRepository.Search.of(q), Console.queryId(ctx, "before"), PAGE).onSuccess(list ->
          console.show(ctx, 200, "Accounts", "/console/accounts", "console/accounts.jte", "q", q == null ? "" : q,
              "accounts", list, "next", list.size() == PAGE ? list.get(list.size() - 1).account().id() : null));
    });
  }


  private void account(RoutingContext ctx) {
    Console.run(ctx, () -> {
      long id = Console.pathId(ctx, "id");
      return accounts.search(new AccountRepository.Search(id, null, null, null), null, 1).compose(found -> {
        if (found.isEmpty() || found.get(0).account().id() != id) throw DomainException.notFound("account " + id);
        AccountRepository.Summary summary = found.get(0);
        Future<List<HistoryEntry>> ledger = wallets.history(id, new HistoryFilter(List.of(), null, null, null), null, LEDGER_ROWS);
        Future<List<DecisionLog.Decision>> decided = decisions.about("account:" + id, 20);
        Future<List<OrderLookup.Found>> recent = orders.search(new OrderLookup.Query(null, id, null), null, 10);
        return Future.all(ledger, decided, recent).onSuccess(all -> {
          String status = summary.account().status();
          boolean live = !status.equals("terminated") && !status.equals("closed");
          ConsoleViews.AccountOffer offer = new ConsoleViews.AccountOffer(live && Console.may(ctx, Action.SUSPEND_ACCOUNT),
              status.equals("suspended") && Console.may(ctx, Action.SUSPEND_ACCOUNT),
              live && Console.may(ctx, Action.TERMINATE_ACCOUNT));
          console.show(ctx, 200, "Account " + id, "/console/accounts", "console/account.jte", "a", summary,
              "ledger", ledger.result(), "decisions", decided.result(), "orders", recent.result(), "offer", offer);
        });
      });
    });
  }

  private void suspend(RoutingContext ctx) {
    Console.run(ctx, () -> {
      Console.require(ctx, Action.SUSPEND_ACCOUNT);
      long id = Console.pathId(ctx, "id");
      String untilText = Console.form(ctx, "until");
      OffsetDateTime until;
      try {
        until = untilText == null ? null : OffsetDateTime.ofInstant(Instant.parse(untilText), ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw DomainException.invalid("'until' is an instant such as 2030-01-31T12:00:00Z, or empty for no end.");
      }
      return statuses.set(id, "suspended", until, Console.person(ctx).actor(), Console.form(ctx, "note"))
          .onSuccess(a -> Console.back(ctx, "/console/accounts/" + id, "suspended"));
    });
  }

  private void activate(RoutingContext ctx) {
    Console.run(ctx, () -> {
      Console.require(ctx, Action.SUSPEND_ACCOUNT);
      long id = Console.pathId(ctx, "id");
      return statuses.set(id, "active", null, Console.person(ctx).actor(), Console.form(ctx, "note"))
          .onSuccess(a -> Console.back(ctx, "/console/accounts/" + id, "activated"));
    });
  }

  private void terminate(RoutingContext ctx) {
    Console.run(ctx, () -> {
      Console.require(ctx, Action.TERMINATE_ACCOUNT);
      long id = Console.pathId(ctx, "id");
      String reason = Console.requiredForm(ctx, "reason", 500);
      return terminations.terminate(id, Console.person(ctx).actor(), reason)
          .onSuccess(r -> Console.back(ctx, "/console/accounts/" + id, "terminated"));
    });
  }

  private static String text(RoutingContext ctx, String name, int max) {
    String value = ctx.request().getParam(name);
    if (value == null || value.isBlank()) return null;
    if (value.length() > max) throw DomainException.invalid("'" + name + "' is longer than " + max + " characters.");
    return value.strip();
  }
}
