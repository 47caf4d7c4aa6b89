package com.otporchestrator.console;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.outage.OutageDecisions;
import com.otporchestrator.outage.OutageRepository;
import com.otporchestrator.staff.Role.Action;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Outages: suspected ones to confirm or dismiss, refunds in progress with their count (the list follows them, through
 * htmx, while one is refunding), declaring a new one.
 */
final class OutagePages {
  static final int PAGE = 50;
  private final Console console;
  private final OutageRepository outages;
  private final OutageDecisions decisions;

  OutagePages(Console console, OutageRepository outages, OutageDecisions decisions) {
    this.console = console;
    this.outages = outages;
    this.decisions = decisions;
  }

  void mount(Router router) {
    router.get("/console/outages").handler(this::list);
    router.post("/console/outages").handler(this::declare);
    router.post("/console/outages/:id/confirm").handler(ctx -> decide(ctx, true));
    router.post("/console/outages/:id/dismiss").handler(ctx -> decide(ctx, false));
  }

  private void list(RoutingContext ctx) {
    Console.run(ctx, () -> outages.list(null, Console.queryId(ctx, "before"), PAGE).onSuccess(list ->
        console.show(ctx, 200, "Outages", "/console/outages", "console/outages.jte", "outages", list,
            "decide", Console.may(ctx, Action.DECIDE_OUTAGE),
            "refunding", list.stream().anyMatch(o -> o.state().equals("REFUNDING")), "now", Instant.now().minusSeconds(3600).toString(),
            "next", list.size() == PAGE ? list.get(list.size() - 1).id() : null)));
  }

  /** The same checks as {@code POST /admin/v1/outages}: a scope (or platform-wide), a start not in the future. */
  private void declare(RoutingContext ctx) {
    Console.run(ctx, () -> {
      Console.require(ctx, Action.DECIDE_OUTAGE);
      String provider = Console.form(ctx, "provider");
      String service = Console.form(ctx, "service");
      String countryText = Console.form(ctx, "country");
      Integer country;
      try {
        country = countryText == null ? null : Integer.valueOf(countryText);
      } catch (NumberFormatException e) {
        throw DomainException.invalid("The country is a number, such as 0 for Russia.");
      }
      boolean platformWide = "on".equals(Console.form(ctx, "platformWide"));
      boolean scoped = provider != null || service != null || country != null;
      if (platformWide == scoped) throw DomainException.invalid("Give a supplier, service or country, or tick platform-wide (not both).");
      OffsetDateTime from = instant(Console.requiredForm(ctx, "from", 40));
      if (from.toInstant().isAfter(Instant.now().plusSeconds(60))) throw DomainException.invalid("'from' must not be in the future.");
      String toText = Console.form(ctx, "to");
      OffsetDateTime to = toText == null ? null : instant(toText);
      if (to != null && !to.isAfter(from)) throw DomainException.invalid("'to' must be after 'from'.");
      String reason = Console.form(ctx, "reason");
      if (reason != null && reason.length() > 500) throw DomainException.invalid("The reason is at most 500 characters.");
      return decisions.declare(new OutageRepository.Declaration(provider, service, country, platformWide, from, to, reason),
          Console.person(ctx).actor()).onSuccess(o -> Console.back(ctx, "/console/outages", "declared"));
    });
  }

  private void decide(RoutingContext ctx, boolean confirm) {
    Console.run(ctx, () -> {
      Console.require(ctx, Action.DECIDE_OUTAGE);
      return decisions.decide(Console.pathId(ctx, "id"), confirm, Console.person(ctx).actor())
          .onSuccess(o -> Console.back(ctx, "/console/outages", confirm ? "confirmed" : "dismissed"));
    });
  }

  private static OffsetDateTime instant(String text) {
    try {
      return OffsetDateTime.ofInstant(Instant.parse(text), ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw DomainException.invalid("Times are instants such as 2030-01-31T12:00:00Z.");
    }
  }
}
