package com.otporchestrator.outage;

import com.otporchestrator.api.AdminAuth;
import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.Requests;
import com.otporchestrator.common.DomainException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;

/** {@code /admin/v1/outages}: declare, list, read, confirm or dismiss a suspected one. */
final class OutageRoutes {
  private static final Set<String> STATES = Set.of("SUSPECTED", "REFUNDING", "DONE", "DISMISSED");
  private static final long CLOCK_SKEW_SECONDS = 60;
  /** How far in the future an outage may be said to end: a typo guard, not a policy. */
  private static final long MAX_FUTURE_DAYS = 7;

  private final OutageRepository outages;
  private final OutageDecisions decisions;

  OutageRoutes(OutageRepository outages, OutageDecisions decisions) {
    this.outages = outages;
    this.decisions = decisions;
  }

  void mount(Router router) {
    router.post("/admin/v1/outages").handler(this::declare);
    router.get("/admin/v1/outages").handler(this::list);
    router.get("/admin/v1/outages/:id").handler(this::get);
    router.post("/admin/v1/outages/:id/confirm").handler(ctx -> decide(ctx, true));
    router.post("/admin/v1/outages/:id/dismiss").handler(ctx -> decide(ctx, false));
  }

  /**
   * {@code {"provider"?, "service"?, "country"?, "platformWide"?, "from", "to"?, "reason"?}}: at least
   * one scope field, or {@code "platformWide": true} alone. Refunding starts at once (202 would hide
   * that the outage exists: 201 with the outage, state REFUNDING).
   */
  private void declare(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      JsonObject body = Requests.jsonBody(ctx, Set.of("provider", "service", "country", "platformWide", "from", "to", "reason"));
      String provider = Requests.optionalString(body, "provider", 40);
      String service = Requests.optionalString(body, "service", 20);
      Integer country = body.getValue("country") == null ? null : Requests.requiredInt(body, "country", 0, 100_000);
      Object wide = body.getValue("platformWide", false);
      if (!(wide instanceof Boolean platformWide)) throw DomainException.invalid("'platformWide' must be a boolean");
      boolean scoped = provider != null || service != null || country != null;
      if (platformWide && scoped) throw DomainException.invalid("'platformWide' excludes provider, service and country");
      if (!platformWide && !scoped) {
        throw DomainException.invalid("give a scope (provider, service, country) or \"platformWide\": true");
      }
      OffsetDateTime from = instant(body, "from", true);
      if (from.toInstant().isAfter(Instant.now().plusSeconds(CLOCK_SKEW_SECONDS))) {
        throw DomainException.invalid("'from' must not be in the future: an outage refunds what it already affected");
      }
      OffsetDateTime to = instant(body, "to", false);
      if (to != null && !to.isAfter(from)) throw DomainException.invalid("'to' must be after 'from'");
      String reason = Requests.optionalString(body, "reason", 500);
      return decisions.declare(new OutageRepository.Declaration(provider, service, country, platformWide, from, to, reason),
          AdminAuth.actor(ctx)).map(outage -> ApiResponse.json(201, OutageViews.outage(outage)));
    });
  }

  private void list(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String state = ctx.request().getParam("state");
      if (state != null && !STATES.contains(state)) throw DomainException.invalid("'state' must be one of " + STATES);
      int limit = Requests.limit(ctx, 50, 200);
      return outages.list(state, Requests.cursor(ctx), limit).map(list -> ApiResponse.json(200, OutageViews.page(list, limit)));
    });
  }

  private void get(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "outage");
      return outages.find(id).map(found -> ApiResponse.json(200, found.map(OutageViews::outage)
          .orElseThrow(() -> DomainException.notFound("outage " + id + " does not exist"))));
    });
  }

  /** Confirm (refunds start) or dismiss a suspected outage; repeating the same decision answers the outage. */
  private void decide(RoutingContext ctx, boolean confirm) {
    Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "outage");
      return decisions.decide(id, confirm, AdminAuth.actor(ctx)).map(outage -> ApiResponse.json(200, OutageViews.outage(outage)));
    });
  }

  private static OffsetDateTime instant(JsonObject body, String field, boolean required) {
    String text = required ? Requests.requiredString(body, field, 40) : Requests.optionalString(body, field, 40);
    if (text == null) return null;
    Instant instant = Requests.instant(field, text);
    if (instant.isAfter(Instant.now().plusSeconds(MAX_FUTURE_DAYS * 86_400))) {
      throw DomainException.invalid("'" + field + "' is more than " + MAX_FUTURE_DAYS + " days in the future");
    }
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
