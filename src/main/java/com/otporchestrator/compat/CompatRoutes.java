package com.otporchestrator.compat;

import static com.otporchestrator.compat.CompatTokens.refuse;

import com.otporchestrator.account.Account;
import com.otporchestrator.account.Authenticator;
import com.otporchestrator.ratelimit.Decision;
import com.otporchestrator.ratelimit.RateLimiter;
import com.otporchestrator.activation.Activation;
import com.otporchestrator.activation.ActivationService;
import com.otporchestrator.activation.ActivationState;
import com.otporchestrator.activation.PurchaseAdmission;
import com.otporchestrator.activation.PurchaseRequest;
import com.otporchestrator.activation.PurchaseService;
import com.otporchestrator.api.ClientAddress;
import com.otporchestrator.catalog.CatalogRepository;
import com.otporchestrator.catalog.CatalogRepository.Named;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.order.Channel;
import com.otporchestrator.common.Money;
import com.otporchestrator.wallet.WalletRepository;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /stubs/handler_api.php}: the sms-activate protocol over our own services, so that scripts
 * written for sms-activate work by changing only the base URL and the key. GET query parameters or
 * a POST form; every answer is HTTP 200 with a text token or JSON (docs/protocol-details.md). Routes stay
 * thin: money moves only through {@link PurchaseService} and {@link ActivationService}, failures
 * become tokens only in {@link CompatTokens}.
 */
public final class CompatRoutes {
  public static final String PATH = "/stubs/handler_api.php";
  private static final Logger LOG = LoggerFactory.getLogger(CompatRoutes.class);
  /** Hero's largest getActiveActivations page, and its default. */
  static final int ACTIVE_PAGE_MAX = 100;
  private static final int HISTORY_DEFAULT = 50;
  private static final int HISTORY_MAX = 500;

  private final Authenticator authenticator;
  private final PurchaseService purchases;
  private final ActivationService activations;
  private final WalletRepository wallets;
  private final CatalogRepository catalog;
  private final RateLimiter rateLimiter;
  private final PurchaseAdmission admission;
  private final Map<String, Action> actions = new HashMap<>();
  /**
   * The actions that buy a number (or a rental): they take a place among the node's purchases in flight, like
   * {@code POST /v1/activations}, and are refused with 503 beyond it (docs/protocol-details.md, overload).
   */
  static final Set<String> PURCHASES = Set.of("getNumber", "getNumberV2", "getRentNumber", "getExtraActivation",
      "reactivate", "getAdditionalService");

  /** The node is at its bound of purchases in flight: HTTP 503 with Retry-After and the server-error token. */
  private static final class Overloaded extends RuntimeException {
    Overloaded() {
      super(null, null, false, false);
    }
  }

  /** Over the account's rate limit: HTTP 429 with Retry-After and the token RATE_LIMIT (Hero's REST token). */
  private static final class OverRateLimit extends RuntimeException {
    private final Decision decision;

    OverRateLimit(Decision decision) {
      super(null, null, false, false);
      this.decision = decision;
    }
  }

  /** A reply: a text token or a JSON document, always HTTP 200. */
  record Reply(String contentType, String body) {
    static Reply text(String token) {
      return new Reply("text/plain; charset=utf-8", token);
    }

    static Reply json(Object document) {
      String body = document instanceof JsonObject o ? o.encode() : ((JsonArray) document).encode();
      return new Reply("application/json; charset=utf-8", body);
    }
  }

  @FunctionalInterface
  interface Action {
    Future<Reply> run(Account account, Params params);
  }

