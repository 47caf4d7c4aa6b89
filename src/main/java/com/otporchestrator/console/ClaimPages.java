package com.otporchestrator.console;

import com.otporchestrator.claim.ClaimService;
import com.otporchestrator.claim.ClaimState;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.api.Requests;
import com.otporchestrator.staff.Role.Action;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;

/**
 * The claims queue (filters: state, type, account, overdue only) and a claim's page: its order or deposit, evidence
 * (images shown, other files downloaded), history and the decisions the person's role allows. Every decision goes to
 * {@link ClaimService}, as the admin API's do, recorded as {@code staff:<email>}.
 */
final class ClaimPages {
  static final int PAGE = 50;
  private final Console console;
  private final ClaimService claims;

  ClaimPages(Console console, ClaimService claims) {
    this.console = console;
    this.claims = claims;
  }

  void mount(Router router) {
    router.get("/console/claims").handler(this::queue);
    router.get("/console/claims/:id").handler(this::claim);
    router.get("/console/claims/:id/evidence/:n").handler(this::evidence);
    router.post("/console/claims/:id/approve").handler(this::approve);
    router.post("/console/claims/:id/reject").handler(ctx -> decide(ctx, "rejected",
        id -> claims.reject(id, actor(ctx), Console.requiredForm(ctx, "note", 4000))));
    router.post("/console/claims/:id/request-evidence").handler(ctx -> decide(ctx, "evidence-requested",
        id -> claims.requestEvidence(id, actor(ctx), Console.requiredForm(ctx, "note", 4000))));
    router.post("/console/claims/:id/respond").handler(ctx -> decide(ctx, "responded",
        id -> claims.respond(id, actor(ctx), Console.requiredForm(ctx, "note", 4000))));
    router.post("/console/claims/:id/escalate").handler(ctx -> decide(ctx, "escalated",
        id -> claims.escalate(id, actor(ctx), Console.requiredForm(ctx, "note", 4000))));
  }


  private void queue(RoutingContext ctx) {
    Console.run(ctx, () -> {
      String state = blank(ctx.request().getParam("state"));
      if (state != null && Arrays.stream(ClaimState.values()).noneMatch(s -> s.name().equals(state))) {
        throw DomainException.invalid("Unknown claim state " + state + ".");
      }
      String type = blank(ctx.request().getParam("type"));
      if (type != null && !type.matches("[a-z0-9_]{1,40}")) throw DomainException.invalid("A claim type is a short id.");
      ConsoleViews.ClaimFilters filters = new ConsoleViews.ClaimFilters(state, type, Console.queryId(ctx, "accountId"), "on".equals(ctx.request().getParam("overdue")));
      Long before = Console.queryId(ctx, "before");
      return claims.queue(state, type, filters.accountId(), filters.overdue(), before, PAGE).onSuccess(list ->
          console.show(ctx, 200, "Claims", "/console/claims", "console/claims.jte", "filters", filters,
              "claims", list, "states", List.of(ClaimState.values()),
              "next", list.size() == PAGE ? list.get(list.size() - 1).id() : null));
    });
  }


  private void claim(RoutingContext ctx) {
    Console.run(ctx, () -> claims.get(Console.pathId(ctx, "id"), null).onSuccess(detail -> {
      ClaimState state = detail.claim().state();
      boolean decider = Console.may(ctx, Action.DECIDE_CLAIM);
      ConsoleViews.ClaimOffer offer = new ConsoleViews.ClaimOffer(decider && state.open() && !detail.claim().onAccount(),
          decider && (state.open() || state == ClaimState.REJECTED),
          Console.may(ctx, Action.OVERRIDE_CLAIM) && state.open() && !detail.claim().missingEvidence().isEmpty(),
          Console.may(ctx, Action.OVERRIDE_CLAIM) && state.open() && detail.claim().onAccount());
      console.show(ctx, 200, "Claim " + detail.claim().id(), "/console/claims", "console/claim.jte",
          "d", detail, "offer", offer);
    }));
  }

  private void evidence(RoutingContext ctx) {
    Console.run(ctx, () -> {
      long id = Console.pathId(ctx, "id");
      String raw = ctx.pathParam("n");
      if (raw == null || !raw.matches("[1-9]")) throw DomainException.notFound("no evidence file " + raw);
      int n = Integer.parseInt(raw);
      boolean download = "1".equals(ctx.request().getParam("download"));
      return claims.evidence(id, n, null).onSuccess(f -> ctx.response().setStatusCode(200)
          .putHeader("Content-Type", f.media().type())
          .putHeader("Content-Disposition", (download ? "attachment" : "inline") + "; filename=\"claim-" + id
              + "-evidence-" + n + "." + f.media().extension() + "\"")
          .putHeader("Content-Security-Policy", "default-src 'none'; sandbox")
          .putHeader("Cache-Control", "private, no-store")
          .end(f.data()));
    });
  }

  private void approve(RoutingContext ctx) {
    Console.run(ctx, () -> {
      Console.require(ctx, Action.DECIDE_CLAIM);
      long id = Console.pathId(ctx, "id");
      String override = Console.form(ctx, "evidenceOverride");
      String amount = Console.form(ctx, "amount");
      if (override != null || amount != null) Console.require(ctx, Action.OVERRIDE_CLAIM);
      String note = Console.form(ctx, "note");
      if (amount != null) {
        if (note == null) throw DomainException.invalid("Give the reason for the adjustment.");
        long micros = Requests.requiredSignedUsd(ctx, new io.vertx.core.json.JsonObject().put("amount", amount), "amount");
        return claims.adjust(id, actor(ctx), micros, note, override).onSuccess(d -> Console.back(ctx, "/console/claims/" + id, "adjusted"));
      }
      String remedy = Console.form(ctx, "remedy");
      if (remedy != null && !remedy.equals("refund") && !remedy.equals("replacement")) {
        throw DomainException.invalid("The remedy is refund or replacement.");
      }
      return claims.approve(id, actor(ctx), remedy, note, override)
          .onSuccess(d -> Console.back(ctx, "/console/claims/" + id, "approved"));
    });
  }

  private void decide(RoutingContext ctx, String done, java.util.function.LongFunction<io.vertx.core.Future<ClaimService.Detail>> work) {
    Console.run(ctx, () -> {
      Console.require(ctx, Action.DECIDE_CLAIM);
      long id = Console.pathId(ctx, "id");
      return work.apply(id).onSuccess(d -> Console.back(ctx, "/console/claims/" + id, done));
    });
  }

  private static String actor(RoutingContext ctx) {
    return Console.person(ctx).actor();
  }

  private static String blank(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
