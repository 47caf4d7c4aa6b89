package com.otporchestrator.compat;

import static com.otporchestrator.compat.CompatTokens.refuse;

import com.otporchestrator.account.Account;
import com.otporchestrator.catalog.CatalogRepository;
import com.otporchestrator.catalog.CatalogRepository.OfferLine;
import com.otporchestrator.common.Money;
import com.otporchestrator.compat.CompatRoutes.Action;
import com.otporchestrator.compat.CompatRoutes.Params;
import com.otporchestrator.compat.CompatRoutes.Reply;
import com.otporchestrator.delivery.DeliveryRates;
import com.otporchestrator.policy.Policies;
import com.otporchestrator.rental.RentalService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The catalogue actions whose answers come from several sources: countries with what is really sold there, the top
 * countries of a service with their price ladders and delivery rates (by stock, or ranked by delivery rate), rent
 * prices per length, and the operators suppliers report.
 */
final class CompatCatalogue {
  /** The rental lengths the family sells (hours), listed for offers that sell any length inside the policy's bounds. */
  static final List<Integer> FAMILY_RENT_HOURS = List.of(4, 12, 24, 72, 168, 336, 720);

  private final CatalogRepository catalog;
  private final DeliveryRates delivery;
  private final RentalService rentals;
  private final Policies policies;

  CompatCatalogue(CatalogRepository catalog, DeliveryRates delivery, RentalService rentals, Policies policies) {
    this.catalog = catalog;
    this.delivery = delivery;
    this.rentals = rentals;
    this.policies = policies;
  }

  void register(BiConsumer<String, Action> actions) {
    actions.accept("getCountries", (account, p) -> countries());
    actions.accept("getTopCountriesByService", (account, p) -> top(p, false));
    actions.accept("getTopCountriesByServiceRank", (account, p) -> top(p, true));
    actions.accept("serviceCountRent", CompatOrders.json(this::serviceCountRent)); // Hero's: JSON refusals
    actions.accept("getOperators", this::operators);
  }

  /**
   * {"0": {id, rus, eng, chn, visible, retry, rent, multiService}}: visible and retry (setStatus 3 works on every
   * activation) where activations are sold, rent where a rental is in stock, multiService nowhere (we do not sell
   * multi-service numbers). English names only.
   */
  private Future<Reply> countries() {
    return catalog.countryFlags().map(list -> {
      JsonObject byId = new JsonObject();
      for (CatalogRepository.CountryFlags c : list) {
        int sold = c.activations() ? 1 : 0;
        byId.put(String.valueOf(c.id()), new JsonObject().put("id", c.id())
            .put("rus", c.name()).put("eng", c.name()).put("chn", c.name())
            .put("visible", sold).put("retry", sold).put("rent", c.rentals() ? 1 : 0).put("multiService", 0));
      }
      return Reply.json(byId);
    });
  }

