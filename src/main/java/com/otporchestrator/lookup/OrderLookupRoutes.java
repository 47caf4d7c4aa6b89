package com.otporchestrator.lookup;

import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.Requests;
import com.otporchestrator.common.DomainException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /admin/v1/orders}: orders of both kinds by id, phone or account, paged. */
final class OrderLookupRoutes {
  private final OrderLookup lookup;

  OrderLookupRoutes(OrderLookup lookup) {
    this.lookup = lookup;
  }

  void mount(Router router) {
    router.get("/admin/v1/orders").handler(this::search);
  }

  /** {@code ?q=&accountId=&kind=&cursor=&limit=} (1 to 200, 50 by default); {@code nextCursor} when the page is full. */
  private void search(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      String q = ctx.request().getParam("q");
      if (q != null && q.length() > 40) throw DomainException.invalid("'q' must be at most 40 characters");
      String account = ctx.request().getParam("accountId");
      if (account != null && !account.matches("\\d{1,18}")) throw DomainException.invalid("'accountId' must be an account id");
      int limit = Requests.limit(ctx, 50, OrderLookup.MAX_PAGE);
      OrderLookup.Query query = new OrderLookup.Query(q, account == null ? null : Long.valueOf(account),
          ctx.request().getParam("kind"));
      return lookup.search(query, Requests.cursor(ctx), limit)
          .map(list -> ApiResponse.json(200, OrderLookupViews.page(list, limit)));
    });
  }
}
