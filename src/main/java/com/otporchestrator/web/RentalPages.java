package com.otporchestrator.web;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.Money;
import com.otporchestrator.order.Channel;
import com.otporchestrator.rental.Rental;
import com.otporchestrator.rental.RentalRefunds;
import com.otporchestrator.rental.RentalService;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/** Rentals: the list, renting a number (price per hour shown), one rental with its period and SMS, extend, cancel, finish. */
public final class RentalPages {
  private static final int MAX_HOURS = 24 * 90;

  /** A rental as the pages show it; the refund words come from the policy engine's decision. */
  public record View(long id, String service, int country, String phone, String state, boolean open, int hours,
                     String price, String hourlyPrice, String startsAt, String endsAt, String refundWords,
                     List<String> claimWords, boolean cancelRefunds, List<Rental.ReceivedSms> sms, String policy,
                     String serverNow) {}

  /** A line of the rent catalogue. */
  public record Offer(int country, String service, String hourlyPrice, long stock) {}

  private final CustomerPages pages;
  private final RentalService rentals;
  private final RentalRefunds refunds;
  private final CountryNames countries;

  RentalPages(CustomerPages pages, RentalService rentals, CountryNames countries) {
    this.pages = pages;
    this.countries = countries;
    this.rentals = rentals;
    this.refunds = new RentalRefunds(rentals);
  }

  void mount(Router router) {
    router.get("/app/rentals").handler(this::list);
    router.post("/app/rentals").handler(this::rent);
    router.get("/app/rentals/:id").handler(this::detail);
    router.post("/app/rentals/:id/cancel").handler(ctx -> act(ctx, rentals::cancel, "Cancelled."));
    router.post("/app/rentals/:id/finish").handler(ctx -> act(ctx, rentals::finish, "Finished."));
    router.post("/app/rentals/:id/extend").handler(this::extend);
  }

  private void list(RoutingContext ctx) {
    showList(ctx, 200, null);
  }

  private void showList(RoutingContext ctx, int status, String error) {
    long accountId = CustomerSessions.account(ctx).id();
    Instant now = Instant.now();
    rentals.list(accountId, null, null, 50)
        .compose(list -> Future.all(list.stream().map(r -> refunds.position(r.id(), accountId, now)).toList())
            .map(all -> all.<RentalRefunds.Position>list().stream().map(p -> view(p, now)).toList()))
        .compose(views -> rentals.repository().catalogue(null).map(rows -> {
          List<Offer> offers = rows.stream().map(o -> new Offer(o.getInteger("country"), o.getString("service"),
              Money.format(o.getLong("hourlyPrice")), o.getLong("stock"))).toList();
          pages.render(ctx, status, pages.page(ctx, "Rentals", "/app/rentals"), "app/rentals.jte", "rentals", views,
              "offers", offers, "error", error, "countries", countries);
          return null;
        })).onFailure(ctx::fail);
  }

  private void rent(RoutingContext ctx) {
    var account = CustomerSessions.account(ctx);
    RentalService.RentRequest request;
    try {
      if (!account.active()) throw new DomainException(DomainException.Kind.FORBIDDEN, "this account is suspended");
      String service = ctx.request().getFormAttribute("service");
      String country = ctx.request().getFormAttribute("country");
      int hours = hours(ctx);
      if (service == null || !service.matches("[a-z0-9_]{1,20}") || country == null || !country.matches("\\d{1,6}")) {
        throw DomainException.invalid("choose a number from the list");
      }
      request = new RentalService.RentRequest(Rental.ANY_SERVICE.equals(service) ? null : service,
          Integer.parseInt(country), hours, null, Channel.WEB);
    } catch (DomainException e) {
      showList(ctx, 400, e.getMessage());
      return;
    }
    rentals.purchase(account.id(), request)
        .onSuccess(r -> ActivationPages.redirect(ctx, "/app/rentals/" + r.id(), "Rented for " + r.hours() + " hours."))
        .onFailure(e -> {
          if (e instanceof DomainException d) showList(ctx, 409, d.getMessage());
          else ctx.fail(e);
        });
  }

  private void detail(RoutingContext ctx) {
    long id = id(ctx);
    if (id < 0) return;
    Instant now = Instant.now();
    refunds.position(id, CustomerSessions.account(ctx).id(), now)
        .onSuccess(p -> pages.render(ctx, pages.page(ctx, "Rental #" + id, "/app/rentals"), "app/rental.jte",
            "rental", view(p, now), "countries", countries))
        .onFailure(ctx::fail);
  }

  private void extend(RoutingContext ctx) {
    long id = id(ctx);
    if (id < 0) return;
    int hours;
    try {
      hours = hours(ctx);
    } catch (DomainException e) {
      ctx.fail(e);
      return;
    }
    rentals.extend(id, CustomerSessions.account(ctx).id(), hours)
        .onSuccess(r -> ActivationPages.redirect(ctx, "/app/rentals/" + id, "Extended by " + hours + " hours."))
        .onFailure(ctx::fail);
  }

  private void act(RoutingContext ctx, BiFunction<Long, Long, Future<Rental>> action, String done) {
    long id = id(ctx);
    if (id < 0) return;
    action.apply(id, CustomerSessions.account(ctx).id())
        .onSuccess(r -> ActivationPages.redirect(ctx, "/app/rentals/" + id, done)).onFailure(ctx::fail);
  }

  private static int hours(RoutingContext ctx) {
    String raw = ctx.request().getFormAttribute("hours");
    if (raw == null || !raw.matches("\\d{1,5}") || Integer.parseInt(raw) < 1 || Integer.parseInt(raw) > MAX_HOURS) {
      throw DomainException.invalid("hours must be a whole number from 1 to " + MAX_HOURS);
    }
    return Integer.parseInt(raw);
  }

  private long id(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    if (raw == null || !raw.matches("[1-9]\\d{0,17}")) {
      pages.pages().notFound(ctx);
      return -1;
    }
    return Long.parseLong(raw);
  }

  static View view(RentalRefunds.Position p, Instant now) {
    Rental r = p.rental();
    boolean cancelRefunds = p.decision().options().stream()
        .anyMatch(o -> o.action() == com.otporchestrator.policy.RefundDecision.Action.CANCEL);
    int hours = r.hours(); // extensions included
    String policy = r.policy() == null ? p.policy().id() + " v" + p.policy().version()
        : r.policy().id() + " v" + r.policy().version();
    return new View(r.id(), r.serviceCode(), r.country(), r.phone(), r.state().name().toLowerCase(), r.state().open(),
        hours, Money.format(r.totalPrice()), Money.format(r.hourlyPrice()),
        r.startsAt() == null ? null : r.startsAt().toInstant().toString(),
        r.endsAt() == null ? null : r.endsAt().toInstant().toString(),
        RefundWords.position(p.decision(), p.refunded(), now), RefundWords.claims(p.decision(), now), cancelRefunds,
        r.sms(), policy, now.toString());
  }
}
