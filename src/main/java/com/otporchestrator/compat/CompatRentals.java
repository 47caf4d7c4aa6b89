package com.otporchestrator.compat;

import static com.otporchestrator.compat.CompatTokens.refuse;

import com.otporchestrator.account.Account;
import com.otporchestrator.compat.CompatRoutes.Action;
import com.otporchestrator.compat.CompatRoutes.Params;
import com.otporchestrator.compat.CompatRoutes.Reply;
import com.otporchestrator.order.Channel;
import com.otporchestrator.rental.Rental;
import com.otporchestrator.rental.RentalService;
import com.otporchestrator.rental.RentalState;
import com.otporchestrator.webhook.WebhookUrls;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol's rent actions (docs/protocol-details.md, rent actions) over {@link RentalService}. Successes and refusals are JSON, as the
 * protocol has them ({@code {"status":"success",...}} / {@code {"status":"error","message":TOKEN}}); only the
 * authentication tokens before an action runs stay text, like every other action. Times are Moscow time.
 */
final class CompatRentals {
  private static final Logger LOG = LoggerFactory.getLogger(CompatRentals.class);
  /** sms-activate's default rent_time, and the old Java SDK's minimum. */
  private static final int DEFAULT_RENT_HOURS = 4;
  private static final int LIST_LIMIT = 500;
  private static final int PAGE_MAX = 500;
  /** The names clients give the rental's length, all in hours. */
  static final List<String> DURATION_NAMES = List.of("rent_time", "time", "duration");
  private static final DateTimeFormatter END_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  private final RentalService rentals;
  private final WebhookUrls webhookUrls;

  CompatRentals(RentalService rentals, WebhookUrls webhookUrls) {
    this.rentals = rentals;
    this.webhookUrls = webhookUrls;
  }

  void register(BiConsumer<String, Action> actions) {
    actions.accept("getRentServicesAndCountries", json(this::servicesAndCountries));
    actions.accept("getRentNumber", json(this::rentNumber));
    actions.accept("getRentStatus", json(this::rentStatus));
    actions.accept("setRentStatus", json(this::setRentStatus));
    actions.accept("getRentList", json(this::rentList));
    actions.accept("continueRentNumber", json(this::continueRent));
    actions.accept("getContinueRentPriceNumber", json(this::continuePrice));
  }

