package com.otporchestrator.activation;

import com.otporchestrator.metrics.Meters;
import com.otporchestrator.catalog.CatalogRepository;
import com.otporchestrator.catalog.Offer;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.common.Money;
import com.otporchestrator.order.AllocationFailure;
import com.otporchestrator.timer.TimerService;
import com.otporchestrator.upstream.Allocation;
import com.otporchestrator.upstream.AllocationRequest;
import com.otporchestrator.upstream.Provider;
import com.otporchestrator.routing.ProviderRegistry;
import com.otporchestrator.upstream.UpstreamException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buys a number: hold the price, ask the supplier, then either open the order or void the hold.
 * The supplier call happens outside any transaction; if this pod dies while waiting, the order's row
 * (allocating, with its allocation deadline) is failed and its hold voided by the timer sweep.
 */
public final class PurchaseService {
  private static final Logger LOG = LoggerFactory.getLogger(PurchaseService.class);

  private final CatalogRepository catalog;
  private final ActivationRepository activations;
  private final ProviderRegistry providers;
  private final TimerService timers;
  private final ActivationTimers activationTimers;
  private final Durations durations;
  private final OrderEvents events;
  private volatile OrderSignals signals = OrderSignals.NONE;
  private final HoldCoalescer holds;
  private final Meters meters;
  private static final AllocationFailure.Wording WORDING =
      new AllocationFailure.Wording("no numbers available right now", "the supplier could not provide a number");
  /** A purchase is offered to at most this many suppliers (each call may take UPSTREAM_TIMEOUT_MS). */
  static final int MAX_SUPPLIERS_PER_PURCHASE = 3;

  /**
   * The platform's windows: the activation window where the order's policy fixes none, the operator's floor of the
   * cancel delay, and the allocation watchdog (MARK_ALLOCATED combines them with the order's policy version).
   */
  public record Durations(Duration window, Duration cancelDelay, Duration allocationTimeout) {}

  public PurchaseService(CatalogRepository catalog, ActivationRepository activations, ProviderRegistry providers,
                         TimerService timers, ActivationTimers activationTimers, Durations durations,
                         OrderEvents events, HoldCoalescer holds) {
    this(catalog, activations, providers, timers, activationTimers, durations, events, holds, Meters.detached());
  }

  public PurchaseService(CatalogRepository catalog, ActivationRepository activations, ProviderRegistry providers,
                         TimerService timers, ActivationTimers activationTimers, Durations durations,
                         OrderEvents events, HoldCoalescer holds, Meters meters) {
    this.meters = meters;
    this.catalog = catalog;
    this.activations = activations;
    this.providers = providers;
    this.timers = timers;
    this.activationTimers = activationTimers;
    this.durations = durations;
    this.events = events;
    this.holds = holds;
  }

  /**
   * A purchase for {@code nobody}, an account id no account has, up to its hold: the quote and the hold statement run
   * as for a customer, the statement finds no wallet and takes nothing (an order id is drawn and left unused). It goes
   * to the repository past the coalescer, so neither the supplier nor the purchase and hold counters see it. For the
   * warm-up of a starting node.
   */
  Future<Void> rehearse(long nobody, PurchaseRequest request) {
    return quote(request).compose(quote -> activations.holdMany(nobody,
            List.of(new ActivationRepository.Hold(quote.offer(), request.webhookUrl(), request.channel())), durations.allocationTimeout()))
        .mapEmpty();
  }

  /** Answers the new order, open on its number. */
  public Future<Activation> purchase(long accountId, PurchaseRequest request) {
    return quote(request).compose(quote -> hold(accountId,
            new ActivationRepository.Hold(quote.offer(), request.webhookUrl(), request.channel()))
        .compose(created -> allocate(created, quote, request)))
        .onSuccess(order -> signals.purchased(accountId, order.id(), request.clientAddress()))
        .onComplete(done -> countPurchases(done.failed() ? done.cause() : null, 1));
  }

  /** Who is told of each committed purchase (abuse controls). */
  public void signals(OrderSignals listener) {
    this.signals = listener;
  }

  OrderSignals signals() {
    return signals;
  }

  /** Counts {@code n} purchases that ended with {@code failure} (null: the order was created). */
  void countPurchases(Throwable failure, long n) {
    countPurchases(failure == null ? "created" : failure instanceof DomainException d ? Meters.label(d.kind()) : "error", n);
  }

  void countPurchases(String outcome, long n) {
    meters.purchases(outcome, n);
  }

