package com.otporchestrator.wallet;

import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.CustomerAuth;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.IdempotencyStore;
import com.otporchestrator.api.Requests;
import com.otporchestrator.api.Views;
import com.otporchestrator.common.DomainException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/wallet}: the customer's balance, the filtered transaction history (JSON pages or CSV export) and payout
 * requests when leaving the platform.
 */
final class WalletRoutes {
  static final int CSV_MAX_ROWS = 10_000;
  private static final Set<String> PAYOUT_FIELDS = Set.of("amount", "destination");

  private final WalletRepository wallets;
  private final Payouts payouts;
  private final IdempotencyStore idempotency;

  WalletRoutes(WalletRepository wallets, Payouts payouts, IdempotencyStore idempotency) {
    this.wallets = wallets;
    this.payouts = payouts;
    this.idempotency = idempotency;
  }

  void mount(Router router) {
    router.get("/v1/wallet").handler(this::wallet);
    router.get("/v1/wallet/transactions").handler(this::transactions);
    router.get("/v1/wallet/transactions.csv").handler(this::csv);
    router.post("/v1/wallet/payouts").handler(this::requestPayout);
    router.get("/v1/wallet/payouts").handler(this::listPayouts);
  }

  private void wallet(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> wallets.wallet(CustomerAuth.account(ctx).id())
        .map(w -> ApiResponse.json(200, WalletViews.wallet(w))));
  }

  private void transactions(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      HistoryFilter filter = filter(ctx);
      int limit = Requests.limit(ctx, 50, 500);
      return wallets.history(CustomerAuth.account(ctx).id(), filter, Requests.cursor(ctx), limit).map(page -> {
        Long next = page.size() == limit ? page.get(page.size() - 1).entry().id() : null;
        return ApiResponse.json(200, Views.page(page.stream().map(WalletViews::historyEntry).toList(), next));
      });
    });
  }

  /** CSV export, at most {@value #CSV_MAX_ROWS} rows a request; a {@code Link: rel="next"} header gives the rest. */
  private void csv(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      HistoryFilter filter = filter(ctx);
      int limit = Requests.limit(ctx, CSV_MAX_ROWS, CSV_MAX_ROWS);
      return wallets.history(CustomerAuth.account(ctx).id(), filter, Requests.cursor(ctx), limit).map(page -> {
        ApiResponse response = new ApiResponse(200, "text/csv; charset=utf-8", WalletViews.csv(page), java.util.Map.of())
            .withHeader("Content-Disposition", "attachment; filename=\"transactions.csv\"");
        if (page.size() == limit) {
          String query = ctx.request().query() == null ? "" : ctx.request().query().replaceAll("(^|&)cursor=[^&]*", "");
          String sep = query.isEmpty() || query.startsWith("&") ? "" : "&";
          response = response.withHeader("Link", "</v1/wallet/transactions.csv?" + query.replaceFirst("^&", "") + sep
              + "cursor=" + page.get(page.size() - 1).entry().id() + ">; rel=\"next\"");
        }
        return response;
      });
    });
  }

  private void requestPayout(RoutingContext ctx) {
    Endpoints.respondOnce(ctx, idempotency, () -> {
      JsonObject body = Requests.jsonBody(ctx, PAYOUT_FIELDS);
      Long amount = Requests.optionalUsd(ctx, body, "amount");
      String destination = Requests.requiredString(body, "destination", 200);
      return payouts.request(CustomerAuth.account(ctx).id(), amount, destination)
          .map(p -> ApiResponse.json(201, WalletViews.payout(p)).withHeader("Location", "/v1/wallet/payouts/" + p.id()));
    });
  }

  private void listPayouts(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      int limit = Requests.limit(ctx, 50, 500);
      return payouts.list(CustomerAuth.account(ctx).id(), null, Requests.cursor(ctx), limit).map(page -> {
        Long next = page.size() == limit ? page.get(page.size() - 1).id() : null;
        return ApiResponse.json(200, Views.page(page.stream().map(WalletViews::payout).toList(), next));
      });
    });
  }

  static HistoryFilter filter(RoutingContext ctx) {
    String kindParam = ctx.request().getParam("kind");
    List<String> kinds = kindParam == null || kindParam.isEmpty() ? List.of() : Arrays.asList(kindParam.split(",", -1));
    for (String k : kinds) {
      if (!HistoryFilter.KINDS.contains(k)) {
        throw DomainException.invalid("'kind' must be a comma-separated list of " + String.join(", ", HistoryFilter.KINDS));
      }
    }
    OffsetDateTime from = instant(ctx, "from");
    OffsetDateTime to = instant(ctx, "to");
    if (from != null && to != null && !from.isBefore(to)) throw DomainException.invalid("'from' must be before 'to'");
    String order = ctx.request().getParam("orderId");
    if (order != null && !order.matches("\\d{1,18}")) throw DomainException.invalid("'orderId' must be an order id");
    return new HistoryFilter(kinds, from, to, order == null ? null : Long.valueOf(order));
  }

  static OffsetDateTime instant(RoutingContext ctx, String name) {
    Instant instant = Requests.instant(name, ctx.request().getParam(name));
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
