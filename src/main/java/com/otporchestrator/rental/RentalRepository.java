package com.otporchestrator.rental;

import com.otporchestrator.metrics.Meters;
import com.otporchestrator.order.Channel;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** All SQL access to rentals; money changes only through the guarded statements of {@link RentalSql}. */
public final class RentalRepository {
  private final Pool pool;
  private final Meters meters;

  public RentalRepository(Pool pool, Meters meters) {
    this.pool = pool;
    this.meters = meters;
  }

  public Pool pool() {
    return pool;
  }

  /** A supplier's price for renting a number of (country, service or "full"), per hour. */
  public record RentOffer(String providerId, long hourlyPrice, long hourlyCost, long stock) {}

  /** What a new rental is bought with. {@code service} is null for any service. */
  public record Hold(String service, int country, String providerId, int hours, long hourlyPrice, long price, long cost,
                     String webhookUrl, Channel channel) {}

  public record SmsStored(Long rentalId, boolean fresh, Long webhookEventId) {}

  public record TimerState(long id, RentalState state, String upstreamState, long endsMillis, Long upstreamNextMillis) {}

  /** Offers selling a rental of {@code hours}, best first. */
  public Future<List<RentOffer>> offers(int country, String serviceCode, int hours) {
    return pool.preparedQuery(RentalSql.OFFERS).execute(Tuple.of(country, serviceCode, hours)).map(rows -> {
      List<RentOffer> offers = new ArrayList<>();
      for (Row r : rows) {
        offers.add(new RentOffer(r.getString("provider_id"), r.getLong("hourly_price"), r.getLong("hourly_cost"),
            r.getLong("stock")));
      }
      return offers;
    });
  }

  /** {countryKnown, serviceKnown}. */
  public Future<boolean[]> known(int country, String serviceCode) {
    return pool.preparedQuery(RentalSql.KNOWN).execute(Tuple.of(country, serviceCode)).map(rows -> {
      Row r = rows.iterator().next();
      return new boolean[] {r.getBoolean("country_known"), r.getBoolean("service_known")};
    });
  }

  /** Rows of (country, service, hourly_price, stock), for the protocol's rent catalogue. */
  public Future<List<JsonObject>> catalogue(Integer country) {
    return catalogue(country, null);
  }

  /**
   * Rows of (country, service, hourlyPrice, stock, hours) of the offers selling a rental of {@code hours} (any length
   * when null); {@code hours} of a row lists the lengths its offers sell, absent when one of them sells any length.
   */
  public Future<List<JsonObject>> catalogue(Integer country, Integer hours) {
    return pool.preparedQuery(RentalSql.CATALOGUE).execute(Tuple.of(country, hours)).map(rows -> {
      List<JsonObject> list = new ArrayList<>();
      for (Row r : rows) {
        Integer[] sold = r.getArrayOfIntegers("hours");
        list.add(new JsonObject().put("country", r.getInteger("country")).put("service", r.getString("service"))
            .put("hourlyPrice", r.getLong("hourly_price")).put("stock", r.getLong("stock"))
            .put("hours", sold == null ? null : new JsonArray(java.util.Arrays.asList(sold))));
      }
      return list;
    });
  }

  /** @param allowedHours the lengths this offer sells; null: any inside the policy's bounds */
  public Future<Void> upsertOffer(String providerId, int country, String service, long hourlyPrice, long hourlyCost, int stock,
                                  Integer[] allowedHours) {
    return pool.preparedQuery(RentalSql.UPSERT_OFFER)
        .execute(Tuple.of(providerId, country, service, hourlyPrice, hourlyCost, stock).addArrayOfInteger(allowedHours))
        .mapEmpty();
  }

