package com.otporchestrator.activation;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Buys many numbers in one request: every item is quoted, all affordable units are held in ONE
 * wallet statement, then allocated from their suppliers (a few at a time); a unit that cannot be
 * filled has its hold voided as soon as its supplier says so. Each item reports what it got and,
 * precisely, why the rest failed.
 */
public final class BatchPurchase {
  static final int ALLOCATIONS_IN_FLIGHT = 16;

  private final PurchaseService purchases;

  /** One line of a batch: {@code quantity} orders of the same request. */
  public record Item(PurchaseRequest request, int quantity) {}

  /** Why some units of an item failed, and how many. */
  public record Failure(Kind kind, String detail, int count) {}

  public record ItemResult(int index, int requested, List<Activation> allocated, List<Failure> failures) {}

  public BatchPurchase(PurchaseService purchases) {
    this.purchases = purchases;
  }

  public Future<List<ItemResult>> buy(long accountId, List<Item> items) {
    List<Future<PurchaseService.Quote>> quotes = items.stream().map(item -> purchases.quote(item.request())).toList();
    return Future.join(quotes).transform(ignored -> {
      List<Unit> units = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        if (quotes.get(i).succeeded()) {
          for (int q = 0; q < items.get(i).quantity(); q++) units.add(new Unit(i, quotes.get(i).result()));
        }
      }
      List<ActivationRepository.Hold> offers = units.stream()
          .map(u -> new ActivationRepository.Hold(u.quote().offer(), items.get(u.item()).request().webhookUrl(),
              items.get(u.item()).request().channel())).toList();
      Future<List<Optional<ActivationRepository.Created>>> held = offers.isEmpty()
          ? Future.succeededFuture(List.of()) : purchases.holdAll(accountId, offers);
      return held.compose(created -> allocateAll(items, units, created))
          .map(outcomes -> report(items, quotes, units, outcomes))
          .onSuccess(results -> countPurchases(items, results));
    });
  }

  private record Unit(int item, PurchaseService.Quote quote) {}

  private void countPurchases(List<Item> items, List<ItemResult> results) {
    for (ItemResult result : results) {
      purchases.countPurchases("created", result.allocated().size());
      String from = items.get(result.index()).request().clientAddress();
      result.allocated().forEach(order -> purchases.signals().purchased(order.accountId(), order.id(), from));
      result.failures().forEach(f -> purchases.countPurchases(com.otporchestrator.metrics.Meters.label(f.kind()), f.count()));
    }
  }

  /** Allocates every held unit, at most ALLOCATIONS_IN_FLIGHT at a time; answers one outcome per unit. */
  private Future<List<Object>> allocateAll(List<Item> items, List<Unit> units, List<Optional<ActivationRepository.Created>> created) {
    List<Object> outcomes = new ArrayList<>(java.util.Collections.nCopies(units.size(), null));
    Promise<List<Object>> done = Promise.promise();
    int[] next = {0};
    int[] running = {0};
    Runnable[] launch = new Runnable[1];
    launch[0] = () -> {
      while (running[0] < ALLOCATIONS_IN_FLIGHT && next[0] < units.size()) {
        int i = next[0]++;
        Unit unit = units.get(i);
        if (created.get(i).isEmpty()) {
          outcomes.set(i, PurchaseService.insufficientFunds(unit.quote().offer()));
          continue;
        }
        running[0]++;
        purchases.allocate(created.get(i).get(), unit.quote(), items.get(unit.item()).request())
            .onComplete(result -> {
              outcomes.set(i, result.succeeded() ? result.result() : result.cause());
              running[0]--;
              launch[0].run();
            });
      }
      if (next[0] >= units.size() && running[0] == 0) done.tryComplete(outcomes);
    };
    launch[0].run();
    return done.future();
  }

  private static List<ItemResult> report(List<Item> items, List<Future<PurchaseService.Quote>> quotes, List<Unit> units,
                                         List<Object> outcomes) {
    List<ItemResult> results = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      List<Activation> allocated = new ArrayList<>();
      Map<String, Failure> failures = new LinkedHashMap<>();
      if (quotes.get(i).failed()) {
        count(failures, quotes.get(i).cause(), items.get(i).quantity());
      }
      for (int u = 0; u < units.size(); u++) {
        if (units.get(u).item() != i) continue;
        Object outcome = outcomes.get(u);
        if (outcome instanceof Activation activation) allocated.add(activation);
        else count(failures, (Throwable) outcome, 1);
      }
      results.add(new ItemResult(i, items.get(i).quantity(), allocated, List.copyOf(failures.values())));
    }
    return results;
  }

  private static void count(Map<String, Failure> failures, Throwable cause, int n) {
    Kind kind = cause instanceof DomainException d ? d.kind() : Kind.UPSTREAM_FAILED;
    String detail = cause instanceof DomainException d ? d.getMessage() : "the order could not be completed; you were not charged";
    failures.merge(kind + "|" + detail, new Failure(kind, detail, n),
        (a, b) -> new Failure(a.kind(), a.detail(), a.count() + b.count()));
  }
}
