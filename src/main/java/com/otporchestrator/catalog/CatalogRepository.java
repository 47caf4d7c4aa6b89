package com.otporchestrator.catalog;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.upstream.StockLine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;

public final class CatalogRepository {
  private final Pool pool;
  private final OffersCache offers;

  public CatalogRepository(Pool pool, OffersCache offers) {
    this.pool = pool;
    this.offers = offers;
  }

  /** This node's offers cache: whoever changes what a purchase is offered calls its {@link OffersCache#changed}. */
  public OffersCache offersCache() {
    return offers;
  }

  /** Fails with why nothing is sold for the pair: an unknown service or country, else no numbers. */
  private <T> Future<T> unavailable(String service, int country) {
    return pool.preparedQuery(CatalogSql.KNOWN).execute(Tuple.of(service, country)).map(known -> {
      Row row = known.iterator().next();
      if (!row.getBoolean("service_known")) {
        throw new DomainException(DomainException.Kind.INVALID_INPUT, "unknown service '" + service + "'",
            new JsonObject().put("field", "service"));
      }
      if (!row.getBoolean("country_known")) {
        throw new DomainException(DomainException.Kind.INVALID_INPUT, "unknown country " + country,
            new JsonObject().put("field", "country"));
      }
      throw new DomainException(DomainException.Kind.NO_NUMBERS,
          "no supplier sells service '" + service + "' in country " + country);
      });
  }

  /** An offer and whether its supplier is at its concurrency limit. */
  public record RankedOffer(Offer offer, boolean atLimit) {}

  /**
   * Every enabled supplier's offer for the pair, best first (see {@link CatalogSql#RANKED_OFFERS});
   * fails with why when there is none. Read from this node's {@link OffersCache} while it is current.
   */
  public Future<List<RankedOffer>> rankedOffers(String service, int country) {
    return offers.get(service, country, () -> readRankedOffers(service, country));
  }

  private Future<OffersCache.Ranked> readRankedOffers(String service, int country) {
    return pool.preparedQuery(CatalogSql.RANKED_OFFERS).execute(Tuple.of(service, country)).compose(rows -> {
      if (rows.size() == 0) return unavailable(service, country);
      List<RankedOffer> list = new java.util.ArrayList<>(rows.size());
      boolean limited = false;
      for (Row row : rows) {
        list.add(new RankedOffer(toOffer(row), row.getBoolean("at_limit")));
        limited |= row.getBoolean("limited");
      }
      return Future.succeededFuture(new OffersCache.Ranked(List.copyOf(list), !limited));
    });
  }

  public Future<JsonArray> customerOffers(String service, Integer country) {
    return pool.preparedQuery(CatalogSql.CUSTOMER_OFFERS).execute(Tuple.of(service, country)).map(rows -> {
      JsonArray list = new JsonArray();
      for (Row row : rows) {
        list.add(new JsonObject()
            .put("service", row.getString("service")).put("serviceName", row.getString("service_name"))
            .put("country", row.getInteger("country")).put("countryName", row.getString("country_name"))
            .put("price", com.otporchestrator.common.Money.format(row.getLong("price")))
            .put("stock", row.getLong("stock")));
      }
      return list;
    });
  }

  /** Every country we know, by id: the ids are sms-activate's. */
  public Future<List<Named>> countries() {
    return pool.preparedQuery(CatalogSql.COUNTRIES).execute().map(rows -> {
      List<Named> list = new java.util.ArrayList<>(rows.size());
      rows.forEach(row -> list.add(new Named(String.valueOf(row.getInteger("id")), row.getString("name"))));
      return list;
    });
  }

  /** Every service we know, by code. */
  public Future<List<Named>> services() {
    return pool.preparedQuery(CatalogSql.SERVICES).execute().map(rows -> {
      List<Named> list = new java.util.ArrayList<>(rows.size());
      rows.forEach(row -> list.add(new Named(row.getString("code"), row.getString("name"))));
      return list;
    });
  }

  /** A country (id) or service (code) and its name. */
  public record Named(String key, String name) {}

  public Future<Offer> upsertOffer(Offer offer, Integer stock) {
    Tuple args = Tuple.of(offer.service(), offer.country(), offer.providerId(), offer.price(), offer.cost(), stock);
    return pool.preparedQuery(CatalogSql.UPSERT_OFFER).execute(args).map(rows -> toOffer(rows.iterator().next()))
        .compose(saved -> offers.changed().map(saved))
        .recover(error -> error instanceof io.vertx.pgclient.PgException pg && "23503".equals(pg.getSqlState())
            ? Future.failedFuture(DomainException.invalid("unknown service, country or provider in the offer"))
            : Future.failedFuture(error));
  }

  public Future<Void> upsertService(String code, String name) {
    return pool.preparedQuery(CatalogSql.UPSERT_SERVICE).execute(Tuple.of(code, name)).mapEmpty();
  }

  public Future<Integer> refreshStock(String providerId, List<StockLine> lines) {
    String[] services = lines.stream().map(StockLine::service).toArray(String[]::new);
    Integer[] countries = lines.stream().map(StockLine::country).toArray(Integer[]::new);
    Integer[] counts = lines.stream().map(StockLine::count).toArray(Integer[]::new);
    String[] operators = lines.stream().map(StockLine::operator).toArray(String[]::new);
    return pool.preparedQuery(CatalogSql.REFRESH_STOCK)
        .execute(Tuple.of(providerId, services, countries, counts)).map(rows -> rows.rowCount())
        .compose(updated -> pool.preparedQuery(CatalogSql.REFRESH_OPERATORS)
            .execute(Tuple.of(providerId, countries, operators, counts)).map(updated))
        .compose(updated -> offers.changed().map(updated));
  }

  /** Country id to the operators suppliers report there with stock. */
  public Future<java.util.Map<Integer, List<String>>> operators(Integer country) {
    return pool.preparedQuery(CatalogSql.OPERATORS).execute(Tuple.of(country)).map(rows -> {
      java.util.Map<Integer, List<String>> byCountry = new java.util.TreeMap<>();
      rows.forEach(r -> byCountry.put(r.getInteger("country"), List.of(r.getArrayOfStrings("operators"))));
      return byCountry;
    });
  }

  /** One supplier's offer: its price and stock. */
  public record OfferLine(String service, int country, String providerId, long price, long stock) {}

  /** Every enabled supplier's offer of {@code service} (null: every service), by country and price. */
  public Future<List<OfferLine>> offerLines(String service) {
    return pool.preparedQuery(CatalogSql.OFFER_LINES).execute(Tuple.of(service)).map(rows -> {
      List<OfferLine> list = new java.util.ArrayList<>(rows.size());
      rows.forEach(r -> list.add(new OfferLine(r.getString("service"), r.getInteger("country"), r.getString("provider_id"),
          r.getLong("price"), r.getInteger("stock"))));
      return list;
    });
  }

  /** A country and what is sold there. */
  public record CountryFlags(int id, String name, boolean activations, boolean rentals) {}

  public Future<List<CountryFlags>> countryFlags() {
    return pool.preparedQuery(CatalogSql.COUNTRY_FLAGS).execute().map(rows -> {
      List<CountryFlags> list = new java.util.ArrayList<>(rows.size());
      rows.forEach(r -> list.add(new CountryFlags(r.getInteger("id"), r.getString("name"), r.getBoolean("activations"),
          r.getBoolean("rentals"))));
      return list;
    });
  }

  private static Offer toOffer(Row row) {
    return new Offer(row.getString("service"), row.getInteger("country"), row.getString("provider_id"),
        row.getLong("price"), row.getLong("cost"), row.getInteger("stock"));
  }
}
