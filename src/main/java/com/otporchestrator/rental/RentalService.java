package com.otporchestrator.rental;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.common.Money;
import com.otporchestrator.config.AppConfig.RentalSettings;
import com.otporchestrator.order.AllocationFailure;
import com.otporchestrator.order.Channel;
import com.otporchestrator.order.StoredSms;
import java.time.OffsetDateTime;
import com.otporchestrator.policy.Policies;
import com.otporchestrator.policy.RefundPolicy;
import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.timer.TimerService;
import com.otporchestrator.upstream.Allocation;
import com.otporchestrator.upstream.AllocationRequest;
import com.otporchestrator.upstream.IncomingSms;
import com.otporchestrator.upstream.Provider;
import com.otporchestrator.routing.ProviderRegistry;
import com.otporchestrator.upstream.UpstreamException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rentals: buy (hold, then ask the supplier outside any transaction, with a watchdog timer armed before the call), read,
 * cancel inside the cancel window, finish early, extend, and take the SMS suppliers push for rented numbers.
 */
public final class RentalService {
  private static final Logger LOG = LoggerFactory.getLogger(RentalService.class);
  /** Failure detail keys the compatible API maps to its tokens. */
  public static final String REASON = "reason";
  public static final String CANCEL_WINDOW_CLOSED = "cancel-window-closed";
  public static final String RENT_ENDED = "rent-ended";
  public static final String ALREADY_FINISHED = "already-finished";
  public static final String ALREADY_CANCELLED = "already-cancelled";
  public static final String BAD_DURATION = "bad-duration";

  private static final AllocationFailure.Wording WORDING =
      new AllocationFailure.Wording("no numbers to rent right now", "the supplier could not rent a number");

  private final RentalRepository rentals;
  private final RentalTimers timers;
  private final TimerService timerService;
  private final ProviderRegistry providers;
  private final Policies policies;
  private final RentalSettings settings;
  private final Duration allocationTimeout;

  /** A purchase: {@code service} null for SMS from any service; {@code channel} how it was placed (recorded). */
  public record RentRequest(String service, int country, int hours, String webhookUrl, Channel channel) {
    public RentRequest {
      java.util.Objects.requireNonNull(channel, "channel");
    }
  }

  public RentalService(RentalRepository rentals, RentalTimers timers, TimerService timerService, ProviderRegistry providers,
                       Policies policies, RentalSettings settings, Duration allocationTimeout) {
    this.rentals = rentals;
    this.timers = timers;
    this.timerService = timerService;
    this.providers = providers;
    this.policies = policies;
    this.settings = settings;
    this.allocationTimeout = allocationTimeout;
  }

  public RentalRepository repository() {
    return rentals;
  }

  // ---- buying

  public Future<Rental> purchase(long accountId, RentRequest request) {
    String serviceCode = request.service() == null ? Rental.ANY_SERVICE : request.service();
    return policies.inForce().map(inForce -> bounds(inForce.policy()))
        .compose(bounds -> {
          checkHours(request.hours(), bounds, "hours");
          return rentals.offers(request.country(), serviceCode, request.hours());
        })
        .compose(offers -> offers.isEmpty() ? refuseLength(request.country(), serviceCode, request.hours())
            .map(offers) : Future.succeededFuture(offers))
        .compose(offers -> choose(offers, request.country(), serviceCode))
        .compose(chosen -> hold(accountId, request, chosen));
  }

  /** The shortest and longest rental in hours: the policy's rental rule, else the platform's defaults. */
  public Bounds bounds(RefundPolicy policy) {
    Optional<RefundPolicy.Rental> rule = policy.rental();
    int min = rule.flatMap(RefundPolicy.Rental::minDuration).map(d -> (int) Math.max(1, ceilHours(d))).orElse(settings.minHours());
    int max = rule.flatMap(RefundPolicy.Rental::maxDuration).map(d -> (int) d.toHours()).orElse(settings.maxHours());
    return new Bounds(min, max);
  }

  public record Bounds(int minHours, int maxHours) {}

  private static long ceilHours(Duration d) {
    long hours = d.toHours();
    return d.equals(Duration.ofHours(hours)) ? hours : hours + 1;
  }

  private static void checkHours(int hours, Bounds bounds, String field) {
    if (hours < bounds.minHours() || hours > bounds.maxHours()) {
      throw new DomainException(Kind.INVALID_INPUT, "'" + field + "' must be between " + bounds.minHours() + " and "
          + bounds.maxHours() + " hours", new JsonObject().put("field", field).put(REASON, BAD_DURATION)
          .put("minHours", bounds.minHours()).put("maxHours", bounds.maxHours()));
    }
  }