  /** The lengths sold for a (country, service) across its offers; empty when one of them sells any length. */
  public Future<Optional<List<Integer>>> allowedHours(int country, String serviceCode) {
    return pool.preparedQuery(RentalSql.ALLOWED_HOURS).execute(Tuple.of(country, serviceCode)).map(rows -> {
      Row r = rows.iterator().next();
      if (!Boolean.FALSE.equals(r.getBoolean("any_length"))) return Optional.<List<Integer>>empty();
      Integer[] hours = r.getArrayOfIntegers("hours");
      return Optional.of(hours == null ? List.<Integer>of() : List.of(hours));
    });
  }

  /** Holds the price and creates the rental; empty when the balance does not cover it. */
  public Future<Optional<Long>> hold(long accountId, Hold h, Duration defaultCancelWindow, Duration allocationTimeout) {
    Tuple args = Tuple.of(accountId, h.service(), h.country(), h.providerId(), h.hours(), h.hourlyPrice())
        .addLong(h.price()).addLong(h.cost()).addString(h.webhookUrl()).addLong(defaultCancelWindow.toMillis())
        .addLong(allocationTimeout.toMillis()).addString(h.channel().dbValue());
    return pool.preparedQuery(RentalSql.HOLD).execute(args)
        .map(rows -> rows.size() == 0 ? Optional.<Long>empty() : Optional.of(rows.iterator().next().getLong("id")));
  }

  public Future<Boolean> markAllocated(long id, String phone, String providerRentalId) {
    return pool.preparedQuery(RentalSql.MARK_ALLOCATED).execute(Tuple.of(id, phone, providerRentalId))
        .map(rows -> rows.size() == 1);
  }

  public Future<Boolean> adoptLateAllocation(long id, String providerRentalId, String phone) {
    return pool.preparedQuery(RentalSql.ADOPT_LATE_ALLOCATION).execute(Tuple.of(id, providerRentalId, phone))
        .map(rows -> rows.size() == 1);
  }

  public Future<Boolean> failAllocation(long id, String reason, String upstreamState) {
    return resolveOne(id, RentalSql.FAIL_ALLOCATION_LOCKED, Tuple.of(id, reason, upstreamState))
        .map(done -> counted(done, () -> meters.refunds("failed_allocation", 1)));
  }

  public Future<Boolean> cancel(long id, long accountId) {
    return resolveOne(id, RentalSql.CANCEL_LOCKED, Tuple.of(id, accountId))
        .map(done -> counted(done, () -> meters.refunds("cancelled", 1)));
  }

  public Future<Boolean> finish(long id, long accountId) {
    return resolveOne(id, RentalSql.FINISH_LOCKED, Tuple.of(id, accountId))
        .map(done -> counted(done, () -> meters.captures("finished", 1)));
  }

  /** Locks the rental, then resolves it with {@code sql}: see {@link RentalSql} on why two statements. */
  private Future<Boolean> resolveOne(long id, String sql, Tuple args) {
    return pool.withTransaction(conn -> conn.preparedQuery(RentalSql.LOCK).execute(Tuple.of((Object) new Long[] {id}))
        .compose(locked -> locked.size() == 0 ? Future.succeededFuture(false)
            : conn.preparedQuery(sql).execute(args).map(rows -> rows.size() == 1)));
  }

  /**
   * Ends every due rental among {@code ids} in one transaction: locks the rentals (id order), then ends the due ones in
   * one statement, whose posting fragment locks their wallets last (account order); answers the ids that closed.
   */
  public Future<List<Long>> endDue(List<Long> ids) {
    Long[] sorted = ids.stream().sorted().distinct().toArray(Long[]::new);
    return pool.withTransaction(conn -> conn.preparedQuery(RentalSql.LOCK).execute(Tuple.of((Object) sorted))
        .compose(locked -> locked.size() == 0 ? Future.<RowSet<Row>>succeededFuture(null)
            : conn.preparedQuery(RentalSql.END_LOCKED).execute(Tuple.of((Object) idsOf(locked)))))
        .map(closed -> {
          if (closed == null) return List.<Long>of();
          List<Long> done = new ArrayList<>();
          long ended = 0;
          long failed = 0;
          for (Row row : closed) {
            done.add(row.getLong("id"));
            if ("ENDED".equals(row.getString("state"))) ended++;
            else failed++;
          }
          meters.captures("rental_end", ended);
          meters.refunds("failed_allocation", failed);
          return done;
        });
  }

