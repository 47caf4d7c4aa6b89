package com.otporchestrator.web;

import com.otporchestrator.account.Account;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The customer console's frame: its navigation, and a page in the layout for the signed-in customer. */
final class CustomerPages {
  static final List<Page.NavLink> NAV = List.of(
      new Page.NavLink("/app", "Activations", false),
      new Page.NavLink("/app/buy", "Buy a number", false),
      new Page.NavLink("/app/rentals", "Rentals", false),
      new Page.NavLink("/app/wallet", "Wallet", false),
      new Page.NavLink("/app/claims", "Claims", false),
      new Page.NavLink("/app/policy", "Refund policy", false));

  private final Pages pages;

  CustomerPages(Pages pages) {
    this.pages = pages;
  }

  /** The page frame for the signed-in customer, with {@code navHref} marked current. */
  Page page(RoutingContext ctx, String title, String navHref) {
    Account account = CustomerSessions.account(ctx);
    String notice = ctx.request().getParam("done");
    if (notice != null && notice.length() > 200) notice = null;
    return new Page(title, "app", account.name(), Csrf.token(ctx), NAV, List.of(), notice).current(navHref);
  }

  /** Renders {@code template} with {@code page} and the other parameters. */
  void render(RoutingContext ctx, Page page, String template, Object... keysAndValues) {
    render(ctx, 200, page, template, keysAndValues);
  }

  void render(RoutingContext ctx, int status, Page page, String template, Object... keysAndValues) {
    Map<String, Object> params = new HashMap<>();
    params.put("page", page);
    for (int i = 0; i < keysAndValues.length; i += 2) params.put((String) keysAndValues[i], keysAndValues[i + 1]);
    pages.render(ctx, status, template, params);
  }

  Pages pages() {
    return pages;
  }
}
