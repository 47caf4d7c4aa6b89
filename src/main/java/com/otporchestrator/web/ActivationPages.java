package com.otporchestrator.web;

import com.otporchestrator.account.Account;
import com.otporchestrator.activation.Activation;
import com.otporchestrator.activation.ActivationRefunds;
import com.otporchestrator.activation.ActivationService;
import com.otporchestrator.activation.PurchaseRequest;
import com.otporchestrator.activation.PurchaseService;
import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.ClientAddress;
import com.otporchestrator.api.IdempotencyStore;
import com.otporchestrator.catalog.CatalogRepository;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.Money;
import com.otporchestrator.order.Channel;
import com.otporchestrator.push.PushModule;
import com.otporchestrator.wallet.WalletRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The customer's activations: the cards of open orders (live over server-sent events), one order's page, buying a
 * number, and cancel, finish and "another code". Each calls the service the JSON API calls.
 */
final class ActivationPages {
  private static final String DEFAULT_SERVICE = "tg";

  private final CustomerPages pages;
  private final ActivationService activations;
  private final ActivationRefunds refunds;
  private final PurchaseService purchases;
  private final CatalogRepository catalog;
  private final WalletRepository wallets;
  private final PushModule push;
  private final IdempotencyStore once;
  private final CountryNames countries;

  ActivationPages(CustomerPages pages, ActivationService activations, ActivationRefunds refunds,
                  PurchaseService purchases, CatalogRepository catalog, WalletRepository wallets, PushModule push,
                  IdempotencyStore once, CountryNames countries) {
    this.once = once;
    this.countries = countries;
    this.pages = pages;
    this.activations = activations;
    this.refunds = refunds;
    this.purchases = purchases;
    this.catalog = catalog;
    this.wallets = wallets;
    this.push = push;
  }

  void mount(Router router) {
    router.get("/app").handler(this::home);
    router.get("/app/buy").handler(this::buyPage);
    router.post("/app/buy").handler(this::buy);
    router.get("/app/activations/:id").handler(this::detail);
    router.get("/app/activations/:id/events").handler(this::events);
    router.post("/app/activations/:id/cancel").handler(ctx -> act(ctx, activations::cancel, "Cancelled: the price is back in your wallet."));
    router.post("/app/activations/:id/finish").handler(ctx -> act(ctx, activations::finish, "Finished."));
    router.post("/app/activations/:id/retry").handler(ctx -> act(ctx, activations::retry, "Asked for another code."));
  }

  private void home(RoutingContext ctx) {
    Account account = CustomerSessions.account(ctx);
    Instant now = Instant.now();
    activations.live(account.id(), 100)
        .compose(live -> Future.all(live.stream().map(a -> refunds.position(a.id(), account.id(), now)).toList())
            .map(all -> all.<ActivationRefunds.Position>list().stream().map(p -> ActivationCard.of(p, now, countries)).toList()))
        .compose(cards -> wallets.wallet(account.id()).map(w -> {
          pages.render(ctx, pages.page(ctx, "Activations", "/app"), "app/home.jte", "cards", cards,
              "balance", Money.format(w.balance()));
          return null;
        }))
        .onFailure(ctx::fail);
  }

  private void detail(RoutingContext ctx) {
    long id = orderId(ctx);
    if (id < 0) return;
    Instant now = Instant.now();
    refunds.position(id, CustomerSessions.account(ctx).id(), now)
        .onSuccess(p -> pages.render(ctx, pages.page(ctx, "Activation #" + id, "/app"), "app/activation.jte",
            "card", ActivationCard.of(p, now, countries)))
        .onFailure(ctx::fail);
  }

  /**
   * The order's card as server-sent events for htmx: {@code card} with the card's HTML on every change, then
   * {@code done} after a final state (the page's {@code sse-close="done"} stops reconnecting).
   */
  private void events(RoutingContext ctx) {
    long id = orderId(ctx);
    if (id < 0) return;
    long accountId = CustomerSessions.account(ctx).id();
    String csrf = Csrf.token(ctx);
    refunds.position(id, accountId, Instant.now()).onSuccess(first -> push.stream(ctx, id, accountId, order -> {
      Instant now = Instant.now();
      ActivationCard card = ActivationCard.of(ActivationRefunds.position(order, first.policy(), now), now, countries);
      String html = pages.pages().fragment("app/card.jte", java.util.Map.of("card", card, "csrf", csrf));
      StringBuilder event = new StringBuilder("event: card\n");
      html.lines().forEach(line -> event.append("data: ").append(line).append('\n'));
      event.append('\n');
      if (!order.state().open()) event.append("event: done\ndata: closed\n\n");
      return event.toString();
    })).onFailure(ctx::fail);
  }

