package com.otporchestrator.console;

import com.otporchestrator.abuse.HeldRefunds;
import com.otporchestrator.staff.Role.Action;
import com.otporchestrator.wallet.Payouts;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The payout queue (requests to pay a balance out) and the held-refund queue (refunds held for review). */
final class MoneyPages {
  static final int PAGE = 50;
  private final Console console;
  private final Payouts payouts;
  private final HeldRefunds held;

  MoneyPages(Console console, Payouts payouts, HeldRefunds held) {
    this.console = console;
    this.payouts = payouts;
    this.held = held;
  }

  void mount(Router router) {
    router.get("/console/payouts").handler(this::payouts);
    router.post("/console/payouts/:id/approve").handler(ctx -> payout(ctx, true));
    router.post("/console/payouts/:id/reject").handler(ctx -> payout(ctx, false));
    router.get("/console/held-refunds").handler(this::held);
    router.post("/console/held-refunds/:id/release").handler(ctx -> heldRefund(ctx, true));
    router.post("/console/held-refunds/:id/deny").handler(ctx -> heldRefund(ctx, false));
  }

  private void payouts(RoutingContext ctx) {
    Console.run(ctx, () -> {
      boolean all = "all".equals(ctx.request().getParam("show"));
      return payouts.list(null, all ? null : "REQUESTED", Console.queryId(ctx, "before"), PAGE).onSuccess(list ->
          console.show(ctx, 200, "Payouts", "/console/payouts", "console/payouts.jte", "payouts", list, "all", all,
              "decide", Console.may(ctx, Action.DECIDE_PAYOUT),
              "next", list.size() == PAGE ? list.get(list.size() - 1).id() : null));
    });
  }

  private void payout(RoutingContext ctx, boolean approve) {
    Console.run(ctx, () -> {
      Console.require(ctx, Action.DECIDE_PAYOUT);
      long id = Console.pathId(ctx, "id");
      String actor = Console.person(ctx).actor();
      return (approve ? payouts.approve(id, actor, Console.form(ctx, "note"))
          : payouts.reject(id, actor, Console.requiredForm(ctx, "note", 500)))
          .onSuccess(p -> Console.back(ctx, "/console/payouts", approve ? "payout-approved" : "payout-rejected"));
    });
  }

  private void held(RoutingContext ctx) {
    Console.run(ctx, () -> {
      boolean all = "all".equals(ctx.request().getParam("show"));
      return held.list(null, all ? null : Boolean.TRUE, Console.queryId(ctx, "before"), PAGE).onSuccess(page ->
          console.show(ctx, 200, "Held refunds", "/console/held-refunds", "console/held-refunds.jte", "items",
              page.getJsonArray("items").stream().map(o -> (io.vertx.core.json.JsonObject) o).toList(), "all", all, "decide", Console.may(ctx, Action.DECIDE_HELD_REFUND),
              "next", page.getString("nextCursor")));
    });
  }

  private void heldRefund(RoutingContext ctx, boolean release) {
    Console.run(ctx, () -> {
      Console.require(ctx, Action.DECIDE_HELD_REFUND);
      long orderId = Console.pathId(ctx, "id");
      return held.decide(orderId, release, Console.person(ctx).actor(), Console.form(ctx, "note"))
          .onSuccess(j -> Console.back(ctx, "/console/held-refunds", release ? "released" : "denied"));
    });
  }
}
