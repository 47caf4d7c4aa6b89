package com.otporchestrator.claim;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.common.Money;
import com.otporchestrator.policy.RefundPolicy.OrderKind;
import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerKind;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every claim statement of {@link ClaimSql}, run and read into records. It decides nothing: each write is one guarded
 * statement, and it answers whether the guard let it through.
 */
public final class ClaimRepository {
  private final Pool pool;

  public ClaimRepository(Pool pool) {
    this.pool = pool;
  }

  /** A file of a claim. */
  public record Evidence(int n, String mediaType, int sizeBytes, String sha256, OffsetDateTime uploadedAt) {}

  /** One line of a claim's history; {@code internal} notes are for admins only. */
  public record Event(OffsetDateTime at, String actor, String fromState, String toState, String note, boolean internal) {}

  /** An evidence file as stored: its media type and bytes. */
  record StoredFile(String mediaType, Buffer data) {}

  /**
   * A claim to file, as the service judged it. Each deadline is a duration ({@code ...Millis}) or a number of business
   * days, or neither; {@code filingDeadline} (exclusive, null: none) is checked against the database clock. An account
   * claim has no {@code orderId} and names {@code depositReference}. {@code decisionsFinal}: a claim of the same type
   * on the same order (or deposit reference) decided before refuses this one.
   */
  record NewClaim(long accountId, Long orderId, OrderKind orderKind, String type, String text, List<String> tags,
                  String policyId, int policyVersion, ClaimState state, List<String> missingEvidence,
                  Long responseMillis, Integer responseBusinessDays, Long resolutionMillis, Integer resolutionBusinessDays,
                  OffsetDateTime filingDeadline, String autoRemedy, String depositReference, String chosenRemedy,
                  boolean decisionsFinal) {}

  /** A claim just filed, with its first deadline (epoch ms; null when it has none). */
  record Filed(long id, Long dueMillis) {}

  /** What filing did: the claim, or which guard refused it (the filing window closed, or a final decision exists). */
  record Filing(Optional<Filed> filed, boolean late, boolean decided) {}

  /** A claim's next deadline, in PostgreSQL's epoch milliseconds. */
  record NextDeadline(long claimId, long dueMillis, long nowMillis) {}

  /**
   * What an approval found: whether the order's price was captured or already went back, and the remedy recorded
   * (null when the claim was not decided by this statement).
   */
  record Approval(boolean captured, boolean refunded, String remedy) {}

  /** What an account claim needs to know about the account. */
  record AccountFacts(String status, boolean flagged) {}

  Future<AccountFacts> account(long accountId) {
    return pool.preparedQuery(ClaimSql.ACCOUNT).execute(Tuple.of(accountId)).map(rows -> {
      if (rows.size() == 0) throw DomainException.notFound("account " + accountId + " does not exist");
      Row r = rows.iterator().next();
      return new AccountFacts(r.getString("status"), r.getBoolean("flagged"));
    });
  }

  /** The order as a claim sees it, its owner's only; NOT_FOUND when there is none. */
  Future<ClaimOrder> order(long orderId, long accountId) {
    return pool.preparedQuery(ClaimSql.ORDER).execute(Tuple.of(orderId, accountId)).map(rows -> {
      if (rows.size() == 0) throw DomainException.notFound("order " + orderId + " does not exist");
      Row r = rows.iterator().next();
      return new ClaimOrder(r.getLong("id"), r.getLong("account_id"), OrderKind.valueOf(r.getString("kind")),
          r.getString("service"),
          r.getString("state"), r.getLong("price"), r.getOffsetDateTime("created_at").toInstant(),
          r.getOffsetDateTime("expires_at").toInstant(), r.getOffsetDateTime("cancellable_at").toInstant(),
          Optional.ofNullable(r.getOffsetDateTime("first_sms_at")).map(OffsetDateTime::toInstant),
          r.getBoolean("captured"), r.getBoolean("refunded"), r.getString("account_status"), r.getBoolean("flagged"),
          r.getString("policy_id"), r.getInteger("policy_version"),
          com.otporchestrator.order.Channel.of(r.getString("channel")), r.getOffsetDateTime("db_now").toInstant());
    });
  }

