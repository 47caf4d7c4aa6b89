package com.otporchestrator.abuse;

import com.otporchestrator.abuse.AbuseSettings.Action;
import com.otporchestrator.abuse.AbuseSettings.Signal;
import com.otporchestrator.api.AdminAuth;
import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.CustomerAuth;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.Requests;
import com.otporchestrator.common.DomainException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.Set;
import org.slf4j.LoggerFactory;

/** {@code /admin/v1/abuse}: the flags with their evidence, and the thresholds of each signal. */
final class AbuseRoutes {
  private static final Set<String> SETTINGS_FIELDS = Set.of("enabled", "threshold", "ratio", "windowSeconds", "action");
  private static final Set<String> RESOLVE_FIELDS = Set.of("note");

  private final AbuseRepository repository;
  private final AbuseMonitor monitor;
  private final HeldRefunds held;

  AbuseRoutes(AbuseRepository repository, AbuseMonitor monitor, HeldRefunds held) {
    this.repository = repository;
    this.monitor = monitor;
    this.held = held;
  }

  void mount(Router router) {
    router.get("/admin/v1/abuse/flags").handler(this::flags);
    router.post("/admin/v1/abuse/flags/:id/resolve").handler(ctx -> Endpoints.respond(ctx, () -> {
      long id = Requests.pathId(ctx, "id", "abuse flag");
      String note = Requests.requiredString(Requests.jsonBody(ctx, RESOLVE_FIELDS), "note", 2000);
      return repository.resolve(id, AdminAuth.actor(ctx), note).map(v -> ApiResponse.json(200,
          new JsonObject().put("id", id).put("resolved", true)));
    }));
    router.get("/admin/v1/abuse/settings").handler(ctx -> Endpoints.respond(ctx, () -> repository.settings()
        .map(all -> ApiResponse.json(200, AbuseViews.allSettings(all.values())))));
    router.put("/admin/v1/abuse/settings/:signal").handler(this::putSettings);
    router.get("/admin/v1/abuse/held-refunds").handler(this::heldRefunds);
    router.post("/admin/v1/abuse/held-refunds/:orderId/release").handler(ctx -> decide(ctx, true));
    router.post("/admin/v1/abuse/held-refunds/:orderId/deny").handler(ctx -> decide(ctx, false));
  }

  private void heldRefunds(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String account = ctx.request().getParam("accountId");
      if (account != null && !account.matches("[1-9][0-9]{0,17}")) throw DomainException.invalid("'accountId' is an account id");
      String pending = ctx.request().getParam("pending");
      if (pending != null && !pending.equals("true") && !pending.equals("false")) {
        throw DomainException.invalid("'pending' must be true or false");
      }
      return held.list(account == null ? null : Long.parseLong(account), pending == null ? null : Boolean.valueOf(pending),
          Requests.cursor(ctx), Requests.limit(ctx, 50, 200)).map(json -> ApiResponse.json(200, json));
    });
  }

  /** {@code {"note"}} required: a decision on money held from a customer is always explained. */
  private void decide(RoutingContext ctx, boolean release) {
    Endpoints.respond(ctx, () -> {
      long orderId = Requests.pathId(ctx, "orderId", "order");
      String note = Requests.requiredString(Requests.jsonBody(ctx, RESOLVE_FIELDS), "note", 2000);
      return held.decide(orderId, release, AdminAuth.actor(ctx), note).map(json -> ApiResponse.json(200, json));
    });
  }

  private void flags(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String account = ctx.request().getParam("accountId");
      if (account != null && !account.matches("[1-9][0-9]{0,17}")) throw DomainException.invalid("'accountId' is an account id");
      String open = ctx.request().getParam("open");
      if (open != null && !open.equals("true") && !open.equals("false")) throw DomainException.invalid("'open' must be true or false");
      int limit = Requests.limit(ctx, 50, 200);
      return repository.flags(account == null ? null : Long.parseLong(account), open == null ? null : Boolean.valueOf(open),
          Requests.cursor(ctx), limit).map(flags -> ApiResponse.json(200, AbuseViews.flags(flags, limit)));
    });
  }

  private void putSettings(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      Signal signal;
      try {
        signal = Signal.of(String.valueOf(ctx.pathParam("signal")));
      } catch (IllegalArgumentException e) {
        throw DomainException.notFound("no abuse signal '" + ctx.pathParam("signal") + "' (cancels, refund_ratio, shared_ip)");
      }
      JsonObject body = Requests.jsonBody(ctx, SETTINGS_FIELDS);
      Object enabled = body.getValue("enabled");
      if (!(enabled instanceof Boolean)) throw DomainException.invalid("'enabled' must be true or false");
      int threshold = Requests.requiredInt(body, "threshold", 1, 1_000_000);
      int window = Requests.requiredInt(body, "windowSeconds", 1, 604_800);
      String actionText = Requests.requiredString(body, "action", 20);
      Action action;
      try {
        action = Action.valueOf(actionText.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw DomainException.invalid("'action' must be flag, throttle, suspend or hold_refunds");
      }
      BigDecimal ratio = null;
      if (signal == Signal.REFUND_RATIO) {
        String text = Requests.requiredString(body, "ratio", 10);
        try {
          ratio = new BigDecimal(text);
        } catch (NumberFormatException e) {
          throw DomainException.invalid("'ratio' is a decimal string between 0 and 1, e.g. \"0.9\"");
        }
        if (ratio.signum() <= 0 || ratio.compareTo(BigDecimal.ONE) > 0 || ratio.scale() > 3) {
          throw DomainException.invalid("'ratio' is a decimal string above 0 and at most 1, with up to 3 decimals");
        }
      } else if (body.containsKey("ratio")) {
        throw DomainException.invalid("'ratio' applies to refund_ratio only");
      }
      return repository.update(new AbuseSettings(signal, (Boolean) enabled, threshold, ratio, window * 1000L, action),
          AdminAuth.actor(ctx)).map(s -> ApiResponse.json(200, AbuseViews.settings(s)));
    });
  }
}