  /**
   * Where a request goes: every enabled supplier's offer for the pair, best first, without the
   * suppliers whose breaker is open or that hold their concurrency limit, and without offers that
   * would cost us more than the customer pays. The customer pays the first offer's price, whichever
   * supplier fills the order. Fails with the precise reason when no supplier is left.
   */
  Future<Quote> quote(PurchaseRequest request) {
    return catalog.rankedOffers(request.service(), request.country()).map(ranked -> {
      List<Candidate> candidates = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      Offer aboveCeiling = null; // the cheapest offer passed over for the customer's maxPrice
      for (CatalogRepository.RankedOffer r : ranked) {
        Offer offer = r.offer();
        Provider provider = providers.get(offer.providerId()).orElse(null);
        if (candidates.size() == MAX_SUPPLIERS_PER_PURCHASE) break;
        if (request.reuse() != null && !offer.providerId().equals(request.reuse().providerId())) {
          continue; // the number lives at one supplier: no other is asked
        }
        if (request.reuse() != null && (provider == null || !provider.reusesNumbers())) {
          throw reuseRefused(request);
        }
        if (request.maxPrice() != null && offer.price() > request.maxPrice()) {
          // routing weighs price with delivery rates, so a dearer offer may rank first: the ceiling skips it
          if (aboveCeiling == null || offer.price() < aboveCeiling.price()) aboveCeiling = offer;
          skipped.add(offer.providerId() + ":above maxPrice");
        }
        else if (provider == null) skipped.add(offer.providerId() + ":not configured");
        else if (r.atLimit()) skipped.add(offer.providerId() + ":channels limit");
        else if (!candidates.isEmpty() && offer.cost() > candidates.get(0).offer().price()) {
          skipped.add(offer.providerId() + ":cost above price");
        }
        else if (!providers.health().admits(offer.providerId())) skipped.add(offer.providerId() + ":breaker open");
        else candidates.add(new Candidate(offer, provider));
      }
      if (candidates.isEmpty() && aboveCeiling != null) checkPriceCeiling(aboveCeiling, request.maxPrice());
      if (candidates.isEmpty() && request.reuse() != null) throw reuseRefused(request);
      if (candidates.isEmpty()) {
        // which suppliers and why is for operators, never for customers
        LOG.atInfo().addKeyValue("skipped", String.join(", ", skipped))
            .log("no supplier available for {}/{}: {}", request.service(), request.country(), skipped);
        throw new DomainException(Kind.NO_NUMBERS, "no supplier is available for service '" + request.service()
            + "' in country " + request.country() + " right now");
      }
      checkPriceCeiling(candidates.get(0).offer(), request.maxPrice());
      return new Quote(candidates);
    });
  }

  /** Why a number cannot be had again: its supplier cannot hand it out twice, or no longer sells the service there. */
  public static final String REUSE_NOT_AVAILABLE = "reuse-not-available";

  private static DomainException reuseRefused(PurchaseRequest request) {
    return new DomainException(Kind.INVALID_STATE, "the supplier of order " + request.reuse().fromOrder()
        + " cannot hand out its number again for service '" + request.service() + "'",
        new JsonObject().put("reason", REUSE_NOT_AVAILABLE));
  }

  /** The suppliers one purchase may be offered to, in order; the first one's offer sets the price. */
  record Quote(List<Candidate> candidates) {
    Offer offer() {
      return candidates.get(0).offer();
    }
  }

  record Candidate(Offer offer, Provider provider) {}

  /**
   * Holds many orders at once (the longest affordable prefix), each with its allocation watchdog armed
   * ({@link HoldCoalescer}): an order left allocating by a process that died is failed and refunded at its allocation
   * deadline on another node, and one opened just before its process died is re-armed at its window's end.
   */
  Future<List<Optional<ActivationRepository.Created>>> holdAll(long accountId, List<ActivationRepository.Hold> orders) {
    return holds.hold(accountId, orders);
  }

  private static void checkPriceCeiling(Offer offer, Long maxPrice) {
    if (maxPrice != null && offer.price() > maxPrice) {
      throw new DomainException(Kind.PRICE_ABOVE_MAX,
          "the lowest price is " + Money.format(offer.price()) + ", above maxPrice " + Money.format(maxPrice),
          new JsonObject().put("price", Money.format(offer.price())));
    }
  }

  private Future<ActivationRepository.Created> hold(long accountId, ActivationRepository.Hold order) {
    return holdAll(accountId, List.of(order))
        .map(created -> created.get(0).orElseThrow(() -> insufficientFunds(order.offer())));
  }

