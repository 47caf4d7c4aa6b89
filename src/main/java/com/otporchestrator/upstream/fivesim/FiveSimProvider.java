package com.otporchestrator.upstream.fivesim;

import com.otporchestrator.upstream.Allocation;
import com.otporchestrator.upstream.AllocationRequest;
import com.otporchestrator.upstream.CloseOutcome;
import com.otporchestrator.upstream.PollResult;
import com.otporchestrator.upstream.Provider;
import com.otporchestrator.upstream.StockLine;
import com.otporchestrator.upstream.UpstreamException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Client of 5sim.net (docs/protocol-details.md, 5sim): REST over GET with a Bearer token, JSON orders, plain
 * text errors matched by substring. 5sim never pushes, so orders are polled ({@code /user/check}).
 * Never fails a purchase whose outcome it cannot prove: a timeout, a 5xx or a garbled body is unknown.
 */
public final class FiveSimProvider implements Provider {
  /** 5sim does not say how young an order is too young to cancel; we wait this long. */
  static final Duration EARLY_CANCEL_WINDOW = Duration.ofSeconds(120);
  static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(30);
  private static final Set<String> DEFINITE_REFUSALS = Set.of("not enough user balance", "not enough rating",
      "country is incorrect", "bad country", "select country", "product is incorrect", "no product",
      "bad operator", "select operator", "api limit", "ip address limit", "unauthorized", "reuse not possible");

  private final WebClient client;
  private final FiveSimConfig config;

  public FiveSimProvider(WebClient client, FiveSimConfig config) {
    this.client = client;
    this.config = config;
  }

  @Override
  public String id() {
    return config.id();
  }

  @Override
  public boolean pushesSms() {
    return false;
  }

  @Override
  public Future<List<StockLine>> stock() {
    return get("/guest/prices").compose(reply -> reply instanceof FiveSimReply.Order prices
        ? Future.succeededFuture(FiveSimOrders.stock(prices.body()))
        : Future.failedFuture(unknown("prices: " + describe(reply))));
  }

  @Override
  public Future<Allocation> allocate(AllocationRequest request) {
    String country = FiveSimNames.country(request.country()).orElse(null);
    String product = FiveSimNames.product(request.service()).orElse(null);
    if (country == null) return Future.failedFuture(new UpstreamException.Rejected(id(), "UNKNOWN_COUNTRY " + request.country()));
    if (product == null) return Future.failedFuture(new UpstreamException.Rejected(id(), "UNKNOWN_SERVICE " + request.service()));
    if (request.reusePhone() != null) {
      // 5sim's reuse: the same number again for the product (docs/protocol-details.md, 5sim)
      return get("/user/reuse/" + product + "/" + request.reusePhone()).compose(this::allocation);
    }
    String operator = request.operator().matches("[a-z0-9_]{1,40}") ? request.operator() : "any";
    return get("/user/buy/activation/" + country + "/" + operator + "/" + product).compose(this::allocation);
  }

  /** 5sim has a reuse call ({@code /user/reuse/{product}/{number}}); it answers "reuse not possible" when it cannot. */
  @Override
  public boolean reusesNumbers() {
    return true;
  }

  private Future<Allocation> allocation(FiveSimReply reply) {
    return switch (reply) {
      case FiveSimReply.Order order -> parsed(order.body(), FiveSimOrders::allocation, "buy");
      case FiveSimReply.Error e when e.phrase().equals("no free phones") ->
          Future.failedFuture(new UpstreamException.NoNumbers(id()));
      case FiveSimReply.Error e when DEFINITE_REFUSALS.contains(e.phrase()) ->
          Future.failedFuture(new UpstreamException.Rejected(id(), e.phrase()));
      default -> Future.failedFuture(unknown("buy: " + describe(reply)));
    };
  }

  @Override
  public Future<PollResult> poll(String providerActivationId) {
    return get("/user/check/" + providerActivationId).compose(reply -> switch (reply) {
      case FiveSimReply.Order order -> parsed(order.body(), FiveSimOrders::poll, "check");
      case FiveSimReply.Error e when e.phrase().equals("order not found") ->
          Future.succeededFuture(new PollResult(PollResult.UpstreamStatus.CLOSED, List.of()));
      default -> Future.failedFuture(unknown("check: " + describe(reply)));
    });
  }