  /** No offer sells this length: when the offers in stock sell only other lengths, say which (400 BAD_DURATION). */
  private Future<Void> refuseLength(int country, String serviceCode, int hours) {
    return rentals.allowedHours(country, serviceCode).compose(allowed -> {
      if (allowed.isEmpty() || allowed.get().isEmpty()) return Future.succeededFuture();
      return Future.failedFuture(new DomainException(Kind.INVALID_INPUT, "no supplier rents for " + hours
          + " hours here; the lengths sold are " + allowed.get() + " hours", new JsonObject().put("field", "hours")
          .put(REASON, BAD_DURATION).put("allowedHours", new io.vertx.core.json.JsonArray(allowed.get()))));
    });
  }

  private record Chosen(RentalRepository.RentOffer offer, Provider provider) {}

  private Future<Chosen> choose(List<RentalRepository.RentOffer> offers, int country, String serviceCode) {
    for (RentalRepository.RentOffer offer : offers) {
      Optional<Provider> provider = providers.get(offer.providerId()).filter(Provider::rents);
      if (provider.isPresent()) return Future.succeededFuture(new Chosen(offer, provider.get()));
    }
    return rentals.known(country, serviceCode).compose(known -> {
      if (!known[0]) return Future.failedFuture(invalidField("country", "unknown country " + country));
      if (!known[1]) return Future.failedFuture(invalidField("service", "unknown service '" + serviceCode + "'"));
      return Future.failedFuture(new DomainException(Kind.NO_NUMBERS,
          "no supplier rents numbers for " + serviceCode + " in country " + country + " right now"));
    });
  }

  private static DomainException invalidField(String field, String detail) {
    return new DomainException(Kind.INVALID_INPUT, detail, new JsonObject().put("field", field));
  }

  private Future<Rental> hold(long accountId, RentRequest request, Chosen chosen) {
    long price;
    long cost;
    try {
      price = Math.multiplyExact(chosen.offer().hourlyPrice(), (long) request.hours());
      cost = Math.multiplyExact(chosen.offer().hourlyCost(), (long) request.hours());
    } catch (ArithmeticException e) {
      return Future.failedFuture(DomainException.invalid("the rental's price is out of range"));
    }
    RentalRepository.Hold hold = new RentalRepository.Hold(request.service(), request.country(), chosen.offer().providerId(),
        request.hours(), chosen.offer().hourlyPrice(), price, cost, request.webhookUrl(), request.channel());
    long watchdogDue = System.currentTimeMillis() + allocationTimeout.toMillis();
    return rentals.hold(accountId, hold, settings.cancelWindow(), allocationTimeout).compose(created -> {
      if (created.isEmpty()) {
        return Future.failedFuture(new DomainException(Kind.INSUFFICIENT_FUNDS,
            "the balance does not cover the price " + Money.format(price), new JsonObject().put("price", Money.format(price))));
      }
      long id = created.get();
      return timers.schedule(id, watchdogDue).compose(v -> allocate(id, request, chosen, cost));
    });
  }

  private Future<Rental> allocate(long id, RentRequest request, Chosen chosen, long cost) {
    String serviceCode = request.service() == null ? Rental.ANY_SERVICE : request.service();
    AllocationRequest ask = AllocationRequest.rental(serviceCode, request.country(), cost, request.hours());
    return chosen.provider().allocate(ask).transform(result -> result.succeeded()
        ? opened(id, chosen.provider(), result.result())
        : failed(id, result.cause()));
  }

  private Future<Rental> opened(long id, Provider provider, Allocation allocation) {
    return rentals.markAllocated(id, allocation.phone(), allocation.providerActivationId()).compose(opened -> {
      if (opened) return timers.sync(id).compose(v -> found(rentals.findAny(id), id));
      LOG.atWarn().addKeyValue("orderId", id).addKeyValue("providerId", provider.id())
          .log("rental {} got number {} after it had already failed; handing it back", id, allocation.providerActivationId());
      return rentals.adoptLateAllocation(id, allocation.providerActivationId(), allocation.phone())
          .compose(adopted -> timers.sync(id))
          .compose(v -> Future.failedFuture(AllocationFailure.tooLate()));
    });
  }

