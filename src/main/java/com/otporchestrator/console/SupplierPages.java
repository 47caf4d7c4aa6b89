package com.otporchestrator.console;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.routing.ProviderRepository;
import com.otporchestrator.routing.Suppliers;
import com.otporchestrator.staff.Role.Action;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Suppliers with their health and breaker; a supplier's offers and rent offers; enable and disable. */
final class SupplierPages {
  static final int OFFERS = 200;
  private final Console console;
  private final Suppliers suppliers;

  SupplierPages(Console console, Suppliers suppliers) {
    this.console = console;
    this.suppliers = suppliers;
  }

  void mount(Router router) {
    router.get("/console/suppliers").handler(this::list);
    router.get("/console/suppliers/:id").handler(this::supplier);
    router.post("/console/suppliers/:id/enable").handler(ctx -> setEnabled(ctx, true));
    router.post("/console/suppliers/:id/disable").handler(ctx -> setEnabled(ctx, false));
  }

  private void list(RoutingContext ctx) {
    Console.run(ctx, () -> suppliers.page(null, Suppliers.MAX_PAGE).onSuccess(list ->
        console.show(ctx, 200, "Suppliers", "/console/suppliers", "console/suppliers.jte", "suppliers", list,
            "canSwitch", Console.may(ctx, Action.SWITCH_SUPPLIER))));
  }

  private void supplier(RoutingContext ctx) {
    Console.run(ctx, () -> {
      String id = id(ctx);
      return suppliers.page(null, Suppliers.MAX_PAGE).compose(list -> {
        Suppliers.Supplier supplier = list.stream().filter(s -> s.record().id().equals(id)).findFirst()
            .orElseThrow(() -> DomainException.notFound("supplier " + id));
        Future<List<ProviderRepository.OfferRow>> offers = suppliers.offers(id, false, OFFERS);
        Future<List<ProviderRepository.OfferRow>> rent = suppliers.offers(id, true, OFFERS);
        return Future.all(offers, rent).onSuccess(all -> console.show(ctx, 200, "Supplier " + id, "/console/suppliers",
            "console/supplier.jte", "s", supplier, "offers", offers.result(), "rentOffers", rent.result(),
            "canSwitch", Console.may(ctx, Action.SWITCH_SUPPLIER)));
      });
    });
  }

  private void setEnabled(RoutingContext ctx, boolean enabled) {
    Console.run(ctx, () -> {
      Console.require(ctx, Action.SWITCH_SUPPLIER);
      String id = id(ctx);
      return suppliers.setEnabled(id, enabled, Console.person(ctx).actor())
          .onSuccess(v -> Console.back(ctx, "/console/suppliers", enabled ? "enabled" : "disabled"));
    });
  }

  private static String id(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !id.matches("[a-z0-9][a-z0-9_-]{0,39}")) throw DomainException.notFound("supplier " + id);
    return id;
  }
}
