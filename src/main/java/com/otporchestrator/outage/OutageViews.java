package com.otporchestrator.outage;

import com.otporchestrator.api.Views;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** JSON shapes of outages as the admin API shows them. */
final class OutageViews {
  private OutageViews() {}

  static JsonObject outage(Outage o) {
    return new JsonObject().put("id", o.id()).put("provider", o.providerId()).put("service", o.service())
        .put("country", o.country()).put("platformWide", o.platformWide()).put("from", Views.time(o.startsAt()))
        .put("to", Views.time(o.endsAt())).put("state", o.state()).put("source", o.source()).put("reason", o.reason())
        .put("refunded", o.refunded()).put("batches", o.batches()).put("createdAt", Views.time(o.createdAt()))
        .put("confirmedAt", Views.time(o.confirmedAt())).put("finishedAt", Views.time(o.finishedAt()));
  }

  /** A page of outages, newest first; {@code nextCursor} only when the page is full. */
  static JsonObject page(List<Outage> list, int limit) {
    JsonArray items = new JsonArray();
    list.forEach(o -> items.add(outage(o)));
    JsonObject page = new JsonObject().put("items", items);
    if (list.size() == limit) page.put("nextCursor", String.valueOf(list.get(list.size() - 1).id()));
    return page;
  }
}