  /** Voids the hold of a rental the supplier did not fill, and answers why. */
  private Future<Rental> failed(long id, Throwable cause) {
    AllocationFailure failure = AllocationFailure.of(cause, WORDING);
    if (failure.outcomeUnknown()) {
      LOG.atWarn().addKeyValue("orderId", id).log("rental {}: supplier outcome unknown ({}); refunding", id, cause.toString());
    }
    return rentals.failAllocation(id, failure.reason(), failure.upstreamState()).compose(v -> timers.sync(id))
        .compose(v -> Future.failedFuture(failure.answer()));
  }

  // ---- reading

  public Future<Rental> get(long id, long accountId) {
    return found(rentals.find(id, accountId), id);
  }

  public Future<List<Rental>> list(long accountId, RentalState state, Long beforeId, int limit) {
    return rentals.list(accountId, state, beforeId, limit);
  }

  private static Future<Rental> found(Future<Optional<Rental>> lookup, long id) {
    return lookup.map(r -> r.orElseThrow(() -> DomainException.notFound("rental " + id + " does not exist")));
  }

  // ---- customer actions

  /** Full refund while the cancel window is open, whether or not an SMS arrived; refused after it. */
  public Future<Rental> cancel(long id, long accountId) {
    return rentals.cancel(id, accountId).compose(done -> after(id, accountId, done, RentalState.CANCELLED));
  }

  /** Ends the rental now, without refund. */
  public Future<Rental> finish(long id, long accountId) {
    return rentals.finish(id, accountId).compose(done -> after(id, accountId, done, RentalState.FINISHED));
  }

  private Future<Rental> after(long id, long accountId, boolean done, RentalState wanted) {
    return get(id, accountId).compose(rental -> {
      if (done) return timers.sync(id).map(rental);
      if (rental.state() == wanted) return Future.succeededFuture(rental); // a repeat: answer the rental as it is
      throw refusal(rental, wanted);
    });
  }

  private static DomainException refusal(Rental rental, RentalState wanted) {
    JsonObject ext = new JsonObject().put("state", rental.state().name());
    return switch (rental.state()) {
      case FINISHED, ENDED -> new DomainException(Kind.INVALID_STATE, "rental " + rental.id() + " is already "
          + rental.state().name().toLowerCase(), ext.put(REASON, ALREADY_FINISHED));
      case CANCELLED, FAILED, REFUNDED -> new DomainException(Kind.INVALID_STATE, "rental " + rental.id() + " is already "
          + rental.state().name().toLowerCase(), ext.put(REASON, ALREADY_CANCELLED));
      default -> wanted == RentalState.CANCELLED
          ? new DomainException(Kind.INVALID_STATE, "the cancel window of rental " + rental.id() + " closed at "
              + rental.cancelUntil().toInstant() + "; it can no longer be refunded by cancelling",
              ext.put(REASON, CANCEL_WINDOW_CLOSED).put("cancelUntil", rental.cancelUntil().toInstant().toString()))
          : new DomainException(Kind.INVALID_STATE, "rental " + rental.id() + " is not active yet", ext);
    };
  }

  /** The price of extending by {@code hours} at the rental's own hourly price, and the bounds that apply. */
  public Future<Long> extensionPrice(long id, long accountId, int hours) {
    return get(id, accountId).compose(rental -> checkExtension(rental, hours).map(v -> priceOf(rental, hours)));
  }

  /** Holds the extension's price and moves the end; refused once the rental ended or closed. */
  public Future<Rental> extend(long id, long accountId, int hours) {
    return get(id, accountId).compose(rental -> checkExtension(rental, hours).compose(max -> {
      long price = priceOf(rental, hours);
      return rentals.extend(id, accountId, hours, price, max).compose(extension -> {
        if (extension.isPresent()) return timers.sync(id).compose(v -> get(id, accountId));
        return get(id, accountId).compose(now -> checkExtension(now, hours)).compose(v -> Future.failedFuture(
            new DomainException(Kind.INSUFFICIENT_FUNDS, "the balance does not cover the extension's price "
                + Money.format(price), new JsonObject().put("price", Money.format(price)))));
      });
    }));
  }

  private static long priceOf(Rental rental, int hours) {
    try {
      return Math.multiplyExact(rental.hourlyPrice(), (long) hours);
    } catch (ArithmeticException e) {
      throw DomainException.invalid("the extension's price is out of range");
    }
  }

