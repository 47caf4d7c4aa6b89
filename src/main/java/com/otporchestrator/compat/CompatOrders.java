package com.otporchestrator.compat;

import com.otporchestrator.order.Channel;
import static com.otporchestrator.compat.CompatTokens.refuse;

import com.otporchestrator.account.Account;
import com.otporchestrator.activation.Activation;
import com.otporchestrator.activation.ActivationService;
import com.otporchestrator.activation.ActivationState;
import com.otporchestrator.activation.PurchaseRequest;
import com.otporchestrator.activation.PurchaseService;
import com.otporchestrator.api.ClientAddress;
import com.otporchestrator.catalog.CatalogRepository;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.compat.CompatRoutes.Action;
import com.otporchestrator.compat.CompatRoutes.Params;
import com.otporchestrator.compat.CompatRoutes.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Order actions of the Hero generation and the official SDK beyond the classic set: every SMS of an activation,
 * reactivation (a new, separately charged activation on the number of a finished one), an additional service on the
 * number of a live one, and the family's refusal of multi-service numbers. A reactivation or an additional service is
 * an ordinary purchase (hold, allocate, its own policy version) asked of the supplier that holds the number, which must
 * be able to hand it out again ({@code Provider.reusesNumbers()}); otherwise the family's refusal token answers.
 */
final class CompatOrders {
  private static final Logger LOG = LoggerFactory.getLogger(CompatOrders.class);
  /** getAllSms: Hero's page size by default and at most. */
  private static final int SMS_PAGE_MAX = 100;
  /** How many live orders are looked through for a repeated additional service. */
  private static final int LIVE_LOOKUP = 500;

  private final PurchaseService purchases;
  private final ActivationService activations;
  private final CatalogRepository catalog;

  CompatOrders(PurchaseService purchases, ActivationService activations, CatalogRepository catalog) {
    this.purchases = purchases;
    this.activations = activations;
    this.catalog = catalog;
  }

  void register(BiConsumer<String, Action> actions) {
    actions.accept("getAllSms", json(this::allSms));
    actions.accept("reactivationPrice", json(this::reactivationPrice));
    actions.accept("reactivate", json((account, p) -> reactivate(account, p, "id")
        .map(a -> Reply.json(CompatViews.number(a, null)))));
    actions.accept("getExtraActivation", (account, p) -> reactivate(account, p, "activationId")
        .map(a -> Reply.text("ACCESS_NUMBER:" + a.id() + ":" + a.phone())));
    actions.accept("checkExtraActivation", this::checkExtra);
    actions.accept("getAdditionalService", this::additional);
    actions.accept("getMultiServiceNumber", (account, p) -> {
      PurchaseParams.check(p, PurchaseParams.MULTI);
      throw refuse(CompatTokens.NOT_AVAILABLE); // we sell one service per number (getCountries: multiService 0)
    });
  }

