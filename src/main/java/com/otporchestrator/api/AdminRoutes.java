package com.otporchestrator.api;

import com.otporchestrator.account.Account;
import com.otporchestrator.account.AccountRepository;
import com.otporchestrator.account.ApiKeys;
import com.otporchestrator.catalog.CatalogRepository;
import com.otporchestrator.catalog.Offer;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.Money;
import com.otporchestrator.upstream.ProviderRecord;
import com.otporchestrator.routing.ProviderRegistry;
import com.otporchestrator.routing.ProviderRepository;
import com.otporchestrator.ratelimit.PlanRepository;
import com.otporchestrator.wallet.Invariants;
import com.otporchestrator.wallet.WalletRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** {@code /admin/v1}: accounts, deposits, suppliers, offers, and the money invariants. */
final class AdminRoutes {
  private final AccountRepository accounts;
  private final WalletRepository wallets;
  private final CatalogRepository catalog;
  private final ProviderRepository providerRepository;
  private final ProviderRegistry providers;
  private final Invariants invariants;
  private final PlanRepository plans;

  AdminRoutes(AccountRepository accounts, WalletRepository wallets, CatalogRepository catalog,
              ProviderRepository providerRepository, ProviderRegistry providers, Invariants invariants,
              PlanRepository plans) {
    this.accounts = accounts;
    this.wallets = wallets;
    this.catalog = catalog;
    this.providerRepository = providerRepository;
    this.providers = providers;
    this.invariants = invariants;
    this.plans = plans;
  }

  void mount(Router router) {
    router.post("/admin/v1/accounts").handler(this::createAccount);
    router.get("/admin/v1/accounts/:id").handler(this::getAccount);
    router.post("/admin/v1/accounts/:id/deposits").handler(this::deposit);
    router.put("/admin/v1/accounts/:id/status").handler(this::putAccountStatus);
    router.put("/admin/v1/providers/:id").handler(this::putProvider);
    router.put("/admin/v1/services/:code").handler(this::putService);
    router.put("/admin/v1/offers").handler(this::putOffer);
    router.put("/admin/v1/plans/:name").handler(this::putPlan);
    router.put("/admin/v1/accounts/:id/plan").handler(this::assignPlan);
    router.get("/admin/v1/invariants").handler(ctx -> Endpoints.respond(ctx,
        () -> invariants.check().map(result -> ApiResponse.json(200, result))));
  }