  /** 5sim keeps delivering SMS to an order while it is RECEIVED: nothing to ask for. */
  @Override
  public Future<Void> requestAnotherCode(String providerActivationId) {
    return Future.succeededFuture();
  }

  /**
   * Finish when a code was delivered, cancel otherwise. 5sim refuses the wrong one ("order no sms",
   * "order has sms"): a finish without an SMS at 5sim becomes a cancel; a cancel of an order with an
   * SMS is refused for good (5sim keeps the price: our cost).
   */
  @Override
  public Future<CloseOutcome> close(String providerActivationId, boolean codeDelivered) {
    if (!codeDelivered) return action("cancel", providerActivationId);
    return action("finish", providerActivationId).compose(outcome ->
        outcome instanceof CloseOutcome.Refused refused && refused.reason().equals("order no sms")
            ? action("cancel", providerActivationId) : Future.succeededFuture(outcome));
  }

  /** Bans the number ("already used"); 5sim gives the price back. Answers like a close. */
  public Future<CloseOutcome> ban(String providerActivationId) {
    return action("ban", providerActivationId);
  }

  private Future<CloseOutcome> action(String action, String providerActivationId) {
    return get("/user/" + action + "/" + providerActivationId).map(reply -> switch (reply) {
      case FiveSimReply.Order order -> FiveSimOrders.closeOutcome(order.body(), action);
      case FiveSimReply.Error e when e.phrase().equals("order not found") -> CloseOutcome.closed();
      case FiveSimReply.Error e when e.phrase().equals("you need to wait time") ->
          new CloseOutcome.TooEarly(EARLY_CANCEL_WINDOW, e.phrase());
      case FiveSimReply.Error e when Set.of("order has sms", "order no sms", "hosting order").contains(e.phrase()) ->
          new CloseOutcome.Refused(e.phrase());
      default -> new CloseOutcome.RetryLater(RETRY_AFTER_ERROR, action + ": " + describe(reply));
    });
  }

  @Override
  public Future<List<String>> openActivationIds() {
    return get("/user/orders?category=activation&limit=100&offset=0&order=id&reverse=true")
        .compose(reply -> reply instanceof FiveSimReply.Order orders
            ? parsed(orders.body(), FiveSimOrders::openIds, "orders")
            : Future.failedFuture(unknown("orders: " + describe(reply))));
  }

  /** One GET; no reply at all (timeout, refused connection) is a {@code Garbage} reply. */
  private Future<FiveSimReply> get(String path) {
    HttpRequest<Buffer> request = client.getAbs(config.baseUrl() + path)
        .timeout(config.requestTimeout().toMillis())
        .putHeader("Authorization", "Bearer " + config.apiKey())
        .putHeader("Accept", "application/json");
    return request.send()
        .map(response -> FiveSimReply.of(response.statusCode(), response.getHeader("Content-Type"), response.bodyAsString()))
        .otherwise(failure -> new FiveSimReply.Garbage("no reply: " + failure.getClass().getSimpleName()
            + (failure.getMessage() == null ? "" : " " + failure.getMessage().replace(config.apiKey(), "***"))));
  }

  /** A parser bug on an odd body must still end as "unknown", never as a stray exception. */
  private <T> Future<T> parsed(JsonObject body, Function<JsonObject, T> parser, String what) {
    try {
      return Future.succeededFuture(parser.apply(body));
    } catch (RuntimeException e) {
      return Future.failedFuture(unknown(what + ": unusable reply: " + e.getMessage()));
    }
  }

  private static String describe(FiveSimReply reply) {
    return switch (reply) {
      case FiveSimReply.Order order -> "unexpected JSON";
      case FiveSimReply.Error e -> "HTTP " + e.status() + " " + e.text();
      case FiveSimReply.Garbage g -> g.why();
    };
  }

  private UpstreamException.UnknownOutcome unknown(String message) {
    return new UpstreamException.UnknownOutcome(id(), message, null);
  }
}
