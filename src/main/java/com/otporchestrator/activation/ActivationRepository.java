package com.otporchestrator.activation;

import com.otporchestrator.metrics.Meters;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** All SQL access to activations; every money change goes through a guarded statement of {@link ActivationSql}. */
public final class ActivationRepository {
  private final Pool pool;
  /** Every money resolution passes here, so refunds and captures are counted here, after the commit. */
  private final Meters meters;

  public ActivationRepository(Pool pool) {
    this(pool, Meters.detached());
  }

  public ActivationRepository(Pool pool, Meters meters) {
    this.pool = pool;
    this.meters = meters;
  }

  /** {@link #holdMany(List, List, Duration)} for one account. */
  public Future<List<Optional<Created>>> holdMany(long accountId, List<Hold> holds, Duration allocationTimeout) {
    return holdMany(java.util.Collections.nCopies(holds.size(), accountId), holds, allocationTimeout);
  }

  /**
   * Holds and creates orders in one statement, of any number of accounts ({@code accounts.get(i)} pays for
   * {@code holds.get(i)}): each account's orders in their given order while its balance covers them. The answer has one
   * entry per offer: the created order, or empty when it was not affordable.
   */
  public Future<List<Optional<Created>>> holdMany(List<Long> accounts, List<Hold> holds, Duration allocationTimeout) {
    int n = holds.size();
    Long[] accountIds = accounts.toArray(Long[]::new);
    String[] services = new String[n];
    Integer[] countries = new Integer[n];
    String[] providers = new String[n];
    Long[] prices = new Long[n];
    Long[] costs = new Long[n];
    String[] webhookUrls = new String[n];
    String[] channels = new String[n];
    for (int i = 0; i < n; i++) {
      var offer = holds.get(i).offer();
      webhookUrls[i] = holds.get(i).webhookUrl();
      channels[i] = holds.get(i).channel().dbValue();
      services[i] = offer.service();
      countries[i] = offer.country();
      providers[i] = offer.providerId();
      prices[i] = offer.price();
      costs[i] = offer.cost();
    }
    Tuple args = Tuple.of(accountIds, services, countries, providers, prices, costs, allocationTimeout.toMillis(), webhookUrls)
        .addArrayOfString(channels);
    return pool.preparedQuery(ActivationSql.HOLD_MANY).execute(args).map(rows -> {
      List<Optional<Created>> created = new ArrayList<>(java.util.Collections.nCopies(n, Optional.<Created>empty()));
      for (Row row : rows) {
        created.set(row.getLong("ord").intValue() - 1, Optional.of(new Created(row.getLong("id"), row.getLong("expires_ms"))));
      }
      return created;
    });
  }

  /** One order to hold: what it buys, its own webhook URL (null: the account's applies), and how it was placed. */
  public record Hold(com.otporchestrator.catalog.Offer offer, String webhookUrl, com.otporchestrator.order.Channel channel) {}

  /** A new order in ALLOCATING and the deadline of its allocation watchdog. */
  public record Created(long id, long watchdogMillis) {}