  private void createAccount(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String name = Requests.requiredString(Requests.jsonBody(ctx, Set.of("name")), "name", 200);
      String apiKey = ApiKeys.generate();
      return accounts.create(name, apiKey).map(account -> ApiResponse.json(201, new JsonObject()
          .put("id", account.id()).put("name", account.name()).put("status", account.status())
          .put("apiKey", apiKey)));
    });
  }

  private void getAccount(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "account");
      return accounts.findById(id).compose(found -> {
        var account = found.orElseThrow(() -> DomainException.notFound("account " + id + " does not exist"));
        return wallets.wallet(id).map(w -> ApiResponse.json(200, accountView(account).put("wallet", Views.wallet(w))));
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
      if (!status.equals("active") && !status.equals("suspended")) {
        throw DomainException.invalid("'status' must be active or suspended");
      }
      String untilText = Requests.optionalString(body, "until", 40);
      if (untilText != null && status.equals("active")) throw DomainException.invalid("'until' only goes with suspended");
      OffsetDateTime until;
      try {
        until = untilText == null ? null : OffsetDateTime.ofInstant(Instant.parse(untilText), ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw DomainException.invalid("'until' must be an ISO-8601 instant such as 2030-01-31T12:00:00Z");
      }
      if (until != null && !until.toInstant().isAfter(Instant.now())) throw DomainException.invalid("'until' must be in the future");
      return accounts.setStatus(id, status, until).compose(updated -> updated.isPresent()
          ? Future.succeededFuture(ApiResponse.json(200, accountView(updated.get())))
          : accounts.findById(id).map(found -> {
              if (found.isEmpty()) throw DomainException.notFound("account " + id + " does not exist");
              throw new DomainException(DomainException.Kind.CONFLICT, "account " + id + " is terminated");
            }));
    });
  }

  private static JsonObject accountView(Account account) {
    return new JsonObject().put("id", account.id()).put("name", account.name()).put("status", account.status())
        .put("suspendedUntil", Views.time(account.suspendedUntil()));
  }

  private void deposit(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "account");
      JsonObject body = Requests.jsonBody(ctx, Set.of("amount", "reference"));
      long amount = Requests.requiredUsd(body, "amount");
      String reference = Requests.requiredString(body, "reference", 200);
      return wallets.deposit(id, amount, reference).map(result -> ApiResponse.json(result.replayed() ? 200 : 201,
          new JsonObject().put("entryId", result.entryId()).put("replayed", result.replayed())
              .put("amount", Money.format(amount)).put("wallet", Views.wallet(result.wallet()))));
    });
  }

  private void putProvider(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String id = ctx.pathParam("id");
      if (id == null || !id.matches("[a-z0-9][a-z0-9_-]{0,39}")) throw DomainException.invalid("provider id must match [a-z0-9][a-z0-9_-]{0,39}");
      JsonObject body = Requests.jsonBody(ctx, Set.of("protocol", "baseUrl", "apiKey", "pushKey", "enabled", "priority",
          "channelsLimit"));
      String protocol = Requests.requiredString(body, "protocol", 20);
      if (!protocol.equals(ProviderRecord.SMSHUB) && !protocol.equals(ProviderRecord.SMS_ACTIVATE)
          && !protocol.equals(ProviderRecord.FIVESIM)) {
        throw DomainException.invalid("'protocol' must be smshub, sms-activate or fivesim");
      }
      String baseUrl = Requests.requiredString(body, "baseUrl", 500);
      if (!baseUrl.matches("https?://.+")) throw DomainException.invalid("'baseUrl' must be an http(s) URL");
      String pushKey = Requests.optionalString(body, "pushKey", 200);
      Object enabled = body.getValue("enabled", true);
      if (!(enabled instanceof Boolean)) throw DomainException.invalid("'enabled' must be a boolean");
      int priority = body.getValue("priority") == null ? 100 : Requests.requiredInt(body, "priority", 0, 10_000);
      Integer channelsLimit = body.getValue("channelsLimit") == null ? null
          : Requests.requiredInt(body, "channelsLimit", 1, 1_000_000);
      ProviderRecord record = new ProviderRecord(id, protocol, baseUrl, Requests.requiredString(body, "apiKey", 500),
          pushKey == null ? null : ApiKeys.hash(pushKey), (Boolean) enabled, priority);
      return providerRepository.upsert(record, channelsLimit).compose(v -> providers.reload())
          .map(v -> ApiResponse.json(200, new JsonObject().put("id", id).put("protocol", protocol)
              .put("baseUrl", baseUrl).put("enabled", enabled).put("priority", priority)
              .put("channelsLimit", channelsLimit)));
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

  private void putService(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String code = ctx.pathParam("code");
      if (code == null || !code.matches("[a-z0-9_]{1,20}")) throw DomainException.invalid("service code must match [a-z0-9_]{1,20}");
      String name = Requests.requiredString(Requests.jsonBody(ctx, Set.of("name")), "name", 100);
      return catalog.upsertService(code, name).map(v -> ApiResponse.json(200, new JsonObject().put("code", code).put("name", name)));
    });
  }

  private void putOffer(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      JsonObject body = Requests.jsonBody(ctx, Set.of("service", "country", "provider", "price", "cost", "stock"));
      Offer offer = new Offer(Requests.requiredString(body, "service", 20), Requests.requiredInt(body, "country", 0, 100_000),
          Requests.requiredString(body, "provider", 40), Requests.requiredUsd(body, "price"),
          body.getValue("cost") == null ? 0 : Requests.requiredUsd(body, "cost"), 0);
      Integer stock = body.getValue("stock") == null ? null : Requests.requiredInt(body, "stock", 0, 10_000_000);
      return catalog.upsertOffer(offer, stock).map(saved -> ApiResponse.json(200, new JsonObject()
          .put("service", saved.service()).put("country", saved.country()).put("provider", saved.providerId())
          .put("price", Money.format(saved.price())).put("cost", Money.format(saved.cost())).put("stock", saved.stock())));
    });
  }
}