  /** A rental to refund automatically: how ('full' or 'unused_pro_rata') and from when it was unusable (null: now). */
  public record AutoRefund(long id, String mode, java.time.OffsetDateTime from) {}

  /**
   * Refunds the active rentals among {@code refunds} for {@code event} ({@link RentalSql#AUTO_REFUND_LOCKED}) in one
   * transaction, locking the rentals (id order; the refund's fragment locks their wallets last); records {@code incidentKind} (null:
   * none) for each. Answers the ids refunded (a rental no longer active is left alone).
   */
  public Future<List<Long>> refundAutomatically(List<AutoRefund> refunds, String event, String reason, String incidentKind,
                                                String evidence) {
    List<AutoRefund> sorted = refunds.stream().sorted(java.util.Comparator.comparingLong(AutoRefund::id)).toList();
    Long[] ids = sorted.stream().map(AutoRefund::id).toArray(Long[]::new);
    return pool.withTransaction(conn -> conn.preparedQuery(RentalSql.LOCK).execute(Tuple.of((Object) ids))
        .compose(locked -> locked.size() == 0 ? Future.<RowSet<Row>>succeededFuture(null)
            : conn.preparedQuery(RentalSql.AUTO_REFUND_LOCKED).execute(autoRefundArgs(sorted, event, reason, incidentKind, evidence))))
        .map(closed -> refunded(closed, event));
  }

  /**
   * Refunds the next {@code limit} active rentals of an outage's scope whose policy refunds an outage, pro rata or in
   * full from the outage's start, in one transaction (the rentals, then the refund, which locks their wallets); the ids refunded, empty
   * when none is left.
   */
  public Future<List<Long>> refundOutageBatch(long outageId, String providerId, String service, Integer country,
                                              java.time.OffsetDateTime startsAt, java.time.OffsetDateTime startedNoLaterThan,
                                              int limit) {
    return pool.withTransaction(conn -> conn.preparedQuery(RentalSql.LOCK_OUTAGE_SCOPE)
        .execute(Tuple.of(providerId, service, country, startedNoLaterThan, startsAt, limit))
        .compose(locked -> {
          if (locked.size() == 0) return Future.<RowSet<Row>>succeededFuture(null);
          List<AutoRefund> refunds = new ArrayList<>();
          for (Row row : locked) refunds.add(new AutoRefund(row.getLong("id"), row.getString("mode"), startsAt));
          return conn.preparedQuery(RentalSql.AUTO_REFUND_LOCKED)
              .execute(autoRefundArgs(refunds, "platform_outage", "outage " + outageId, "SILENT_WHILE_UNHEALTHY",
                  "outage " + outageId + " of its scope, from " + startsAt + ", refunded this rental"));
        }))
        .map(closed -> refunded(closed, "platform_outage"));
  }

  private static Tuple autoRefundArgs(List<AutoRefund> refunds, String event, String reason, String incidentKind,
                                      String evidence) {
    return Tuple.of(refunds.stream().map(AutoRefund::id).toArray(Long[]::new),
        refunds.stream().map(AutoRefund::mode).toArray(String[]::new),
        refunds.stream().map(AutoRefund::from).toArray(java.time.OffsetDateTime[]::new), event, reason, incidentKind)
        .addString(evidence);
  }

  private List<Long> refunded(RowSet<Row> closed, String event) {
    if (closed == null) return List.of();
    List<Long> ids = new ArrayList<>();
    closed.forEach(r -> ids.add(r.getLong("id")));
    meters.refunds("rental_" + event, ids.size());
    return ids;
  }