  /**
   * Files a claim with its history's first line; empty when the filing window closed meanwhile (by the database clock).
   * A second open claim on the order is a CONFLICT.
   */
  Future<Filing> file(NewClaim c) {
    Tuple args = Tuple.tuple().addLong(c.accountId()).addValue(c.orderId())
        .addString(c.orderKind().name().toLowerCase(java.util.Locale.ROOT)).addString(c.type())
        .addString(c.text()).addArrayOfString(c.tags().toArray(String[]::new)).addString(c.policyId())
        .addInteger(c.policyVersion()).addString(c.state().name())
        .addArrayOfString(c.missingEvidence().toArray(String[]::new))
        .addValue(c.responseMillis()).addValue(c.responseBusinessDays())
        .addValue(c.resolutionMillis()).addValue(c.resolutionBusinessDays())
        .addValue(c.filingDeadline())
        .addValue(c.autoRemedy())
        .addValue(c.depositReference())
        .addValue(c.chosenRemedy())
        .addBoolean(c.decisionsFinal());
    return pool.preparedQuery(ClaimSql.FILE).execute(args).recover(e -> Future.failedFuture(openClaimConflict(e)))
        .map(rows -> {
          Row row = rows.iterator().next();
          Optional<Filed> filed = row.getLong("id") == null ? Optional.empty()
              : Optional.of(new Filed(row.getLong("id"), row.getLong("due_ms")));
          return new Filing(filed, row.getBoolean("late"), row.getBoolean("decided"));
        });
  }

  /** The claim, to its owner ({@code accountId}) or to an admin (null); NOT_FOUND when there is none. */
  Future<Claim> claim(long id, Long accountId) {
    return pool.preparedQuery(ClaimSql.GET).execute(Tuple.of(id, accountId)).map(rows -> {
      if (rows.size() == 0) throw DomainException.notFound("claim " + id + " does not exist");
      return Claim.of(rows.iterator().next());
    });
  }

  Future<List<Claim>> listOwn(long accountId, Long before, int limit) {
    return pool.preparedQuery(ClaimSql.LIST_OWN).execute(Tuple.of(accountId, before, limit)).map(ClaimRepository::claims);
  }

  Future<List<Claim>> queue(String state, String type, Long accountId, boolean overdue, Long before, int limit) {
    return pool.preparedQuery(ClaimSql.QUEUE).execute(Tuple.of(state, type, accountId, before, overdue, limit))
        .map(ClaimRepository::claims);
  }

  Future<List<Evidence>> evidence(long id) {
    return pool.preparedQuery(ClaimSql.EVIDENCE_LIST).execute(Tuple.of(id)).map(rows -> {
      List<Evidence> files = new ArrayList<>();
      for (Row f : rows) {
        files.add(new Evidence(f.getInteger("n"), f.getString("media_type"), f.getInteger("size_bytes"),
            f.getString("sha256"), f.getOffsetDateTime("uploaded_at")));
      }
      return files;
    });
  }

  /** The history, internal notes included only when {@code internal}. */
  Future<List<Event>> events(long id, boolean internal) {
    return pool.preparedQuery(ClaimSql.EVENTS).execute(Tuple.of(id, internal)).map(rows -> {
      List<Event> events = new ArrayList<>();
      for (Row e : rows) {
        events.add(new Event(e.getOffsetDateTime("at"), e.getString("actor"), e.getString("from_state"),
            e.getString("to_state"), e.getString("note"), Boolean.TRUE.equals(e.getBoolean("internal"))));
      }
      return events;
    });
  }

  /** Adds a file to an open claim of the account that has room for it; false when the guard refused. */
  Future<Boolean> addEvidence(long id, long accountId, List<String> proven, String mediaType, Buffer data, String sha256) {
    Tuple args = Tuple.of(id, accountId, proven.toArray(String[]::new), mediaType, data.length(), sha256, data);
    return pool.preparedQuery(ClaimSql.ADD_EVIDENCE).execute(args).map(rows -> rows.size() == 1);
  }

  /** One file's media type and bytes, to its owner ({@code accountId}) or to an admin (null). */
  Future<Optional<StoredFile>> evidenceFile(long id, int n, Long accountId) {
    return pool.preparedQuery(ClaimSql.EVIDENCE_FILE).execute(Tuple.of(id, n, accountId)).map(rows -> {
      if (rows.size() == 0) return Optional.empty();
      Row r = rows.iterator().next();
      return Optional.of(new StoredFile(r.getString("media_type"), r.getBuffer("data")));
    });
  }

  /**
   * {@link ClaimSql#APPROVE}: empty when the claim is not open (or, by a deadline, not due, or waiting for evidence
   * the policy requires with no {@code waiver}). {@code remedy} null: the customer's choice, else a refund.
   */
  Future<Optional<Approval>> approve(long id, String actor, String remedy, String note, boolean byDeadline, String waiver) {
    return pool.preparedQuery(ClaimSql.APPROVE).execute(Tuple.of(id, actor, remedy, note, byDeadline, waiver)).map(rows -> {
      if (rows.size() == 0) return Optional.empty();
      Row r = rows.iterator().next();
      return Optional.of(new Approval(r.getBoolean("captured"), r.getBoolean("refunded"), r.getString("remedy")));
    });
  }