  /**
   * {"0": {country, count, price, retail_price, physicalTotalCount, physicalCountForDefaultPrice, physicalPriceMap,
   * deliveryRate, delivered, ended[, freePriceMap]}}. The price ladders are real: each supplier's price with its stock.
   * By stock (most first), or, for the Rank action, by delivery rate over the window (best first, countries without
   * history last), then stock.
   */
  private Future<Reply> top(Params p, boolean byDeliveryRate) {
    String service = p.optionalService();
    boolean freePrice = PurchaseParams.isSet(p.get("freePrice"));
    return catalog.offerLines(service).compose(lines -> delivery.byPair(service, null).map(rates -> {
      Map<Integer, long[]> outcomes = new TreeMap<>(); // country -> {delivered, ended}
      rates.forEach(r -> outcomes.merge(r.country(), new long[] {r.delivered(), r.ended()},
          (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]}));
      Map<Integer, TreeMap<Long, Long>> ladders = new LinkedHashMap<>(); // country -> price -> stock
      for (OfferLine line : lines) {
        ladders.computeIfAbsent(line.country(), c -> new TreeMap<>()).merge(line.price(), line.stock(), Long::sum);
      }
      List<JsonObject> rows = new ArrayList<>();
      ladders.forEach((country, ladder) -> rows.add(topRow(country, ladder, outcomes.get(country), freePrice)));
      Comparator<JsonObject> byStock = Comparator.comparingLong(r -> -r.getLong("count"));
      Comparator<JsonObject> order = byStock.thenComparing(r -> new BigDecimal(r.getValue("price").toString())).thenComparing(r -> r.getInteger("country"));
      if (byDeliveryRate) {
        order = Comparator.<JsonObject, Double>comparing(r -> r.getValue("deliveryRate") == null ? 1.0
            : -((Number) r.getValue("deliveryRate")).doubleValue())
            .thenComparing(order);
      }
      rows.sort(order);
      JsonObject top = new JsonObject();
      for (int i = 0; i < rows.size(); i++) top.put(String.valueOf(i), rows.get(i));
      return Reply.json(top);
    }));
  }

  private static JsonObject topRow(int country, TreeMap<Long, Long> ladder, long[] outcome, boolean freePrice) {
    long total = ladder.values().stream().mapToLong(Long::longValue).sum();
    long lowest = ladder.firstKey();
    JsonObject priceMap = new JsonObject();
    ladder.forEach((price, stock) -> priceMap.put(Money.format(price), stock));
    JsonObject row = new JsonObject().put("country", country).put("count", total)
        .put("price", CompatViews.usd(lowest)).put("retail_price", CompatViews.usd(lowest))
        .put("physicalTotalCount", total).put("physicalCountForDefaultPrice", ladder.firstEntry().getValue())
        .put("physicalPriceMap", priceMap)
        .put("deliveryRate", outcome == null || outcome[1] == 0 ? null
            : new BigDecimal(outcome[0]).divide(new BigDecimal(outcome[1]), 4, RoundingMode.HALF_EVEN))
        .put("delivered", outcome == null ? 0 : outcome[0]).put("ended", outcome == null ? 0 : outcome[1]);
    if (freePrice) row.put("freePriceMap", priceMap.copy());
    return row;
  }

  /**
   * serviceCountRent (Hero): {"<country>": {"<hours>": {"price", "count"}}} for a service ({@code full}: any), each
   * length its offers sell: the lengths an offer lists, or the family's lengths inside the policy's bounds for an
   * offer selling any length. {@code price} is the whole rental's, in USD.
   */
  private Future<Reply> serviceCountRent(Account account, Params p) {
    PurchaseParams.check(p, java.util.Set.of("service", "country", "operator", "currency"));
    String service = p.optionalService();
    if (service == null) throw refuse(CompatTokens.BAD_SERVICE);
    String operator = p.get("operator");
    if (operator != null && !operator.isBlank() && !operator.strip().equals("any")) throw refuse(CompatTokens.WRONG_OPERATOR);
    Integer country = p.optionalCountry();
    return policies.inForce().map(inForce -> rentals.bounds(inForce.policy()))
        .compose(bounds -> rentals.repository().catalogue(country).map(rows -> {
          JsonObject byCountry = new JsonObject();
          for (JsonObject row : rows) {
            if (!service.equals(row.getString("service"))) continue;
            TreeSet<Integer> lengths = new TreeSet<>();
            JsonArray sold = row.getJsonArray("hours");
            if (sold != null) sold.forEach(h -> lengths.add((Integer) h));
            else FAMILY_RENT_HOURS.forEach(lengths::add);
            JsonObject byLength = new JsonObject();
            for (int hours : lengths) {
              if (hours < bounds.minHours() || hours > bounds.maxHours()) continue;
              byLength.put(String.valueOf(hours), new JsonObject()
                  .put("price", CompatViews.usd(Math.multiplyExact(row.getLong("hourlyPrice"), (long) hours)))
                  .put("count", row.getLong("stock")));
            }
            if (!byLength.isEmpty()) byCountry.put(String.valueOf(row.getInteger("country")), byLength);
          }
          return Reply.json(byCountry);
        }));
  }

  /**
   * {"status": "success", "countryOperators": {"0": ["any", "beeline", ...]}}: "any" plus the operators suppliers
   * report with stock; OPERATORS_NOT_FOUND for a country we do not know.
   */
  private Future<Reply> operators(Account account, Params p) {
    Integer country = p.optionalCountry();
    return catalog.countries().compose(known -> catalog.operators(country).map(reported -> {
      JsonObject byCountry = new JsonObject();
      for (CatalogRepository.Named c : known) {
        int id = Integer.parseInt(c.key());
        if (country != null && id != country) continue;
        JsonArray operators = new JsonArray().add("any");
        reported.getOrDefault(id, List.of()).stream().filter(o -> !o.equals("any")).forEach(operators::add);
        byCountry.put(c.key(), operators);
      }
      if (byCountry.isEmpty()) throw refuse(CompatTokens.OPERATORS_NOT_FOUND);
      return Reply.json(new JsonObject().put("status", "success").put("countryOperators", byCountry));
    }));
  }
}