  /** Extends the rental; the new extension's id, or empty when it was not possible (the caller reads why). */
  public Future<Optional<Long>> extend(long id, long accountId, int hours, long price, int maxTotalHours) {
    return pool.preparedQuery(RentalSql.EXTEND).execute(Tuple.of(id, accountId, hours, price, maxTotalHours))
        .map(rows -> Optional.ofNullable(rows.iterator().next().getLong("extension_id")));
  }

  public Future<SmsStored> deliverToPhone(String phone, String providerId, String dedupeKey, String sender, String text,
                                          String code) {
    return pool.preparedQuery(RentalSql.DELIVER_SMS_TO_PHONE)
        .execute(Tuple.of(phone, providerId, dedupeKey, sender, text, code)).map(rows -> {
          Row row = rows.iterator().next();
          return new SmsStored(row.getLong("rental_id"), row.getLong("stored") > 0, row.getLong("webhook_event_id"));
        });
  }

  /** True when this incident is new (one per rental and kind). */
  public Future<Boolean> recordIncident(long id, String kind, String evidence) {
    String text = evidence == null || evidence.isBlank() ? "(no detail)" : evidence.length() > 2000 ? evidence.substring(0, 2000) : evidence;
    return pool.preparedQuery(RentalSql.RECORD_INCIDENT).execute(Tuple.of(id, kind, text)).map(rows -> rows.size() == 1);
  }

  public Future<JsonArray> incidents(Long beforeId, int limit) {
    return pool.preparedQuery(RentalSql.INCIDENTS).execute(Tuple.of(beforeId, limit)).map(rows -> {
      JsonArray list = new JsonArray();
      for (Row r : rows) {
        list.add(new JsonObject().put("id", r.getLong("id")).put("rentalId", r.getLong("rental_id"))
            .put("accountId", r.getLong("account_id")).put("kind", r.getString("kind"))
            .put("detectedAt", r.getOffsetDateTime("detected_at").toInstant().toString())
            .put("evidence", r.getString("evidence")).put("providerId", r.getString("provider_id"))
            .put("phone", r.getString("phone")).put("rentalState", r.getString("state")));
      }
      return list;
    });
  }

  public Future<Optional<Rental>> find(long id, long accountId) {
    return pool.preparedQuery(RentalSql.FIND_FOR_ACCOUNT).execute(Tuple.of(id, accountId)).map(RentalRepository::first);
  }

  public Future<Optional<Rental>> findAny(long id) {
    return pool.preparedQuery(RentalSql.FIND_ANY).execute(Tuple.of(id)).map(RentalRepository::first);
  }

  public Future<List<Rental>> list(long accountId, RentalState state, Long beforeId, int limit) {
    return pool.preparedQuery(RentalSql.LIST_FOR_ACCOUNT)
        .execute(Tuple.of(accountId, state == null ? null : state.name(), beforeId, limit)).map(rows -> {
          List<Rental> list = new ArrayList<>(rows.size());
          rows.forEach(r -> list.add(rental(r)));
          return list;
        });
  }

  // ---- timers

  public Future<List<TimerState>> timerStates(List<Long> ids) {
    return pool.preparedQuery(RentalSql.TIMER_STATE).execute(Tuple.of((Object) ids.toArray(Long[]::new))).map(rows -> {
      List<TimerState> states = new ArrayList<>(rows.size());
      for (Row r : rows) {
        states.add(new TimerState(r.getLong("id"), RentalState.valueOf(r.getString("state")), r.getString("upstream_state"),
            r.getLong("ends_ms"), r.getLong("upstream_next_ms")));
      }
      return states;
    });
  }

  public Future<RowSet<Row>> closeCandidates(List<Long> ids) {
    return pool.preparedQuery(RentalSql.CLOSE_CANDIDATES).execute(Tuple.of((Object) ids.toArray(Long[]::new)));
  }

  public Future<Void> closed(long id) {
    return pool.preparedQuery(RentalSql.CLOSED).execute(Tuple.of(id)).mapEmpty();
  }

