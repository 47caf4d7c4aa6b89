package com.otporchestrator.activation;

import com.otporchestrator.order.Channel;
import com.otporchestrator.api.ClientAddress;
import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.CustomerAuth;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.IdempotencyStore;
import com.otporchestrator.api.Problems;
import com.otporchestrator.api.Requests;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.Money;
import com.otporchestrator.webhook.WebhookUrls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/activations/batch}: up to 100 items of up to 100 orders each, one wallet debit
 * for all of them, and a result per item. 201 when anything was bought, 200 when nothing was.
 */
final class BatchRoutes {
  static final int MAX_ITEMS = 100;
  static final int MAX_QUANTITY = 100;
  static final int MAX_ORDERS = 1_000;
  private static final Set<String> ITEM_FIELDS = Set.of("service", "country", "maxPrice", "operator", "excludedPrefixes",
      "webhookUrl", "quantity");

  private final BatchPurchase batches;
  private final IdempotencyStore idempotency;
  private final WebhookUrls webhookUrls;

  private final PurchaseAdmission admission;

  BatchRoutes(BatchPurchase batches, IdempotencyStore idempotency, WebhookUrls webhookUrls, PurchaseAdmission admission) {
    this.admission = admission;
    this.batches = batches;
    this.idempotency = idempotency;
    this.webhookUrls = webhookUrls;
  }

  void mount(Router router) {
    router.post("/v1/activations/batch").handler(this::buy);
  }

  private void buy(RoutingContext ctx) {
    if (!admission.admit(ctx, ordersAsked(ctx))) return;
    Endpoints.respondOnce(ctx, idempotency, () -> {
      long accountId = CustomerAuth.activeAccount(ctx).id();
      List<BatchPurchase.Item> items = items(Requests.jsonBody(ctx, Set.of("items")), ClientAddress.of(ctx));
      return batches.buy(accountId, items).map(BatchRoutes::response);
    });
  }

  /** How many numbers a batch asks for, read leniently (1 when unreadable: the request is then refused with a 400). */
  private static int ordersAsked(RoutingContext ctx) {
    try {
      JsonArray items = ctx.body().asJsonObject().getJsonArray("items");
      int orders = 0;
      for (int i = 0; i < items.size(); i++) {
        Object quantity = items.getJsonObject(i).getValue("quantity");
        orders += quantity instanceof Number n ? Math.max(1, Math.min(MAX_QUANTITY, n.intValue())) : 1;
      }
      return Math.max(1, Math.min(MAX_ORDERS, orders));
    } catch (RuntimeException e) {
      return 1;
    }
  }

  private List<BatchPurchase.Item> items(JsonObject body, String clientAddress) {
    Object raw = body.getValue("items");
    if (!(raw instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_ITEMS) {
      throw DomainException.invalid("'items' must be an array of 1 to " + MAX_ITEMS + " objects");
    }
    List<BatchPurchase.Item> items = new ArrayList<>(array.size());
    int orders = 0;
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject item)) throw DomainException.invalid("items[" + i + "] must be an object");
      try {
        for (String field : item.fieldNames()) {
          if (!ITEM_FIELDS.contains(field)) throw DomainException.invalid("unknown field '" + field + "'");
        }
        int quantity = item.getValue("quantity") == null ? 1 : Requests.requiredInt(item, "quantity", 1, MAX_QUANTITY);
        items.add(new BatchPurchase.Item(ActivationRoutes.purchaseRequest(item, webhookUrls, Channel.API).from(clientAddress),
            quantity));
        orders += quantity;
      } catch (DomainException e) {
        throw DomainException.invalid("items[" + i + "]: " + e.getMessage());
      }
    }
    if (orders > MAX_ORDERS) throw DomainException.invalid("a batch may order at most " + MAX_ORDERS + " numbers, this one asks for " + orders);
    return items;
  }

  private static ApiResponse response(List<BatchPurchase.ItemResult> results) {
    JsonArray items = new JsonArray();
    int allocated = 0;
    long charged = 0;
    for (BatchPurchase.ItemResult result : results) {
      JsonArray orders = new JsonArray();
      result.allocated().forEach(a -> orders.add(ActivationViews.activation(a)));
      JsonArray failures = new JsonArray();
      result.failures().forEach(f -> failures.add(new JsonObject()
          .put("type", Problems.typeOf(f.kind())).put("detail", f.detail()).put("count", f.count())));
      items.add(new JsonObject().put("item", result.index()).put("requested", result.requested())
          .put("allocated", result.allocated().size()).put("activations", orders).put("failures", failures));
      allocated += result.allocated().size();
      charged += result.allocated().stream().mapToLong(a -> a.price()).sum();
    }
    JsonObject body = new JsonObject().put("items", items).put("allocated", allocated)
        .put("held", Money.format(charged)).put("currency", "USD");
    return ApiResponse.json(allocated > 0 ? 201 : 200, body);
  }
}
