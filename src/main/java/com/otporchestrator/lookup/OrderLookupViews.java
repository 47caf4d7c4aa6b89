package com.otporchestrator.lookup;

import com.otporchestrator.api.Views;
import com.otporchestrator.common.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** JSON shapes of found orders as the admin API shows them. */
final class OrderLookupViews {
  private OrderLookupViews() {}

  static JsonObject order(OrderLookup.Found o) {
    return new JsonObject().put("kind", o.kind()).put("id", o.id()).put("accountId", o.accountId())
        .put("service", o.service()).put("country", o.country()).put("provider", o.providerId())
        .put("price", Money.format(o.price())).put("currency", "USD").put("state", o.state()).put("phone", o.phone())
        .put("createdAt", Views.time(o.createdAt())).put("endsAt", Views.time(o.endsAt()))
        .put("closedAt", Views.time(o.closedAt()));
  }

  /** A page, newest first; {@code nextCursor} only when the page is full. */
  static JsonObject page(List<OrderLookup.Found> list, int limit) {
    JsonArray items = new JsonArray();
    list.forEach(o -> items.add(order(o)));
    JsonObject page = new JsonObject().put("items", items);
    if (list.size() == limit) page.put("nextCursor", String.valueOf(list.get(list.size() - 1).id()));
    return page;
  }
}