  public CompatRoutes(Authenticator authenticator, PurchaseService purchases, ActivationService activations,
                      WalletRepository wallets, CatalogRepository catalog, RateLimiter rateLimiter,
                      PurchaseAdmission admission) {
    this.authenticator = authenticator;
    this.purchases = purchases;
    this.activations = activations;
    this.wallets = wallets;
    this.catalog = catalog;
    this.rateLimiter = rateLimiter;
    this.admission = admission;
    actions.put("getBalance", this::balance);
    actions.put("getBalanceAndCashBack", this::balance);
    actions.put("getPrices", this::prices);
    actions.put("getNumbersStatus", this::numbersStatus);
    actions.put("getServicesList", this::servicesList);
    actions.put("getNumber", (account, p) -> buy(account, p).map(a -> Reply.text("ACCESS_NUMBER:" + a.id() + ":" + a.phone())));
    actions.put("getNumberV2", (account, p) -> buy(account, p).map(a -> Reply.json(CompatViews.number(a, p.get("operator")))));
    actions.put("getStatus", (account, p) -> order(account, p).map(a -> Reply.text(CompatViews.status(a))));
    actions.put("getStatusV2", (account, p) -> order(account, p).map(CompatRoutes::statusV2));
    actions.put("getFullSms", (account, p) -> order(account, p).map(a -> Reply.text(CompatViews.fullSms(a))));
    actions.put("getActiveActivations", this::activeActivations);
    actions.put("getHistory", this::history);
    actions.put("setStatus", (account, p) -> setStatus(account, p, p.get("status")));
    // Hero's actions: their refusals take Hero's JSON variant, EARLY_CANCEL_DENIED with info.minActivationTime
    actions.put("finishActivation", CompatOrders.json((account, p) -> setStatus(account, p, "6")));
    actions.put("cancelActivation", CompatOrders.json((account, p) -> setStatus(account, p, "8")));
  }

  /** Adds actions served by another class of this package. */
  CompatRoutes with(java.util.function.Consumer<java.util.function.BiConsumer<String, Action>> registrar) {
    registrar.accept(actions::put);
    return this;
  }

  /** Adds the protocol's rent actions (docs/protocol-details.md, rent actions), served by {@link CompatRentals}. */
  public CompatRoutes withRentals(com.otporchestrator.rental.RentalService rentals,
                                  com.otporchestrator.webhook.WebhookUrls webhookUrls) {
    new CompatRentals(rentals, webhookUrls).register(actions::put);
    return this;
  }

  public void mount(Router router) {
    router.route(PATH).method(HttpMethod.GET).method(HttpMethod.POST).handler(this::handle).failureHandler(this::failed);
  }

  // ---- dispatch

  private void handle(RoutingContext ctx) {
    Params params = new Params(ctx);
    String apiKey = params.get("api_key");
    String actionName = params.get("action");
    Future<Reply> reply;
    if (apiKey == null || apiKey.isBlank()) {
      reply = Future.succeededFuture(Reply.text(CompatTokens.NO_KEY));
    } else {
      reply = authenticator.authenticate(apiKey.strip()).compose(account -> {
        if (account.gone()) return Future.failedFuture(refuse(CompatTokens.BAD_KEY));
        return rateLimiter.take(account.id()).compose(decision -> decision.allowed()
            ? admitted(ctx, account, actionName, params) : Future.failedFuture(new OverRateLimit(decision)));
      });
    }
    String known = actionName != null && actions.containsKey(actionName.strip()) ? actionName.strip() : "(unknown)";
    reply.onFailure(failure -> {
          if (failure instanceof OverRateLimit over) sendRateLimited(ctx, over.decision);
          if (failure instanceof Overloaded) sendOverloaded(ctx);
        })
        .recover(failure -> failure instanceof OverRateLimit || failure instanceof Overloaded ? Future.failedFuture(failure)
            : Future.succeededFuture(Reply.text(token(failure, known))))
        .onSuccess(r -> send(ctx, r));
  }

  /** Runs the action; a purchase only with a place among the node's purchases in flight, held until it is answered. */
  private Future<Reply> admitted(RoutingContext ctx, Account account, String actionName, Params params) {
    if (actionName == null || !PURCHASES.contains(actionName.strip())) return run(account, actionName, params);
    if (!admission.tryAdmit(1)) return Future.failedFuture(new Overloaded());
    ctx.addEndHandler(done -> admission.release(1));
    return run(account, actionName, params);
  }

  /**
   * The sms-activate family has no "busy" token: 503 with Retry-After tells clients that read the status, and the body
   * ERROR_SQL (the family's "server failed, try again") tells those that read only the body to retry, where NO_NUMBERS
   * or NO_BALANCE would make them move on or stop.
   */
  private void sendOverloaded(RoutingContext ctx) {
    if (ctx.response().ended()) return;
    ctx.response().setStatusCode(503).putHeader("Retry-After", String.valueOf(admission.retryAfterSeconds()))
        .putHeader("Content-Type", "text/plain; charset=utf-8").end(CompatTokens.ERROR_SQL);
  }