  static DomainException insufficientFunds(Offer offer) {
    return new DomainException(Kind.INSUFFICIENT_FUNDS,
        "the balance does not cover the price " + Money.format(offer.price()),
        new JsonObject().put("price", Money.format(offer.price())));
  }

  /**
   * Offers the held order to the quote's suppliers in turn. NO_NUMBERS or a definite refusal moves
   * the order to the next supplier (its row names one supplier at a time, so two numbers are never
   * held for it); an unknown outcome stops here: a number may be held, so the order is refunded and
   * reconciled, never offered elsewhere.
   */
  Future<Activation> allocate(ActivationRepository.Created created, Quote quote, PurchaseRequest request) {
    return attempt(created.id(), quote, 0, request);
  }

  private Future<Activation> attempt(long id, Quote quote, int index, PurchaseRequest request) {
    Candidate candidate = quote.candidates().get(index);
    Offer offer = candidate.offer();
    AllocationRequest ask = new AllocationRequest(offer.service(), offer.country(), request.operator(), offer.cost(),
        request.excludedPrefixes(), null, request.reuse() == null ? null : request.reuse().phone());
    return candidate.provider().allocate(ask).transform(result -> {
      if (result.succeeded()) return opened(id, candidate.provider(), result.result());
      String passed = passedBecause(result.cause());
      if (passed == null || index + 1 >= quote.candidates().size()) return failed(id, result.cause());
      Candidate next = quote.candidates().get(index + 1);
      meters.failover(offer.providerId(), passed.equals("NO_NUMBERS") ? "no_numbers" : "rejected");
      LOG.atInfo().addKeyValue("orderId", id).addKeyValue("providerId", offer.providerId())
          .log("order {}: supplier {} passed ({}); offering it to {}", id, offer.providerId(), passed, next.offer().providerId());
      return activations.reroute(id, next.offer().providerId(), next.offer().cost(), offer.providerId() + ":" + passed)
          .compose(moved -> moved ? attempt(id, quote, index + 1, request) : failed(id, result.cause()));
    });
  }

  /** Why a supplier definitely allocated nothing (so the next may be asked), or null when we cannot tell. */
  private static String passedBecause(Throwable cause) {
    if (cause instanceof UpstreamException.NoNumbers) return "NO_NUMBERS";
    if (cause instanceof UpstreamException.Rejected rejected) {
      String token = String.valueOf(rejected.token());
      return token.length() <= 60 ? token : token.substring(0, 60);
    }
    return null;
  }

  private Future<Activation> opened(long id, Provider provider, Allocation allocation) {
    OffsetDateTime supplierEnd = allocation.expiresAt() == null ? null
        : allocation.expiresAt().atOffset(ZoneOffset.UTC);
    return activations.markAllocated(id, allocation.phone(), allocation.providerActivationId(), durations.window(),
        supplierEnd, durations.cancelDelay()).compose(opened -> {
          if (opened.isPresent()) {
            Activation order = opened.get();
            events.changed(id);
            Future<Void> scheduled = activationTimers.expiry(order);
            if (!provider.pushesSms()) scheduled = scheduled.compose(v -> activationTimers.firstPoll(id));
            return scheduled.map(order);
          }
          LOG.atWarn().addKeyValue("orderId", id).addKeyValue("providerId", provider.id())
              .log("order {} got number {} after it had already failed; handing it back", id, allocation.providerActivationId());
          return activations.adoptLateAllocation(id, allocation.providerActivationId(), allocation.phone())
              .compose(adopted -> activationTimers.sync(id))
              .compose(v -> Future.failedFuture(AllocationFailure.tooLate()));
        });
  }

  /** Voids the hold of an order the supplier did not fill, tells push channels, and answers why. */
  private Future<Activation> failed(long id, Throwable cause) {
    AllocationFailure failure = AllocationFailure.of(cause, WORDING);
    if (cause instanceof UpstreamException.Rejected rejected) {
      LOG.atWarn().addKeyValue("orderId", id).addKeyValue("providerId", rejected.providerId())
          .log("supplier {} refused order {}: {}", rejected.providerId(), id, rejected.token());
    } else if (failure.outcomeUnknown()) {
      LOG.atWarn().addKeyValue("orderId", id)
          .log("order {}: supplier outcome unknown ({}); refunding and reconciling", id, cause.toString());
    }
    return activations.failAllocation(id, failure.reason(), failure.upstreamState()).compose(failed -> {
      if (failed) events.changed(id);
      return Future.failedFuture(failure.answer());
    });
  }
}