  /** Every refusal becomes {"status":"error","message":TOKEN}; anything unexpected is logged and SERVER_ERROR. */
  private static Action json(Action action) {
    return (account, params) -> {
      Future<Reply> reply;
      try {
        reply = action.run(account, params);
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      return reply.recover(failure -> {
        String token = CompatTokens.ofRent(failure);
        if (token == null) {
          LOG.error("rent action failed unexpectedly", failure);
          token = CompatTokens.SERVER_ERROR;
        }
        return Future.succeededFuture(error(token));
      });
    };
  }

  private static Reply error(String token) {
    return Reply.json(new JsonObject().put("status", "error").put("message", token));
  }

  private static Reply success(JsonObject fields) {
    return Reply.json(new JsonObject().put("status", "success").mergeIn(fields));
  }

  // ---- catalogue

  /** {"countries":{"0":2}, "operators":{"0":"any"}, "services":{"full":{"cost":..,"quant":..}}, "currency":840}. */
  private Future<Reply> servicesAndCountries(Account account, Params p) {
    PurchaseParams.check(p, PurchaseParams.RENT);
    anyOperator(p);
    int hours = rentHours(p);
    Integer asked = p.optionalCountry();
    return rentals.repository().catalogue(null, hours).map(rows -> {
      JsonObject countries = new JsonObject();
      List<Integer> ids = rows.stream().map(r -> r.getInteger("country")).distinct().toList();
      for (int i = 0; i < ids.size(); i++) countries.put(String.valueOf(i), ids.get(i));
      int country = asked != null ? asked : ids.contains(0) || ids.isEmpty() ? 0 : ids.get(0);
      JsonObject services = new JsonObject();
      for (JsonObject row : rows) {
        if (row.getInteger("country") != country) continue;
        java.math.BigDecimal price = CompatViews.usd(Math.multiplyExact(row.getLong("hourlyPrice"), (long) hours));
        // the classic fields (cost, quant) and Hero's (price, retail_price, quantity): the same figures
        services.put(row.getString("service"), new JsonObject()
            .put("cost", price).put("quant", row.getLong("stock"))
            .put("price", price).put("retail_price", price).put("quantity", row.getLong("stock")));
      }
      return Reply.json(new JsonObject().put("countries", countries)
          .put("operators", new JsonObject().put("0", "any")).put("services", services).put("currency", 840));
    });
  }

  // ---- renting

  private Future<Reply> rentNumber(Account account, Params p) {
    if (!account.active()) throw refuse(CompatTokens.ACCOUNT_INACTIVE);
    PurchaseParams.check(p, PurchaseParams.RENT);
    anyOperator(p);
    String service = p.optionalService();
    Integer country = p.optionalCountry();
    int hours = rentHours(p);
    String url = p.get("url");
    if (url != null && url.isBlank()) url = null;
    if (url != null) webhookUrls.validate("url", url.strip());
    RentalService.RentRequest request = new RentalService.RentRequest(
        service == null || Rental.ANY_SERVICE.equals(service) ? null : service, country == null ? 0 : country, hours,
        url == null ? null : url.strip(), Channel.COMPAT);
    return rentals.purchase(account.id(), request).map(r -> success(new JsonObject().put("phone", phone(r))));
  }

  private static JsonObject phone(Rental r) {
    return new JsonObject().put("id", r.id())
        .put("endDate", r.endsAt().atZoneSameInstant(CompatTokens.ZONE).format(END_DATE))
        .put("number", r.phone());
  }

  private Future<Reply> continueRent(Account account, Params p) {
    if (!account.active()) throw refuse(CompatTokens.ACCOUNT_INACTIVE);
    PurchaseParams.check(p, PurchaseParams.RENT_EXTEND);
    long id = rentId(p);
    int hours = rentHours(p);
    return rentals.extend(id, account.id(), hours).map(r -> success(new JsonObject().put("phone", phone(r))));
  }

  private Future<Reply> continuePrice(Account account, Params p) {
    PurchaseParams.check(p, PurchaseParams.RENT_EXTEND);
    long id = rentId(p);
    int hours = rentHours(p);
    return rentals.extensionPrice(id, account.id(), hours)
        .map(price -> success(new JsonObject().put("price", CompatViews.usd(price)).put("currency", 840)));
  }

  // ---- reading

  /** The SMS of a rental, newest page first as the protocol pages them; STATUS_* messages when there are none. */
  private Future<Reply> rentStatus(Account account, Params p) {
    long id = rentId(p);
    int page = p.count("page", 0, 1_000_000);
    int size = p.count("size", PAGE_MAX, PAGE_MAX);
    return rentals.get(id, account.id()).map(r -> {
      if (r.state() == RentalState.CANCELLED || r.state() == RentalState.FAILED || r.state() == RentalState.REFUNDED) {
        return error(CompatTokens.STATUS_CANCEL);
      }
      if (r.sms().isEmpty()) {
        return error(r.state().captured() ? CompatTokens.STATUS_FINISH : CompatTokens.STATUS_WAIT_CODE);
      }
      JsonObject values = new JsonObject();
      List<Rental.ReceivedSms> sms = r.sms();
      int from = (int) Math.min((long) page * Math.max(size, 1), sms.size());
      int to = Math.min(from + Math.max(size, 1), sms.size());
      for (int i = from; i < to; i++) {
        Rental.ReceivedSms s = sms.get(i);
        values.put(String.valueOf(i - from), new JsonObject().put("phoneFrom", s.sender()).put("text", s.text())
            .put("service", r.serviceCode())
            .put("date", CompatTokens.time(java.time.OffsetDateTime.parse(s.receivedAt()))));
      }
      return success(new JsonObject().put("quantity", String.valueOf(sms.size())).put("values", values));
    });
  }

  /** {"status":"success","values":{"0":{"id":1049,"phone":79959707564}}}: the account's active rentals. */
  private Future<Reply> rentList(Account account, Params p) {
    return rentals.list(account.id(), RentalState.ACTIVE, null, LIST_LIMIT).map(list -> {
      JsonObject values = new JsonObject();
      for (int i = 0; i < list.size(); i++) {
        Rental r = list.get(i);
        values.put(String.valueOf(i), new JsonObject().put("id", r.id()).put("phone", Long.parseLong(r.phone())));
      }
      return success(new JsonObject().put("values", values));
    });
  }

  // ---- setRentStatus: 1 finish, 2 cancel

  private Future<Reply> setRentStatus(Account account, Params p) {
    long id = rentId(p);
    String status = p.get("status") == null ? "" : p.get("status").strip();
    if (!status.equals("1") && !status.equals("2")) throw refuse(CompatTokens.INCORECT_STATUS);
    return rentals.get(id, account.id()).compose(r -> {
      if (r.state().captured()) throw refuse(CompatTokens.ALREADY_FINISH);
      if (r.state() == RentalState.CANCELLED || r.state() == RentalState.FAILED || r.state() == RentalState.REFUNDED) {
        throw refuse(CompatTokens.ALREADY_CANCEL);
      }
      Future<Rental> done = status.equals("1") ? rentals.finish(id, account.id()) : rentals.cancel(id, account.id());
      return done.map(after -> success(new JsonObject()));
    });
  }

  // ---- parameters

  private static long rentId(Params p) {
    String raw = p.get("id");
    if (raw == null || !raw.strip().matches("\\d{1,18}")) throw refuse(CompatTokens.NO_ID_RENT);
    return Long.parseLong(raw.strip());
  }

  /**
   * The rental's length in hours: {@code rent_time} (the PHP and Java SDKs), {@code time} (the Python package) or
   * {@code duration} (Hero's clients); 4 when none is sent. Sent more than once with different values, the length is
   * contradictory and refused (BAD_DURATION): a request never rents a length it did not ask for.
   */
  static int rentHours(Params p) {
    Integer hours = null;
    for (String name : DURATION_NAMES) {
      String raw = p.get(name);
      if (raw == null || raw.isBlank()) continue;
      if (!raw.strip().matches("\\d{1,4}") || Integer.parseInt(raw.strip()) < 1) throw refuse(CompatTokens.BAD_DURATION);
      int value = Integer.parseInt(raw.strip());
      if (hours != null && hours != value) throw refuse(CompatTokens.BAD_DURATION);
      hours = value;
    }
    return hours == null ? DEFAULT_RENT_HOURS : hours;
  }

  /** A rented number's operator is the supplier's choice: only "any" (or none) can be honoured. */
  private static void anyOperator(Params p) {
    String operator = p.get("operator");
    if (operator != null && !operator.isBlank() && !operator.strip().equals("any")) throw refuse(CompatTokens.WRONG_OPERATOR);
  }
}