  /** Answers the most total hours the rental may reach, or fails with why it cannot be extended. */
  private Future<Integer> checkExtension(Rental rental, int hours) {
    boolean ended = rental.state() != RentalState.ACTIVE || !rental.endsAt().toInstant().isAfter(java.time.Instant.now());
    if (ended) {
      return Future.failedFuture(new DomainException(Kind.INVALID_STATE, "rental " + rental.id()
          + " has ended; it cannot be extended", new JsonObject().put(REASON, RENT_ENDED).put("state", rental.state().name())));
    }
    return policyOf(rental).map(this::bounds).map(bounds -> {
      int room = bounds.maxHours() - rental.hours();
      if (hours < 1 || hours > room) {
        throw new DomainException(Kind.INVALID_INPUT, "'hours' must be between 1 and " + Math.max(room, 0)
            + " (a rental lasts at most " + bounds.maxHours() + " hours)", new JsonObject().put("field", "hours")
            .put(REASON, BAD_DURATION).put("maxHours", bounds.maxHours()));
      }
      return bounds.maxHours();
    });
  }

  /** The policy version the rental was bought under (the one in force now for rentals older than policies). */
  public Future<RefundPolicy> policyOf(Rental rental) {
    return rental.policy() == null ? policies.inForce().map(Policies.InForce::policy)
        : policies.version(rental.policy().id(), rental.policy().version());
  }

  /**
   * Refunds the next {@code limit} active rentals of an outage's scope whose policy refunds an outage automatically
   * (smssb: "if a Platform-wide disruption affects your active order, it will be automatically refunded"), from the
   * outage's start; each is closed with its supplier next. The ids refunded, empty when none is left.
   */
  public Future<List<Long>> refundOutage(long outageId, String providerId, String service, Integer country,
                                         OffsetDateTime startsAt, OffsetDateTime startedNoLaterThan, int limit) {
    return rentals.refundOutageBatch(outageId, providerId, service, country, startsAt, startedNoLaterThan, limit)
        .compose(ids -> ids.isEmpty() ? Future.succeededFuture(ids) : timers.syncAll(ids).map(ids));
  }

  // ---- SMS and incidents

  /**
   * Stores an SMS a supplier sent for {@code phone} on the active rental holding it; {@code rentalId} is null when no
   * rental does. Deduplicated like activation SMS; the webhook event, if any, is posted right after the commit.
   */
  public Future<RentalRepository.SmsStored> deliver(String phone, String providerId, IncomingSms sms) {
    StoredSms s = StoredSms.of(sms);
    return rentals.deliverToPhone(phone, providerId, s.dedupeKey(), s.sender(), s.text(), s.code())
        .onSuccess(stored -> {
          if (stored.webhookEventId() != null) {
            timerService.schedule(new Timer(TimerKind.WEBHOOK, stored.webhookEventId(), System.currentTimeMillis()))
                .onFailure(e -> LOG.warn("could not schedule webhook event {}; the sweep will send it: {}",
                    stored.webhookEventId(), e.toString()));
          }
        });
  }

  /**
   * The supplier says the rented number is dead. Where the rental's policy refunds it automatically
   * ({@code rental.refunds.number_broken_upstream}: in full, or the unused part pro rata from now), the rental ends
   * REFUNDED in one statement with its money, the incident is recorded and the supplier close follows; otherwise the
   * incident is recorded once and opens a claim for review (docs/rentals.md). True when something new happened.
   */
  public Future<Boolean> numberDead(long id, String evidence) {
    String text = evidence == null || evidence.isBlank() ? "(no detail)" : evidence.length() > 2000 ? evidence.substring(0, 2000) : evidence;
    return rentals.findAny(id).compose(found -> {
      if (found.isEmpty()) return Future.succeededFuture(false);
      Rental rental = found.get();
      return policyOf(rental).compose(policy -> {
        Optional<RefundPolicy.RentalRefund> how = policy.rental()
            .map(r -> r.refunds().get(RefundPolicy.AutoRefundEvent.NUMBER_BROKEN_UPSTREAM));
        if (how.isEmpty() || rental.state() != RentalState.ACTIVE) return rentals.recordIncident(id, "NUMBER_DEAD", text);
        RentalRepository.AutoRefund refund = new RentalRepository.AutoRefund(id, how.get().name().toLowerCase(), null);
        return rentals.refundAutomatically(java.util.List.of(refund), "number_broken_upstream",
                "the supplier reports the number dead: refunded (" + how.get().name().toLowerCase() + ")", "NUMBER_DEAD", text)
            .compose(refunded -> refunded.isEmpty() ? rentals.recordIncident(id, "NUMBER_DEAD", text)
                : timers.sync(id).map(true));
      });
    }).onSuccess(fresh -> {
      if (fresh) LOG.atWarn().addKeyValue("orderId", id).log("rental {}: supplier reports the number dead: {}", id, evidence);
    });
  }
}