  /** Opens the order on its number; empty when it was no longer allocating (the watchdog failed it). */
  public Future<Optional<Activation>> markAllocated(long id, String phone, String providerActivationId, Duration window,
                                                    OffsetDateTime supplierEnd, Duration cancelDelay) {
    Tuple args = Tuple.of(id, phone, providerActivationId, window.toMillis(), supplierEnd, cancelDelay.toMillis());
    return pool.preparedQuery(ActivationSql.MARK_ALLOCATED).execute(args)
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toActivation(rows.iterator().next())));
  }

  /** Moves an order still allocating to another supplier, recording why the last one passed. */
  public Future<Boolean> reroute(long id, String providerId, long cost, String attempt) {
    return pool.preparedQuery(ActivationSql.REROUTE).execute(Tuple.of(id, providerId, cost, attempt))
        .map(rows -> rows.size() == 1);
  }

  public Future<Boolean> adoptLateAllocation(long id, String providerActivationId, String phone) {
    return pool.preparedQuery(ActivationSql.ADOPT_LATE_ALLOCATION).execute(Tuple.of(id, providerActivationId, phone))
        .map(rows -> rows.size() == 1);
  }

  /** Fails an order still allocating and voids its hold; {@code upstreamState} is NONE or UNKNOWN. */
  public Future<Boolean> failAllocation(long id, String reason, String upstreamState) {
    return pool.preparedQuery(ActivationSql.FAIL_ALLOCATION).execute(Tuple.of(id, reason, upstreamState))
        .map(rows -> counted(rows.size() == 1, () -> meters.refunds("failed_allocation", 1)));
  }

  public Future<Boolean> cancel(long id, long accountId) {
    return pool.preparedQuery(ActivationSql.CANCEL).execute(Tuple.of(id, accountId))
        .map(rows -> counted(rows.size() == 1, () -> meters.refunds("cancelled", 1)));
  }

  public Future<Boolean> finish(long id, long accountId) {
    return pool.preparedQuery(ActivationSql.FINISH).execute(Tuple.of(id, accountId))
        .map(rows -> counted(rows.size() == 1, () -> meters.captures("finished", 1)));
  }

  public Future<Boolean> retry(long id, long accountId) {
    return pool.preparedQuery(ActivationSql.RETRY).execute(Tuple.of(id, accountId)).map(rows -> rows.size() == 1);
  }

  public Future<Boolean> closeByUpstream(long id, String reason) {
    return pool.preparedQuery(ActivationSql.CLOSE_BY_UPSTREAM).execute(Tuple.of(id, reason))
        .map(rows -> counted(rows.size() == 1, () -> meters.refunds("closed_by_supplier", 1)));
  }

  private static boolean counted(boolean resolved, Runnable count) {
    if (resolved) count.run();
    return resolved;
  }

  /**
   * Ends the window of every due order among {@code ids} in one transaction: locks the orders (id
   * order), then resolves them all in one statement, whose posting fragment locks their wallets
   * (account order) last. Answers the ids of the orders closed.
   */
  /** What an expiry batch closed: every order it resolved, and those of them now to be closed with their supplier. */
  public record ExpiredBatch(List<Long> closed, List<Long> closing) {}

  public Future<ExpiredBatch> expireDue(List<Long> ids) {
    Long[] sorted = ids.stream().sorted().toArray(Long[]::new);
    return pool.withTransaction(conn -> conn.preparedQuery(ActivationSql.LOCK_DUE).execute(Tuple.of((Object) sorted))
        .compose(due -> due.size() == 0 ? Future.<RowSet<Row>>succeededFuture(null)
            : conn.preparedQuery(ActivationSql.EXPIRE_LOCKED).execute(Tuple.of((Object) idsOf(due).toArray(Long[]::new)))))
        .map(closed -> countExpired(ids.size(), closed));
  }

  /** Counts a committed expiry batch: refunds and captures by the state each order reached, and the fires that found nothing due. */
  private ExpiredBatch countExpired(int fired, RowSet<Row> closed) {
    if (closed == null) {
      meters.duplicatesSuppressed("expiry_cas_miss", fired);
      return new ExpiredBatch(List.of(), List.of());
    }
    long expired = 0;
    long failed = 0;
    long finished = 0;
    List<Long> closing = new ArrayList<>(closed.size());
    for (Row row : closed) {
      switch (row.getString("state")) {
        case "EXPIRED" -> expired++;
        case "FAILED" -> failed++;
        case "FINISHED" -> finished++;
        default -> { }
      }
      if (!"FAILED".equals(row.getString("state"))) closing.add(row.getLong("id"));
    }
    meters.refunds("expired", expired);
    meters.refunds("failed_allocation", failed);
    meters.captures("window_end", finished);
    meters.duplicatesSuppressed("expiry_cas_miss", fired - closed.size());
    return new ExpiredBatch(idsOf(closed), closing);
  }

  private static List<Long> idsOf(RowSet<Row> rows) {
    List<Long> ids = new ArrayList<>(rows.size());
    rows.forEach(row -> ids.add(row.getLong("id")));
    return ids;
  }

  public Future<List<TimerState>> timerStates(List<Long> ids) {
    return pool.preparedQuery(ActivationSql.TIMER_STATE).execute(Tuple.of((Object) ids.toArray(Long[]::new))).map(rows -> {
      List<TimerState> states = new ArrayList<>(rows.size());
      for (Row row : rows) {
        states.add(new TimerState(row.getLong("id"), ActivationState.valueOf(row.getString("state")),
            row.getString("upstream_state"), row.getLong("expires_ms"), row.getLong("upstream_next_ms"),
            com.otporchestrator.upstream.ProviderRecord.polled(row.getString("protocol"))));
      }
      return states;
    });
  }

  /** Stores an SMS on the given open order of the given supplier. */
  public Future<SmsStored> deliverToOrder(long id, String providerId, String dedupeKey, String sender, String text,
                                          String code) {
    return pool.preparedQuery(ActivationSql.DELIVER_SMS_TO_ORDER)
        .execute(Tuple.of(id, providerId, dedupeKey, sender, text, code)).map(ActivationRepository::stored);
  }

  /** Stores an SMS on the open order that holds this phone at this supplier. */
  public Future<SmsStored> deliverToPhone(String phone, String providerId, String dedupeKey, String sender,
                                          String text, String code) {
    return pool.preparedQuery(ActivationSql.DELIVER_SMS_TO_PHONE)
        .execute(Tuple.of(phone, providerId, dedupeKey, sender, text, code)).map(ActivationRepository::stored);
  }

  /**
   * Which order took the SMS (null when none was open), whether it was new, and the webhook event
   * written with it (null when the order and its account have no webhook URL, or the SMS was a repeat).
   */
  public record SmsStored(Long activationId, boolean fresh, Long webhookEventId) {}

  private static SmsStored stored(RowSet<Row> rows) {
    Row row = rows.iterator().next();
    return new SmsStored(row.getLong("activation_id"), row.getLong("stored") > 0, row.getLong("webhook_event_id"));
  }

  public Future<String> providerActivationId(long id) {
    return pool.preparedQuery("SELECT provider_activation_id FROM activations WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("provider_activation_id"));
  }

  public Future<Optional<Activation>> find(long id, long accountId) {
    return pool.preparedQuery(ActivationSql.FIND_FOR_ACCOUNT).execute(Tuple.of(id, accountId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toActivation(rows.iterator().next())));
  }

  /** Any account's order, for operators. */
  public Future<Optional<Activation>> findAny(long id) {
    return pool.preparedQuery(ActivationSql.FIND_ANY).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toActivation(rows.iterator().next())));
  }

  public Future<List<Activation>> list(long accountId, ActivationState state, Long beforeId, int limit) {
    Tuple args = Tuple.of(accountId, state == null ? null : state.name(), beforeId, limit);
    return pool.preparedQuery(ActivationSql.LIST_FOR_ACCOUNT).execute(args).map(rows -> {
      List<Activation> list = new ArrayList<>(rows.size());
      rows.forEach(row -> list.add(toActivation(row)));
      return list;
    });
  }

  /** The account's orders that hold a number and may still receive a code, newest first. */
  public Future<List<Activation>> live(long accountId, int limit) {
    return live(accountId, 0, limit);
  }

  /** A page of {@link #live(long, int)}: skips the {@code offset} newest. */
  public Future<List<Activation>> live(long accountId, int offset, int limit) {
    return pool.preparedQuery(ActivationSql.LIVE_FOR_ACCOUNT).execute(Tuple.of(accountId, limit, offset))
        .map(ActivationRepository::activations);
  }

  /** The account's orders that got a number, bought between {@code from} and {@code to} (each optional). */
  public Future<List<Activation>> history(long accountId, OffsetDateTime from, OffsetDateTime to, int offset, int limit) {
    return pool.preparedQuery(ActivationSql.HISTORY_FOR_ACCOUNT).execute(Tuple.of(accountId, from, to, offset, limit))
        .map(ActivationRepository::activations);
  }

  private static List<Activation> activations(RowSet<Row> rows) {
    List<Activation> list = new ArrayList<>(rows.size());
    rows.forEach(row -> list.add(toActivation(row)));
    return list;
  }

  public Future<List<Long>> ids(String sql, long first, int limit) {
    return pool.preparedQuery(sql).execute(Tuple.of(first, limit)).map(rows -> {
      List<Long> ids = new ArrayList<>(rows.size());
      rows.forEach(row -> ids.add(row.getLong("id")));
      return ids;
    });
  }

  /** Live timers of {@code sql} after the rebuild cursor (deadline in epoch µs, id), as (id, due µs) pairs. */
  public Future<List<long[]>> idsWithDueAfter(String sql, long afterDueMicros, long afterId, int limit) {
    return pool.preparedQuery(sql).execute(Tuple.of(afterDueMicros, afterId, limit)).map(rows -> {
      List<long[]> list = new ArrayList<>(rows.size());
      rows.forEach(row -> list.add(new long[] {row.getLong("id"), row.getLong("due_us")}));
      return list;
    });
  }

  public Future<List<long[]>> idsWithDue(String sql, long afterId, int limit) {
    return pool.preparedQuery(sql).execute(Tuple.of(afterId, limit)).map(rows -> {
      List<long[]> list = new ArrayList<>(rows.size());
      rows.forEach(row -> list.add(new long[] {row.getLong("id"), row.getLong("due_ms")}));
      return list;
    });
  }

  private static Activation toActivation(Row row) {
    Object raw = row.getValue("sms");
    JsonArray sms = raw instanceof JsonArray array ? array : new JsonArray(String.valueOf(raw));
    List<Activation.ReceivedSms> received = new ArrayList<>(sms.size());
    for (int i = 0; i < sms.size(); i++) {
      JsonObject s = sms.getJsonObject(i);
      received.add(new Activation.ReceivedSms(s.getString("sender"), s.getString("text"), s.getString("code"),
          s.getString("receivedAt")));
    }
    return new Activation(row.getLong("id"), row.getLong("account_id"), row.getString("service"),
        row.getInteger("country"), row.getString("provider_id"), row.getLong("price"),
        ActivationState.valueOf(row.getString("state")), row.getString("phone"), row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("expires_at"), row.getOffsetDateTime("cancellable_at"),
        row.getOffsetDateTime("closed_at"), row.getString("close_reason"), row.getString("webhook_url"),
        row.getString("policy_id") == null ? null
            : new Activation.PolicyRef(row.getString("policy_id"), row.getInteger("policy_version")),
        Boolean.TRUE.equals(row.getBoolean("refund_held")), com.otporchestrator.order.Channel.of(row.getString("channel")),
        List.copyOf(received));
  }
}