  /**
   * {@link ClaimSql#ADJUST}: approves an open account claim with a ledger adjustment of {@code amount} micro-USD; false
   * when the claim was not open (or waits for evidence with no {@code waiver}). A debit the balance does not cover is
   * INSUFFICIENT_FUNDS, nothing written.
   */
  Future<Boolean> adjust(long id, String actor, long amount, String reason, String waiver) {
    return pool.preparedQuery(ClaimSql.ADJUST).execute(Tuple.of(id, actor, amount, reason, waiver))
        .recover(e -> Future.failedFuture(e instanceof PgException pg && "23514".equals(pg.getSqlState())
            ? new DomainException(Kind.INSUFFICIENT_FUNDS, "the balance does not cover a debit of " + Money.format(-amount)
                + " USD; nothing was written")
            : e))
        .map(rows -> rows.size() == 1);
  }

  /** The customer's new choice of remedy on an open claim that carries one; false when the guard refused. */
  Future<Boolean> chooseRemedy(long id, long accountId, String remedy) {
    return pool.preparedQuery(ClaimSql.CHOOSE_REMEDY).execute(Tuple.of(id, accountId, remedy)).map(rows -> rows.size() == 1);
  }

  /** Rejects an open claim; false when it was not open. */
  Future<Boolean> reject(long id, String actor, String reason) {
    return pool.preparedQuery(ClaimSql.REJECT).execute(Tuple.of(id, actor, reason)).map(rows -> rows.size() > 0);
  }

  /** {@link ClaimSql#MOVE}: false when the claim was in none of {@code from} (or at another escalation level). */
  Future<Boolean> move(long id, List<ClaimState> from, ClaimState to, Integer level, String actor, String note,
                       boolean internal) {
    Tuple args = Tuple.of(id, from.stream().map(Enum::name).toArray(String[]::new), to == null ? null : to.name(), level,
        actor, note, internal);
    return pool.preparedQuery(ClaimSql.MOVE).execute(args).map(rows -> rows.size() == 1);
  }

  /** Of {@code ids}, the open claims whose automatic remedy is due. */
  Future<List<Long>> dueForAutoRemedy(List<Long> ids) {
    return pool.preparedQuery(ClaimSql.DUE_AUTO_REMEDY).execute(Tuple.of((Object) array(ids))).map(ClaimRepository::ids);
  }

  /** Records, once, the first-response and resolution deadlines of {@code ids} that passed. */
  Future<Void> recordMissedDeadlines(List<Long> ids) {
    return pool.preparedQuery(ClaimSql.RESPONSE_MISSED).execute(Tuple.of((Object) array(ids)))
        .compose(v -> pool.preparedQuery(ClaimSql.RESOLUTION_MISSED).execute(Tuple.of((Object) array(ids)))).mapEmpty();
  }

  /** The next deadline of each of {@code ids} that still has one. */
  Future<List<NextDeadline>> nextDeadlines(List<Long> ids) {
    return pool.preparedQuery(ClaimSql.NEXT_DEADLINES).execute(Tuple.of((Object) array(ids))).map(rows -> {
      List<NextDeadline> next = new ArrayList<>();
      rows.forEach(r -> next.add(new NextDeadline(r.getLong("id"), r.getLong("due_ms"), r.getLong("now_ms"))));
      return next;
    });
  }

  /** Claims whose deadline passed more than {@code graceMs} ago (the timer sweep). */
  public Future<List<Long>> overdue(long graceMs, int limit) {
    return pool.preparedQuery(ClaimSql.OVERDUE).execute(Tuple.of(graceMs, limit)).map(ClaimRepository::ids);
  }

  /** Every claim with a deadline, as its timer, in id order (the re-seed of a lost Redis index). */
  public Future<List<Timer>> live(long afterId, int limit) {
    return pool.preparedQuery(ClaimSql.LIVE).execute(Tuple.of(afterId, limit)).map(rows -> {
      List<Timer> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Timer(TimerKind.CLAIM_DEADLINE, r.getLong("id"), r.getLong("due_ms"))));
      return out;
    });
  }

  private static List<Claim> claims(RowSet<Row> rows) {
    List<Claim> claims = new ArrayList<>(rows.size());
    rows.forEach(r -> claims.add(Claim.of(r)));
    return claims;
  }

  private static List<Long> ids(RowSet<Row> rows) {
    List<Long> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.getLong("id")));
    return out;
  }

  private static Long[] array(List<Long> ids) {
    return ids.toArray(Long[]::new);
  }

  private static Throwable openClaimConflict(Throwable e) {
    if (e instanceof PgException pg && "23505".equals(pg.getSqlState())
        && String.valueOf(pg.getConstraint()).equals("claims_one_open_per_order")) {
      return new DomainException(Kind.CONFLICT, "this order already has an open claim; add to it or wait for its decision");
    }
    if (e instanceof PgException pg && "23505".equals(pg.getSqlState())
        && String.valueOf(pg.getConstraint()).equals("claims_one_open_per_deposit")) {
      return new DomainException(Kind.CONFLICT, "this deposit reference already has an open claim; add to it or wait for"
          + " its decision");
    }
    return e;
  }
}