  private Future<Reply> run(Account account, String actionName, Params params) {
    Action action = actionName == null ? null : actions.get(actionName.strip());
    if (action == null) return Future.failedFuture(refuse(CompatTokens.BAD_ACTION));
    try {
      return action.run(account, params);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static void sendRateLimited(RoutingContext ctx, Decision decision) {
    if (ctx.response().ended()) return;
    long retryAfter = Math.max(1, (decision.retryAfterMillis() + 999) / 1000);
    ctx.response().setStatusCode(429).putHeader("Retry-After", String.valueOf(retryAfter))
        .putHeader("Content-Type", "text/plain; charset=utf-8").end("RATE_LIMIT");
  }

  /** The token for a failure; anything unexpected is logged (never the request, which holds the key) and is ERROR_SQL. */
  private static String token(Throwable failure, String action) {
    String token = CompatTokens.of(failure);
    if (token != null) return token;
    LOG.error("sms-activate action {} failed unexpectedly", action, failure);
    return CompatTokens.ERROR_SQL;
  }

  /** Failures before the handler (a body over the limit, a broken form): still a token, still 200. */
  private void failed(RoutingContext ctx) {
    if (ctx.response().ended()) return;
    if (ctx.failure() != null) {
      // the caller's malformed query or form, never ours: not worth more than a debug line
      LOG.debug("sms-activate request failed before its action: {}", ctx.failure().getClass().getSimpleName());
    }
    send(ctx, Reply.text(CompatTokens.ERROR_SQL));
  }

  private static void send(RoutingContext ctx, Reply reply) {
    if (ctx.response().ended()) return;
    ctx.response().setStatusCode(200).putHeader("Content-Type", reply.contentType()).end(reply.body());
  }

  // ---- account

  private Future<Reply> balance(Account account, Params p) {
    return wallets.wallet(account.id()).map(w -> Reply.text("ACCESS_BALANCE:" + Money.format(w.balance())));
  }

  // ---- catalogue

  /** country -> service -> {cost, count, physicalCount}. */
  private Future<Reply> prices(Account account, Params p) {
    Integer country = p.optionalCountry();
    String service = p.optionalService();
    return catalog.customerOffers(service, country).map(offers -> {
      JsonObject byCountry = new JsonObject();
      for (Object item : offers) {
        JsonObject offer = (JsonObject) item;
        String countryKey = String.valueOf(offer.getInteger("country"));
        JsonObject services = byCountry.getJsonObject(countryKey);
        if (services == null) byCountry.put(countryKey, services = new JsonObject());
        services.put(offer.getString("service"), new JsonObject().put("cost", new BigDecimal(offer.getString("price")))
            .put("count", offer.getLong("stock")).put("physicalCount", offer.getLong("stock")));
      }
      return Reply.json(byCountry);
    });
  }

  /** {"tg_0": 76, ...}: stock per service in one country (sms-activate's default country is 0). */
  private Future<Reply> numbersStatus(Account account, Params p) {
    Integer country = p.optionalCountry();
    return catalog.customerOffers(null, country == null ? 0 : country).map(offers -> {
      JsonObject counts = new JsonObject();
      for (Object item : offers) {
        JsonObject offer = (JsonObject) item;
        counts.put(offer.getString("service") + "_0", offer.getLong("stock"));
      }
      return Reply.json(counts);
    });
  }

  /** {"status": "success", "services": [{code, name}]}; with a country, the services sold there. */
  private Future<Reply> servicesList(Account account, Params p) {
    Integer country = p.optionalCountry();
    Future<Set<String>> sold = country == null ? Future.succeededFuture(null)
        : catalog.customerOffers(null, country).map(offers -> {
          Set<String> codes = new java.util.HashSet<>();
          offers.forEach(o -> codes.add(((JsonObject) o).getString("service")));
          return codes;
        });
    return sold.compose(codes -> catalog.services().map(list -> {
      JsonArray services = new JsonArray();
      for (Named service : list) {
        if (codes == null || codes.contains(service.key())) {
          services.add(new JsonObject().put("code", service.key()).put("name", service.name()));
        }
      }
      return Reply.json(new JsonObject().put("status", "success").put("services", services));
    }));
  }

  // ---- ordering

  private Future<Activation> buy(Account account, Params p) {
    if (!account.active()) throw refuse(CompatTokens.banned(account));
    PurchaseParams.check(p, PurchaseParams.NUMBER);
    String service = p.get("service");
    if (service == null || !service.strip().matches("[a-z0-9_]{1,20}")) throw refuse(CompatTokens.BAD_SERVICE);
    Integer country = p.optionalCountry();
    Long maxPrice = PurchaseParams.ceiling(p);
    String operator = p.get("operator");
    if (operator != null && (operator.isBlank() || operator.length() > 50)) operator = null;
    PurchaseRequest request = new PurchaseRequest(service.strip(), country == null ? 0 : country, maxPrice,
        operator == null ? null : operator.strip(), p.excludedPrefixes(), null, Channel.COMPAT).from(ClientAddress.of(p.ctx()));
    if (!PurchaseParams.fixedPrice(p)) return purchases.purchase(account.id(), request);
    // fixedPrice: the price sold now must be maxPrice exactly; otherwise the family's WRONG_MAX_PRICE:<price>
    return catalog.customerOffers(request.service(), request.country()).compose(offers -> {
      if (offers.isEmpty()) return purchases.purchase(account.id(), request); // answers why nothing is sold
      long lowest = Money.parseUsd(offers.getJsonObject(0).getString("price"));
      if (lowest != maxPrice) throw refuse("WRONG_MAX_PRICE:" + Money.format(lowest));
      return purchases.purchase(account.id(), request);
    });
  }

  // ---- reading

  private Future<Activation> order(Account account, Params p) {
    return activations.get(p.activationId(), account.id());
  }

  /** Hero answers the text STATUS_CANCEL for a cancelled activation instead of JSON. */
  private static Reply statusV2(Activation a) {
    return switch (a.state()) {
      case CANCELLED, EXPIRED, FAILED -> Reply.text("STATUS_CANCEL");
      default -> Reply.json(CompatViews.statusV2(a));
    };
  }

  /**
   * The live orders, newest first, {@code start} (offset) and {@code limit} (at most {@value #ACTIVE_PAGE_MAX}) paging
   * them as Hero does. The items are under {@code data} (Hero) and, the same list, under {@code activeActivations}
   * (the classic form); an empty page is NO_ACTIVATIONS.
   */
  private Future<Reply> activeActivations(Account account, Params p) {
    int start = p.count("start", 0, 1_000_000);
    int limit = p.count("limit", ACTIVE_PAGE_MAX, ACTIVE_PAGE_MAX);
    if (limit == 0) throw refuse(CompatTokens.ERROR_SQL);
    return activations.live(account.id(), start, limit).compose(live -> {
      if (live.isEmpty()) return Future.failedFuture(refuse(CompatTokens.NO_ACTIVATIONS));
      return catalog.countries().map(countries -> {
        Map<String, String> names = new TreeMap<>();
        countries.forEach(c -> names.put(c.key(), c.name()));
        JsonArray items = new JsonArray();
        live.forEach(a -> items.add(CompatViews.active(a, names.get(String.valueOf(a.country())))));
        return Reply.json(new JsonObject().put("status", "success").put("data", items).put("activeActivations", items.copy()));
      });
    });
  }

  /** start/end in unix seconds (each optional), offset, limit (or size). */
  private Future<Reply> history(Account account, Params p) {
    OffsetDateTime from = p.unixTime("start");
    OffsetDateTime to = p.unixTime("end");
    int offset = p.count("offset", 0, 1_000_000);
    int limit = p.get("limit") != null ? p.count("limit", HISTORY_DEFAULT, HISTORY_MAX) : p.count("size", HISTORY_DEFAULT, HISTORY_MAX);
    return activations.history(account.id(), from, to, offset, limit).map(list -> Reply.json(CompatViews.historyList(list)));
  }

  // ---- setStatus

  private Future<Reply> setStatus(Account account, Params p, String status) {
    long id = p.activationId();
    String value = status == null ? "" : status.strip();
    return switch (value) {
      case "1" -> activations.get(id, account.id()).map(a -> {
        if (!a.state().open()) throw refuse(CompatTokens.BAD_STATUS);
        return Reply.text("ACCESS_READY");
      });
      case "3" -> activations.retry(id, account.id()).map(a -> Reply.text("ACCESS_RETRY_GET"));
      case "6" -> activations.finish(id, account.id()).map(a -> Reply.text("ACCESS_ACTIVATION"));
      case "8", "-1" -> cancelOrCapture(id, account.id(), true).map(a -> Reply.text("ACCESS_CANCEL"));
      default -> Future.failedFuture(refuse(CompatTokens.BAD_STATUS));
    };
  }

  /**
   * Status 8. Without a code: cancel and refund (EARLY_CANCEL_DENIED inside the minimum delay). With
   * a code: the sms-activate family closes the order without a refund, so we finish it (capture).
   * An order already closed either way stays as it is: repeating 8 is harmless. When the order moves
   * between the read and the write (an SMS or the expiry lands), it is decided once more.
   */
  private Future<Activation> cancelOrCapture(long id, long accountId, boolean mayRetry) {
    return activations.get(id, accountId).compose(order -> {
      ActivationState state = order.state();
      if (state.codeReceived()) return activations.finish(id, accountId);
      if (!state.open()) return Future.succeededFuture(order);
      return activations.cancel(id, accountId).recover(failure -> {
        if (mayRetry && failure instanceof DomainException d && d.kind() == DomainException.Kind.INVALID_STATE) {
          return cancelOrCapture(id, accountId, false);
        }
        if (failure instanceof DomainException d && d.kind() == DomainException.Kind.TOO_EARLY) {
          // what Hero's JSON variant carries: the minimum age before a cancel, in seconds (and, ours, from when)
          return Future.failedFuture(new CompatTokens.DetailedRefusal(CompatTokens.EARLY_CANCEL_DENIED, d.getMessage(),
              new JsonObject().put("minActivationTime", CompatOrders.minActivationSeconds(order))
                  .put("cancellableAt", CompatTokens.time(order.cancellableAt()))));
        }
        return Future.failedFuture(failure);
      });
    });
  }

  // ---- parameters

  /** The query parameters, then the form fields of a POST. Malformed values become protocol refusals. */
  record Params(RoutingContext ctx) {
    String get(String name) {
      String value = ctx.request().getParam(name);
      if (value == null) value = ctx.request().getFormAttribute(name);
      return value;
    }

    /** Every parameter name sent, in the query or the form. */
    Set<String> names() {
      Set<String> names = new java.util.HashSet<>(ctx.request().params().names());
      names.addAll(ctx.request().formAttributes().names());
      return names;
    }

    Integer optionalCountry() {
      String raw = get("country");
      if (raw == null || raw.isBlank()) return null;
      if (!raw.strip().matches("\\d{1,6}")) throw refuse(CompatTokens.WRONG_COUNTRY);
      return Integer.valueOf(raw.strip());
    }

    String optionalService() {
      String raw = get("service");
      if (raw == null || raw.isBlank()) return null;
      if (!raw.strip().matches("[a-z0-9_]{1,20}")) throw refuse(CompatTokens.BAD_SERVICE);
      return raw.strip();
    }

    Long maxPrice() {
      String raw = get("maxPrice");
      if (raw == null || raw.isBlank()) return null;
      try {
        long micros = Money.parseUsd(raw.strip());
        if (micros <= 0) throw refuse(CompatTokens.ERROR_SQL);
        return micros;
      } catch (IllegalArgumentException e) {
        throw refuse(CompatTokens.ERROR_SQL); // "one of the parameters has an invalid value"
      }
    }

    /** phoneException: comma-separated prefixes such as 7918,7900111. */
    List<String> excludedPrefixes() {
      String raw = get("phoneException");
      if (raw == null || raw.isBlank()) return List.of();
      List<String> prefixes = new ArrayList<>();
      for (String part : raw.split(",")) {
        String prefix = part.strip();
        if (prefix.isEmpty()) continue;
        if (!prefix.matches("\\d{1,15}")) throw refuse(CompatTokens.WRONG_EXCEPTION_PHONE);
        prefixes.add(prefix);
      }
      if (prefixes.size() > 50) throw refuse(CompatTokens.WRONG_EXCEPTION_PHONE);
      return prefixes;
    }

    long activationId() {
      String raw = get("id");
      if (raw == null || !raw.strip().matches("\\d{1,18}")) throw refuse(CompatTokens.NO_ACTIVATION);
      return Long.parseLong(raw.strip());
    }

    OffsetDateTime unixTime(String name) {
      String raw = get(name);
      if (raw == null || raw.isBlank()) return null;
      if (!raw.strip().matches("\\d{1,11}")) throw refuse(CompatTokens.WRONG_DATE);
      Instant instant = Instant.ofEpochSecond(Long.parseLong(raw.strip()));
      if (!com.otporchestrator.api.Requests.inRange(instant)) throw refuse(CompatTokens.WRONG_DATE);
      return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    int count(String name, int fallback, int max) {
      String raw = get(name);
      if (raw == null || raw.isBlank()) return fallback;
      if (!raw.strip().matches("\\d{1,7}") || Integer.parseInt(raw.strip()) > max) throw refuse(CompatTokens.ERROR_SQL);
      return Integer.parseInt(raw.strip());
    }
  }
}