  /** Pushes the next close attempt {@code delayMillis} ahead; its due time, or null when the rental is no longer closing. */
  public Future<Long> retryClose(long id, long delayMillis, String note) {
    return pool.preparedQuery(RentalSql.RETRY_CLOSE).execute(Tuple.of(id, delayMillis, note))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong("next_ms"));
  }

  public Future<Void> closeRefused(long id, String note) {
    return pool.preparedQuery(RentalSql.CLOSE_REFUSED).execute(Tuple.of(id, note)).mapEmpty();
  }

  /** Ids of one of the sweep's overdue queries ({@link RentalSql#OVERDUE_ENDS}, {@link RentalSql#OVERDUE_CLOSES}). */
  public Future<List<Long>> ids(String sql, Duration grace, int limit) {
    return pool.preparedQuery(sql).execute(Tuple.of(grace.toMillis(), limit)).map(rows -> {
      List<Long> ids = new ArrayList<>(rows.size());
      rows.forEach(r -> ids.add(r.getLong("id")));
      return ids;
    });
  }

  /** (id, due epoch ms) pairs of one of the re-seeding queries ({@link RentalSql#LIVE_ENDS}, {@link RentalSql#LIVE_CLOSES}). */
  public Future<List<long[]>> idsWithDue(String sql, long afterId, int limit) {
    return pool.preparedQuery(sql).execute(Tuple.of(afterId, limit)).map(rows -> {
      List<long[]> list = new ArrayList<>(rows.size());
      rows.forEach(r -> list.add(new long[] {r.getLong("id"), r.getLong("due_ms")}));
      return list;
    });
  }

  // ---- mapping

  private static boolean counted(boolean resolved, Runnable count) {
    if (resolved) count.run();
    return resolved;
  }

  private static Optional<Rental> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(rental(rows.iterator().next()));
  }

  private static Rental rental(Row r) {
    String policyId = r.getString("policy_id");
    Rental.PolicyRef policy = policyId == null ? null : new Rental.PolicyRef(policyId, r.getInteger("policy_version"));
    List<Rental.Extension> extensions = new ArrayList<>();
    for (Object o : json(r.getValue("extensions"))) {
      JsonObject e = (JsonObject) o;
      extensions.add(new Rental.Extension(e.getLong("id"), e.getInteger("hours"), e.getLong("price"), e.getString("createdAt")));
    }
    List<Rental.ReceivedSms> sms = new ArrayList<>();
    for (Object o : json(r.getValue("sms"))) {
      JsonObject s = (JsonObject) o;
      sms.add(new Rental.ReceivedSms(s.getString("sender"), s.getString("text"), s.getString("code"), s.getString("receivedAt")));
    }
    return new Rental(r.getLong("id"), r.getLong("account_id"), r.getString("service"), r.getInteger("country"),
        r.getString("provider_id"), r.getInteger("hours"), r.getLong("hourly_price"), r.getLong("price"),
        RentalState.valueOf(r.getString("state")), r.getString("phone"), r.getOffsetDateTime("created_at"),
        r.getOffsetDateTime("starts_at"), r.getOffsetDateTime("ends_at"), r.getOffsetDateTime("cancel_until"),
        r.getOffsetDateTime("closed_at"), r.getString("close_reason"), r.getString("webhook_url"), policy,
        r.getString("provider_rental_id"), Channel.of(r.getString("channel")), r.getString("refund_event"),
        List.copyOf(extensions), List.copyOf(sms));
  }

  private static JsonArray json(Object value) {
    if (value instanceof JsonArray array) return array;
    if (value instanceof String text) return new JsonArray(text);
    return new JsonArray();
  }

  /** The {@code id} column of rows just locked, in their order. */
  private static Long[] idsOf(RowSet<Row> rows) {
    Long[] ids = new Long[rows.size()];
    int i = 0;
    for (Row row : rows) ids[i++] = row.getLong("id");
    return ids;
  }
}
