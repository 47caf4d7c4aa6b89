package com.otporchestrator.console;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.staff.Person;
import com.otporchestrator.staff.Role.Action;
import com.otporchestrator.web.Csrf;
import com.otporchestrator.web.Page;
import com.otporchestrator.web.Pages;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What every operator page shares: the frame around it (navigation, the signed-in person, the red banner while a
 * money invariant is violated, the notice after an action), the role check before an action, and the answers (a page,
 * a redirect back with a notice).
 */
final class Console {
  static final List<Page.NavLink> NAV = List.of(
      new Page.NavLink("/console/claims", "Claims", false),
      new Page.NavLink("/console/orders", "Orders", false),
      new Page.NavLink("/console/accounts", "Accounts", false),
      new Page.NavLink("/console/payouts", "Payouts", false),
      new Page.NavLink("/console/held-refunds", "Held refunds", false),
      new Page.NavLink("/console/outages", "Outages", false),
      new Page.NavLink("/console/suppliers", "Suppliers", false),
      new Page.NavLink("/console/policies", "Policies", false));

  /** What an action's redirect may say: fixed texts, so a link cannot put words on the page. */
  private static final Map<String, String> NOTICES = Map.ofEntries(
      Map.entry("approved", "Claim approved."), Map.entry("rejected", "Claim rejected."),
      Map.entry("evidence-requested", "Evidence requested from the customer."),
      Map.entry("responded", "Answer recorded."), Map.entry("escalated", "Claim escalated."),
      Map.entry("adjusted", "Adjustment recorded."), Map.entry("suspended", "Account suspended."),
      Map.entry("activated", "Account reactivated."), Map.entry("terminated", "Account terminated."),
      Map.entry("payout-approved", "Payout approved."), Map.entry("payout-rejected", "Payout rejected."),
      Map.entry("released", "Refund released to the customer."), Map.entry("denied", "Refund denied."),
      Map.entry("declared", "Outage declared: its refunds have started."),
      Map.entry("confirmed", "Outage confirmed: its refunds have started."),
      Map.entry("dismissed", "Suspected outage dismissed."), Map.entry("enabled", "Supplier enabled."),
      Map.entry("disabled", "Supplier disabled."), Map.entry("published", "Policy version published."),
      Map.entry("in-force", "Policy put in force for new orders."));

  private final Pages pages;
  private final InvariantWatch invariants;

  Console(Pages pages, InvariantWatch invariants) {
    this.pages = pages;
    this.invariants = invariants;
  }

  static Person person(RoutingContext ctx) {
    return OperatorSessions.person(ctx);
  }

  /** Refuses (the 403 page) unless the signed-in person's role allows {@code action}. */
  static void require(RoutingContext ctx, Action action) {
    Person person = person(ctx);
    if (!person.role().may(action)) {
      throw new DomainException(Kind.FORBIDDEN, "Your role (" + person.role().code().replace('_', ' ')
          + ") may not " + describe(action) + ".");
    }
  }

  static boolean may(RoutingContext ctx, Action action) {
    return person(ctx).role().may(action);
  }

  /** Renders {@code template} in the frame of section {@code href} (its nav entry marked current). */
  void show(RoutingContext ctx, int status, String title, String href, String template, Object... params) {
    invariants.state().onSuccess(state -> {
      try {
        render(ctx, status, title, href, template, state, params);
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    }).onFailure(ctx::fail);
  }

  private void render(RoutingContext ctx, int status, String title, String href, String template, InvariantWatch.State state,
                      Object... params) {
    {
      Person person = person(ctx);
      String done = ctx.request().getParam("done");
      String notice = done == null ? null : NOTICES.get(done);
      Page page = new Page(title, "console", person.name() + " · " + person.role().code().replace('_', ' '),
          Csrf.token(ctx), NAV, List.of(), notice).current(href);
      if (state.broken()) {
        StringBuilder text = new StringBuilder("Money invariant violated: ");
        state.violated().forEach((name, count) -> text.append(name.replace('_', ' ')).append(" (").append(count).append(") "));
        text.append("— stop deciding refunds and find the cause.");
        page = page.withBanner(new Page.Banner("danger", text.toString().trim(), null));
      }
      Map<String, Object> all = new HashMap<>();
      all.put("page", page);
      for (int i = 0; i + 1 < params.length; i += 2) all.put((String) params[i], params[i + 1]);
      pages.render(ctx, status, template, all);
    }
  }

  /** Runs a page's work; a failure becomes the console's error page. */
  static void run(RoutingContext ctx, Supplier<Future<?>> work) {
    try {
      work.get().onFailure(ctx::fail);
    } catch (RuntimeException e) {
      ctx.fail(e);
    }
  }

  /** After an action: back to {@code path} with a notice (303, so a reload does not repeat it). */
  static void back(RoutingContext ctx, String path, String done) {
    String location = path + (path.contains("?") ? "&" : "?") + "done=" + URLEncoder.encode(done, StandardCharsets.UTF_8);
    ctx.response().putHeader("Location", location).setStatusCode(303).end();
  }

  static String form(RoutingContext ctx, String name) {
    String value = ctx.request().getFormAttribute(name);
    if (value == null) return null;
    String trimmed = value.strip();
    return trimmed.isEmpty() ? null : trimmed;
  }

  static String requiredForm(RoutingContext ctx, String name, int maxLength) {
    String value = form(ctx, name);
    if (value == null) throw DomainException.invalid("Please fill in '" + name + "'.");
    if (value.length() > maxLength) throw DomainException.invalid("'" + name + "' is longer than " + maxLength + " characters.");
    return value;
  }

  static long pathId(RoutingContext ctx, String name) {
    String raw = ctx.pathParam(name);
    if (raw == null || !raw.matches("\\d{1,18}")) throw DomainException.notFound("no such " + name);
    return Long.parseLong(raw);
  }

  static Long queryId(RoutingContext ctx, String name) {
    String raw = ctx.request().getParam(name);
    if (raw == null || raw.isBlank()) return null;
    if (!raw.strip().matches("\\d{1,18}")) throw DomainException.invalid("'" + name + "' must be a number.");
    return Long.parseLong(raw.strip());
  }

  private static String describe(Action action) {
    return switch (action) {
      case VIEW -> "see the console";
      case DECIDE_CLAIM -> "decide claims";
      case OVERRIDE_CLAIM -> "override the evidence rule or adjust a claim";
      case SUSPEND_ACCOUNT -> "suspend or reactivate accounts";
      case TERMINATE_ACCOUNT -> "terminate accounts";
      case DECIDE_PAYOUT -> "decide payouts";
      case DECIDE_HELD_REFUND -> "release or deny held refunds";
      case DECIDE_OUTAGE -> "declare, confirm or dismiss outages";
      case SWITCH_SUPPLIER -> "enable or disable suppliers";
      case PUBLISH_POLICY -> "publish policies or put one in force";
    };
  }
}