  /** The Hero-generation JSON actions answer refusals in Hero's JSON variant ({@code {"title","details","info"}}). */
  static Action json(Action action) {
    return (account, params) -> {
      Future<Reply> reply;
      try {
        reply = action.run(account, params);
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      return reply.recover(failure -> {
        JsonObject error = CompatTokens.jsonError(failure);
        if (error == null) {
          LOG.error("sms-activate JSON action failed unexpectedly", failure);
          error = new JsonObject().put("title", CompatTokens.SERVER_ERROR).put("details", "internal error")
              .put("info", new JsonObject());
        }
        return Future.succeededFuture(Reply.json(error));
      });
    };
  }

  // ---- getAllSms

  /**
   * {"data":[{id, phoneFrom, code, text, service, date, type}], "meta":{total, service}}: every SMS of the activation,
   * oldest first, {@code size} (at most {@value #SMS_PAGE_MAX}) per page, {@code page} counted from 1; whatever the
   * order's state. {@code id} is the SMS's position in the order.
   */
  private Future<Reply> allSms(Account account, Params p) {
    long id = p.activationId();
    int size = p.count("size", SMS_PAGE_MAX, SMS_PAGE_MAX);
    int page = Math.max(1, p.count("page", 1, 1_000_000));
    if (size == 0) throw refuse(CompatTokens.ERROR_SQL);
    return activations.get(id, account.id()).map(a -> {
      List<Activation.ReceivedSms> sms = a.sms();
      JsonArray data = new JsonArray();
      long from = (long) (page - 1) * size;
      for (long i = from; i < Math.min(sms.size(), from + size); i++) {
        Activation.ReceivedSms s = sms.get((int) i);
        data.add(new JsonObject().put("id", String.valueOf(i + 1)).put("phoneFrom", s.sender())
            .put("code", s.code()).put("text", s.text()).put("service", a.service())
            .put("date", s.receivedAt() == null ? null : CompatTokens.time(OffsetDateTime.parse(s.receivedAt())))
            .put("type", "sms"));
      }
      return Reply.json(new JsonObject().put("data", data)
          .put("meta", new JsonObject().put("total", sms.size()).put("service", a.service())));
    });
  }

  // ---- reactivation

  /** An order whose number may be had again: finished, with its number known. */
  private Future<Activation> reusable(Account account, long id) {
    return activations.get(id, account.id()).map(order -> {
      if (order.state() != ActivationState.FINISHED || order.phone() == null) {
        throw detailed(CompatTokens.RENEW_ACTIVATION_NOT_AVAILABLE, "only a finished activation can be reactivated",
            new JsonObject().put("state", order.state().name()));
      }
      return order;
    });
  }

  /** {"data":{"price","currency"}}: what a reactivation costs now (its supplier's price for the service). */
  private Future<Reply> reactivationPrice(Account account, Params p) {
    PurchaseParams.check(p, PurchaseParams.REUSE);
    long id = p.activationId();
    return reusable(account, id).compose(order -> supplierPrice(order, order.service())).map(price -> Reply.json(
        new JsonObject().put("data", new JsonObject().put("price", CompatViews.usd(price)).put("currency", CompatViews.USD))));
  }

  /** The price of {@code service} at the supplier holding the order's number; refused when it sells none. */
  private Future<Long> supplierPrice(Activation order, String service) {
    return catalog.rankedOffers(service, order.country())
        .map(offers -> offers.stream().filter(o -> o.offer().providerId().equals(order.providerId())).findFirst()
            .map(o -> o.offer().price())
            .orElseThrow(() -> detailed(CompatTokens.RENEW_ACTIVATION_NOT_AVAILABLE,
                "the number's supplier no longer sells this service here", null)))
        .recover(failure -> Future.failedFuture(failure instanceof DomainException d && d.kind() != Kind.INVALID_STATE
            ? detailed(CompatTokens.RENEW_ACTIVATION_NOT_AVAILABLE, d.getMessage(), null) : failure));
  }

  private Future<Activation> reactivate(Account account, Params p, String idName) {
    if (!account.active()) throw refuse(CompatTokens.banned(account));
    PurchaseParams.check(p, idName.equals("id") ? PurchaseParams.REUSE : java.util.Set.of("activationId", "ref", "userId"));
    String raw = p.get(idName);
    if (raw == null || !raw.strip().matches("\\d{1,18}")) throw refuse(CompatTokens.WRONG_ACTIVATION_ID);
    long id = Long.parseLong(raw.strip());
    return reusable(account, id).compose(order -> buyOn(account, p, order, order.service(),
        CompatTokens.RENEW_ACTIVATION_NOT_AVAILABLE));
  }

  /** checkExtraActivation: {status, cost, service, phone, country} of a reactivation, without buying it. */
  private Future<Reply> checkExtra(Account account, Params p) {
    String raw = p.get("activationId");
    if (raw == null || !raw.strip().matches("\\d{1,18}")) throw refuse(CompatTokens.WRONG_ACTIVATION_ID);
    return reusable(account, Long.parseLong(raw.strip())).compose(order -> supplierPrice(order, order.service())
        .map(price -> Reply.json(new JsonObject().put("status", "success").put("cost", CompatViews.usd(price))
            .put("service", order.service()).put("phone", order.phone()).put("country", order.country()))));
  }

  /**
   * The purchase on the number of {@code order}: the normal path (the hold, the allocation watchdog, the policy in
   * force) asked only of the order's supplier, for that number. A supplier that cannot, or that has no stock for the
   * service, answers {@code refusal}; nothing is charged then.
   */
  private Future<Activation> buyOn(Account account, Params p, Activation order, String service, String refusal) {
    PurchaseRequest request = new PurchaseRequest(service, order.country(), null, null, List.of(), null, Channel.COMPAT,
        new PurchaseRequest.Reuse(order.id(), order.providerId(), order.phone()), ClientAddress.of(p.ctx()));
    return purchases.purchase(account.id(), request).recover(failure -> {
      if (failure instanceof DomainException d && switch (d.kind()) {
        case NO_NUMBERS, UPSTREAM_FAILED, INVALID_STATE -> true;
        default -> false;
      }) {
        return Future.failedFuture(detailed(refusal, d.getMessage(), null));
      }
      return Future.failedFuture(failure);
    });
  }

  // ---- additional service

  /**
   * getAdditionalService (id = a live activation, service = another service): a new activation for that service on
   * the same number, answered {@code ADDITIONAL:<id>:<phone>}. WRONG_ACTIVATION_ID for an order that is not live,
   * WRONG_ADDITIONAL_SERVICE for its own service or an unknown one, REPEAT_ADDITIONAL_SERVICE when that service is
   * already live on the number.
   */
  private Future<Reply> additional(Account account, Params p) {
    if (!account.active()) throw refuse(CompatTokens.banned(account));
    PurchaseParams.check(p, PurchaseParams.REUSE);
    String raw = p.get("id");
    if (raw == null || !raw.strip().matches("\\d{1,18}")) throw refuse(CompatTokens.WRONG_ACTIVATION_ID);
    String service = p.get("service");
    if (service == null || !service.strip().matches("[a-z0-9_]{1,20}")) throw refuse(CompatTokens.WRONG_ADDITIONAL_SERVICE);
    String wanted = service.strip();
    return activations.get(Long.parseLong(raw.strip()), account.id())
        .recover(failure -> Future.failedFuture(refuse(CompatTokens.WRONG_ACTIVATION_ID)))
        .compose(parent -> {
          if (!parent.state().open() || parent.phone() == null) throw refuse(CompatTokens.WRONG_ACTIVATION_ID);
          if (parent.service().equals(wanted)) throw refuse(CompatTokens.WRONG_ADDITIONAL_SERVICE);
          return activations.live(account.id(), LIVE_LOOKUP).compose(live -> {
            boolean repeated = live.stream().anyMatch(a -> parent.phone().equals(a.phone()) && a.service().equals(wanted));
            if (repeated) throw refuse(CompatTokens.REPEAT_ADDITIONAL_SERVICE);
            return buyOn(account, p, parent, wanted, CompatTokens.NO_NUMBERS)
                .recover(failure -> Future.failedFuture(failure instanceof DomainException d
                    && d.kind() == Kind.INVALID_INPUT ? refuse(CompatTokens.WRONG_ADDITIONAL_SERVICE) : failure));
          });
        })
        .map(child -> Reply.text("ADDITIONAL:" + child.id() + ":" + child.phone()));
  }

  private static CompatTokens.DetailedRefusal detailed(String token, String details, JsonObject info) {
    return new CompatTokens.DetailedRefusal(token, details, info);
  }

  /** Hero's minActivationTime of an order: seconds from its purchase until it may be cancelled. */
  static long minActivationSeconds(Activation order) {
    return Math.max(0, Duration.between(order.createdAt(), order.cancellableAt()).toSeconds());
  }
}
