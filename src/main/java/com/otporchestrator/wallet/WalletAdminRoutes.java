package com.otporchestrator.wallet;

import com.otporchestrator.ledger.Invariants;
import com.otporchestrator.api.AdminAuth;
import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.Requests;
import com.otporchestrator.api.Views;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /admin/v1}: deposits, payout decisions, account termination with forfeit (its later credits are forfeited as
 * they come: there is no manual forfeit step), service credits, and the money invariants.
 */
final class WalletAdminRoutes {
  static final int MAX_CREDIT_LINES = 10_000;
  private static final Set<String> PAYOUT_STATES = Set.of("REQUESTED", "APPROVED", "REJECTED");

  private final WalletRepository wallets;
  private final Invariants invariants;
  private final Payouts payouts;
  private final Terminations terminations;
  private final ServiceCredits credits;

  WalletAdminRoutes(WalletRepository wallets, Invariants invariants, Payouts payouts, Terminations terminations,
                    ServiceCredits credits) {
    this.wallets = wallets;
    this.invariants = invariants;
    this.payouts = payouts;
    this.terminations = terminations;
    this.credits = credits;
  }

  void mount(Router router) {
    router.post("/admin/v1/accounts/:id/deposits").handler(this::deposit);
    router.get("/admin/v1/invariants").handler(ctx -> Endpoints.respond(ctx,
        () -> invariants.check().map(result -> ApiResponse.json(200, result))));
    router.get("/admin/v1/payouts").handler(this::listPayouts);
    router.post("/admin/v1/payouts/:id/approve").handler(this::approve);
    router.post("/admin/v1/payouts/:id/reject").handler(this::reject);
    router.post("/admin/v1/accounts/:id/terminate").handler(this::terminate);
    router.post("/admin/v1/service-credits").handler(this::grant);
  }

  private void deposit(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "account");
      JsonObject body = Requests.jsonBody(ctx, Set.of("amount", "reference"));
      long amount = Requests.requiredUsd(ctx, body, "amount");
      String reference = Requests.requiredString(body, "reference", 200);
      return wallets.deposit(id, amount, reference).map(result -> ApiResponse.json(result.replayed() ? 200 : 201,
          new JsonObject().put("entryId", result.entryId()).put("replayed", result.replayed())
              .put("amount", Money.format(amount)).put("wallet", WalletViews.wallet(result.wallet()))));
    });
  }

  private void listPayouts(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String state = ctx.request().getParam("state");
      if (state != null && !PAYOUT_STATES.contains(state)) throw DomainException.invalid("'state' must be one of " + PAYOUT_STATES);
      String account = ctx.request().getParam("accountId");
      if (account != null && !account.matches("\\d{1,18}")) throw DomainException.invalid("'accountId' must be an account id");
      int limit = Requests.limit(ctx, 50, 500);
      return payouts.list(account == null ? null : Long.valueOf(account), state, Requests.cursor(ctx), limit).map(page -> {
        Long next = page.size() == limit ? page.get(page.size() - 1).id() : null;
        return ApiResponse.json(200, Views.page(page.stream().map(WalletViews::payout).toList(), next));
      });
    });
  }

  private void approve(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "payout");
      String note = optionalBodyText(ctx, "note");
      return payouts.approve(id, AdminAuth.actor(ctx), note).map(p -> ApiResponse.json(200, WalletViews.payout(p)));
    });
  }

  private void reject(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "payout");
      String reason = Requests.requiredString(Requests.jsonBody(ctx, Set.of("reason")), "reason", 500);
      return payouts.reject(id, AdminAuth.actor(ctx), reason).map(p -> ApiResponse.json(200, WalletViews.payout(p)));
    });
  }

  private void terminate(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "account");
      String reason = Requests.requiredString(Requests.jsonBody(ctx, Set.of("reason")), "reason", 500);
      return terminations.terminate(id, AdminAuth.actor(ctx), reason).map(r -> ApiResponse.json(200,
          new JsonObject().put("accountId", r.accountId()).put("status", "terminated")
              .put("forfeited", Money.format(r.forfeited())).put("currency", "USD")));
    });
  }

  /**
   * {@code {"reason", "outageRef"?, "outageId"?, "orders": [{"orderId", "amount"}]}}; each order at most once per request.
   */
  private void grant(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      JsonObject body = Requests.jsonBody(ctx, Set.of("reason", "outageRef", "outageId", "orders"));
      String reason = Requests.requiredString(body, "reason", 500);
      String outageRef = Requests.optionalString(body, "outageRef", 100);
      Long outageId = null;
      if (body.getValue("outageId") != null) {
        if (!(body.getValue("outageId") instanceof Number n) || n.longValue() <= 0 || n.doubleValue() != n.longValue()) {
          throw DomainException.invalid("'outageId' must be an outage id");
        }
        outageId = n.longValue();
      }
      List<ServiceCredits.Line> lines = lines(ctx, body.getValue("orders"));
      return credits.grant(reason, outageRef, outageId, AdminAuth.actor(ctx), lines)
          .map(g -> ApiResponse.json(201, WalletViews.grant(g)));
    });
  }

  private static List<ServiceCredits.Line> lines(RoutingContext ctx, Object raw) {
    if (!(raw instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_CREDIT_LINES) {
      throw DomainException.invalid("'orders' must be an array of 1 to " + MAX_CREDIT_LINES + " {orderId, amount}");
    }
    List<ServiceCredits.Line> lines = new ArrayList<>(array.size());
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject line) || !Set.of("orderId", "amount").containsAll(line.fieldNames())) {
        throw DomainException.invalid("orders[" + i + "] must be {\"orderId\": 123, \"amount\": \"0.50\"}");
      }
      if (!(line.getValue("orderId") instanceof Number n) || n.longValue() <= 0 || n.doubleValue() != n.longValue()) {
        throw DomainException.invalid("orders[" + i + "].orderId must be an order id");
      }
      if (!seen.add(n.longValue())) throw DomainException.invalid("orders[" + i + "]: order " + n.longValue() + " is listed twice");
      lines.add(new ServiceCredits.Line(n.longValue(), Requests.requiredUsd(ctx, line, "amount")));
    }
    return lines;
  }

  private static String optionalBodyText(RoutingContext ctx, String field) {
    String text = Requests.bodyText(ctx);
    if (text == null || text.isBlank()) return null;
    return Requests.optionalString(Requests.jsonBody(ctx, Set.of(field)), field, 500);
  }
}
