package com.otporchestrator.account;

import com.otporchestrator.api.AdminAuth;
import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.Requests;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.ratelimit.PlanRepository;
import com.otporchestrator.wallet.WalletRepository;
import com.otporchestrator.wallet.WalletViews;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;

/** {@code /admin/v1/accounts} and {@code /admin/v1/plans}: open an account, read it with its wallet, suspend it, plans. */
final class AccountRoutes {
  private final AccountRepository accounts;
  private final WalletRepository wallets;
  private final PlanRepository plans;
  private final AccountStatuses statuses;

  AccountRoutes(AccountRepository accounts, WalletRepository wallets, PlanRepository plans, AccountStatuses statuses) {
    this.accounts = accounts;
    this.wallets = wallets;
    this.plans = plans;
    this.statuses = statuses;
  }

  void mount(Router router) {
    router.post("/admin/v1/accounts").handler(this::createAccount);
    router.get("/admin/v1/accounts").handler(this::search);
    router.get("/admin/v1/accounts/:id").handler(this::getAccount);
    router.put("/admin/v1/accounts/:id/status").handler(this::putAccountStatus);
    router.put("/admin/v1/plans/:name").handler(this::putPlan);
    router.put("/admin/v1/accounts/:id/plan").handler(this::assignPlan);
  }

  private void createAccount(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String name = Requests.requiredString(Requests.jsonBody(ctx, Set.of("name")), "name", 200);
      String apiKey = ApiKeys.generate();
      return accounts.create(name, apiKey).map(account -> ApiResponse.json(201, AccountViews.created(account, apiKey)));
    });
  }

  /**
   * {@code ?q=&cursor=&limit=}: accounts by id, API key prefix or name, newest first; {@code limit} 1 to 200 (50 by
   * default), {@code nextCursor} when the page is full.
   */
  private void search(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      AccountRepository.Search search = AccountRepository.Search.of(ctx.request().getParam("q"));
      int limit = Requests.limit(ctx, 50, 200);
      return accounts.search(search, Requests.cursor(ctx), limit)
          .map(list -> ApiResponse.json(200, AccountViews.page(list, limit)));
    });
  }

  private void getAccount(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "account");
      return accounts.findById(id).compose(found -> {
        var account = found.orElseThrow(() -> DomainException.notFound("account " + id + " does not exist"));
        return wallets.wallet(id).map(w -> ApiResponse.json(200, AccountViews.account(account)
            .put("wallet", WalletViews.wallet(w))));
      });
    });
  }

  /**
   * {@code {"status": "active" | "suspended", "until"?: ISO-8601 instant}}: a suspended account may
   * still read, cancel and finish, but not order; {@code until} ends the suspension on its own.
   */
  private void putAccountStatus(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "account");
      JsonObject body = Requests.jsonBody(ctx, Set.of("status", "until"));
      String status = Requests.requiredString(body, "status", 20);
      String untilText = Requests.optionalString(body, "until", 40);
      if (untilText != null && status.equals("active")) throw DomainException.invalid("'until' only goes with suspended");
      Instant untilInstant = Requests.instant("until", untilText);
      OffsetDateTime until = untilInstant == null ? null : OffsetDateTime.ofInstant(untilInstant, ZoneOffset.UTC);
      return statuses.set(id, status, until, AdminAuth.actor(ctx), null)
          .map(account -> ApiResponse.json(200, AccountViews.account(account)));
    });
  }

  private void putPlan(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String name = ctx.pathParam("name");
      if (name == null || !name.matches("[a-z0-9][a-z0-9_-]{0,39}")) throw DomainException.invalid("plan name must match [a-z0-9][a-z0-9_-]{0,39}");
      JsonObject body = Requests.jsonBody(ctx, Set.of("requestsPerSecond", "burst"));
      int rate = Requests.requiredInt(body, "requestsPerSecond", 1, 100_000);
      int burst = Requests.requiredInt(body, "burst", 1, 1_000_000);
      return plans.upsert(name, rate, burst).map(v -> ApiResponse.json(200,
          new JsonObject().put("name", name).put("requestsPerSecond", rate).put("burst", burst)));
    });
  }

  private void assignPlan(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "account");
      String plan = Requests.requiredString(Requests.jsonBody(ctx, Set.of("plan")), "plan", 40);
      return plans.assign(id, plan).map(v -> ApiResponse.json(200, new JsonObject().put("id", id).put("plan", plan)));
    });
  }
}