  private void buyPage(RoutingContext ctx) {
    showBuy(ctx, 200, null);
  }

  private void showBuy(RoutingContext ctx, int status, String error) {
    String service = ctx.request().getParam("service");
    if (service == null || !service.matches("[a-z0-9_]{1,20}")) service = DEFAULT_SERVICE;
    String chosen = service;
    long accountId = CustomerSessions.account(ctx).id();
    catalog.services().compose(services -> catalog.customerOffers(chosen, null).compose(offers ->
        wallets.wallet(accountId).map(w -> {
          List<JsonObject> rows = offers.stream().map(o -> (JsonObject) o).toList();
          pages.render(ctx, status, pages.page(ctx, "Buy a number", "/app/buy"), "app/buy.jte", "services", services,
              "service", chosen, "offers", rows, "balance", Money.format(w.balance()), "error", error,
              "attempt", Sessions.randomToken());
          return null;
        }))).onFailure(ctx::fail);
  }

  /** Buys at the price the page showed at most (maxPrice), through the web channel. */
  private void buy(RoutingContext ctx) {
    Account account = CustomerSessions.account(ctx);
    PurchaseRequest request;
    try {
      if (!account.active()) throw new DomainException(DomainException.Kind.FORBIDDEN, "this account is suspended");
      String service = ctx.request().getFormAttribute("service");
      String country = ctx.request().getFormAttribute("country");
      String maxPrice = ctx.request().getFormAttribute("maxPrice");
      if (service == null || !service.matches("[a-z0-9_]{1,20}") || country == null || !country.matches("\\d{1,6}")) {
        throw DomainException.invalid("choose a service and a country from the list");
      }
      request = new PurchaseRequest(service, Integer.parseInt(country),
          maxPrice == null || maxPrice.isBlank() ? null : Money.parseUsd(maxPrice), null, List.of(), null, Channel.WEB)
          .from(ClientAddress.of(ctx));
    } catch (DomainException | IllegalArgumentException e) {
      showBuy(ctx, 400, e.getMessage());
      return;
    }
    // A double click, or the form sent again from the browser's history, buys once: each rendering of the page gives
    // its forms an attempt token, and the purchase runs at most once per (account, token, offer), like an API call with
    // an Idempotency-Key; a repeat shows the first outcome.
    String attempt = ctx.request().getFormAttribute("attempt");
    String key = attempt == null || !attempt.matches("[A-Za-z0-9_-]{16,64}") ? null
        : "web-buy:" + attempt + ":" + request.service() + ":" + request.country();
    once.run(account.id(), key, "POST /app/buy " + request.service() + " " + request.country() + " " + request.maxPrice(),
            "/app/buy", () -> purchases.purchase(account.id(), request).map(order -> ApiResponse.json(201, new JsonObject()
                .put("id", order.id()).put("phone", order.phone()).put("price", Money.format(order.price())))))
        .onSuccess(outcome -> {
          if (outcome.status() == 201) {
            JsonObject order = new JsonObject(outcome.body());
            redirect(ctx, "/app", "Bought +" + order.getString("phone") + " for $" + order.getString("price")
                + ": the code will appear on its card.");
          } else if (outcome.status() < 500) {
            showBuy(ctx, outcome.status() == 400 ? 400 : 409, new JsonObject(outcome.body()).getString("detail"));
          } else {
            ctx.fail(outcome.status());
          }
        })
        .onFailure(e -> {
          if (e instanceof DomainException d) showBuy(ctx, 409, d.kind() == DomainException.Kind.IDEMPOTENCY_IN_PROGRESS
              ? "This purchase is already on its way: it will appear among your activations." : d.getMessage());
          else ctx.fail(e);
        });
  }

  private void act(RoutingContext ctx, BiFunction<Long, Long, Future<Activation>> action, String done) {
    long id = orderId(ctx);
    if (id < 0) return;
    action.apply(id, CustomerSessions.account(ctx).id())
        .onSuccess(order -> redirect(ctx, "/app/activations/" + id, done))
        .onFailure(ctx::fail);
  }

  /** The order id of the path, or -1 after answering the 404 page (an id that cannot exist). */
  private long orderId(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    if (raw == null || !raw.matches("[1-9]\\d{0,17}")) {
      pages.pages().notFound(ctx);
      return -1;
    }
    return Long.parseLong(raw);
  }

  static void redirect(RoutingContext ctx, String path, String notice) {
    String location = notice == null ? path : path + (path.contains("?") ? "&" : "?") + "done="
        + URLEncoder.encode(notice, StandardCharsets.UTF_8);
    ctx.response().putHeader("Location", location).setStatusCode(303).end();
  }
}
