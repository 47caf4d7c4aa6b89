package com.otporchestrator.claim;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.policy.Policies;
import com.otporchestrator.policy.RefundPolicy;
import com.otporchestrator.policy.RefundPolicy.ClaimType;
import com.otporchestrator.policy.RefundPolicy.Deadline;
import com.otporchestrator.policy.RefundPolicy.OrderKind;
import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.timer.TimerService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims: filing (judged by the order's policy version), evidence, the admin workflow and the decisions that move
 * money. PostgreSQL holds every claim and decides every transition; Redis only schedules the deadlines.
 */
public final class ClaimService {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimService.class);
  public static final int MAX_FILES = 5;
  public static final int MAX_FILE_BYTES = 10 * 1024 * 1024;
  private static final long RETRY_PENDING_MS = 60_000;

  private final Pool pool;
  private final Policies policies;
  private final TimerService timers;

  public ClaimService(Pool pool, Policies policies, TimerService timers) {
    this.pool = pool;
    this.policies = policies;
    this.timers = timers;
  }

  /** What a customer asks for. */
  public record Filing(long orderId, String type, String text, Set<String> tags) {}

  /** An evidence file to send back. */
  public record EvidenceFile(EvidenceMedia media, Buffer data) {}

  // ---------------------------------------------------------------- customer

  public Future<JsonObject> file(long accountId, Filing filing) {
    return order(filing.orderId(), accountId).compose(order -> policyOf(order).compose(policy -> {
      Set<String> tags = Eligibility.tags(order, filing.tags());
      Eligibility.Verdict verdict = Eligibility.judge(policy, order, filing.type(), tags, order.dbNow());
      ClaimState initial = verdict.missingEvidence().isEmpty() ? ClaimState.SUBMITTED : ClaimState.NEEDS_EVIDENCE;
      Optional<Deadline> response = policy.review().responseWithin();
      Optional<Deadline> resolution = verdict.type().resolutionWithin().map(d -> new Deadline(Optional.of(d),
          Optional.empty(), Optional.empty())).or(() -> policy.review().resolutionWithin());
      Tuple args = Tuple.tuple().addLong(accountId).addLong(order.id())
          .addString(order.kind().name().toLowerCase(java.util.Locale.ROOT)).addString(filing.type())
          .addString(filing.text()).addArrayOfString(tags.toArray(String[]::new)).addString(policy.id())
          .addInteger(policy.version()).addString(initial.name())
          .addArrayOfString(verdict.missingEvidence().toArray(String[]::new))
          .addValue(millis(response)).addValue(businessDays(response))
          .addValue(millis(resolution)).addValue(businessDays(resolution))
          .addValue(verdict.filingDeadline().map(i -> i.atOffset(java.time.ZoneOffset.UTC)).orElse(null))
          .addValue(verdict.autoRemedy().orElse(null));
      return pool.preparedQuery(ClaimSql.FILE).execute(args).recover(e -> Future.failedFuture(openClaimConflict(e)))
          .compose(rows -> {
            if (rows.size() == 0) {
              // the database clock passed the filing deadline between reading the order and writing the claim
              return Future.failedFuture(new DomainException(Kind.POLICY_REFUSED, "the filing window closed at "
                  + verdict.filingDeadline().orElseThrow(), new JsonObject().put("rule", "claim.filing_window")
                  .put("policyId", policy.id()).put("policyVersion", policy.version()).put("claimType", filing.type())));
            }
            Row row = rows.iterator().next();
            long id = row.getLong("id");
            schedule(id, row.getLong("due_ms"));
            return view(id, accountId, false);
          });
    }));
  }

  public Future<JsonObject> get(long id, Long accountId) {
    return view(id, accountId, accountId == null);
  }

  public Future<JsonObject> listOwn(long accountId, Long before, int limit) {
    return pool.preparedQuery(ClaimSql.LIST_OWN).execute(Tuple.of(accountId, before, limit))
        .compose(rows -> page(rows, limit, false));
  }

  public Future<JsonObject> queue(String state, String type, Long accountId, boolean overdue, Long before, int limit) {
    return pool.preparedQuery(ClaimSql.QUEUE).execute(Tuple.of(state, type, accountId, before, overdue, limit))
        .compose(rows -> page(rows, limit, true));
  }

  /** Stores one file (type from its bytes); a declared type other than octet-stream must agree with them. */
  public Future<JsonObject> addEvidence(long id, long accountId, Buffer data, String declaredType) {
    if (data == null || data.length() == 0) return Future.failedFuture(DomainException.invalid("the evidence file is empty"));
    if (data.length() > MAX_FILE_BYTES) {
      return Future.failedFuture(new DomainException(Kind.PAYLOAD_TOO_LARGE, "an evidence file is at most "
          + MAX_FILE_BYTES + " bytes"));
    }
    Optional<EvidenceMedia> media = EvidenceMedia.sniff(data);
    if (media.isEmpty()) {
      return Future.failedFuture(new DomainException(Kind.UNSUPPORTED_MEDIA_TYPE, "evidence must be a PNG, JPEG, WebP"
          + " or GIF image, an MP4 or WebM video, or a PDF; these bytes are none of them"));
    }
    if (declaredType != null && !declaredType.equals("application/octet-stream") && !declaredType.equals(media.get().type())) {
      return Future.failedFuture(new DomainException(Kind.UNSUPPORTED_MEDIA_TYPE, "the body was declared "
          + declaredType + " but its bytes are " + media.get().type()));
    }
    return claim(id, accountId).compose(claim -> {
      List<String> proven = claim.missingEvidence().stream()
          .filter(kind -> Eligibility.proves(kind, media.get().mediaClass())).toList();
      Tuple args = Tuple.of(id, accountId, proven.toArray(String[]::new), media.get().type(), data.length(),
          sha256(data), data);
      return pool.preparedQuery(ClaimSql.ADD_EVIDENCE).execute(args).compose(rows -> {
        if (rows.size() == 1) return view(id, accountId, false);
        return claim(id, accountId).compose(now -> Future.failedFuture(!now.state().open()
            ? new DomainException(Kind.INVALID_STATE, "the claim is " + now.state().name().toLowerCase()
                + "; evidence is taken while it is open", new JsonObject().put("state", now.state().name()))
            : new DomainException(Kind.CONFLICT, "a claim holds at most " + MAX_FILES + " evidence files")));
      });
    });
  }

  /** One file, to its owner ({@code accountId}) or to an admin (null). */
  public Future<EvidenceFile> evidence(long id, int n, Long accountId) {
    return pool.preparedQuery(ClaimSql.EVIDENCE_FILE).execute(Tuple.of(id, n, accountId)).map(rows -> {
      if (rows.size() == 0) throw DomainException.notFound("claim " + id + " has no evidence file " + n);
      Row r = rows.iterator().next();
      return new EvidenceFile(EvidenceMedia.ofType(r.getString("media_type")).orElseThrow(), r.getBuffer("data"));
    });
  }

  // ---------------------------------------------------------------- admin

  /** Approves with a refund of the price (or a replacement, delivered as the same credit: README "Claims"). */
  public Future<JsonObject> approve(long id, String actor, String remedy, String note) {
    return claim(id, null).compose(claim -> policyOf(claim).compose(policy -> {
      checkDecidable(claim, policy);
      checkRemedy(claim, policy, remedy);
      return pool.preparedQuery(ClaimSql.APPROVE).execute(Tuple.of(id, actor, remedy, note, false)).compose(rows -> {
        if (rows.size() == 0) return alreadyDecided(id);
        Row r = rows.iterator().next();
        if (r.getString("remedy") != null) {
          timers.cancel(TimerKind.CLAIM_DEADLINE, id).recover(e -> Future.succeededFuture());
          return view(id, null, true);
        }
        if (!r.getBoolean("captured") && !r.getBoolean("refunded")) {
          return Future.failedFuture(new DomainException(Kind.INVALID_STATE, "order " + claim.orderId()
              + " is still open: its price is held, neither captured nor refunded; decide once the order has closed",
              new JsonObject().put("orderId", claim.orderId())));
        }
        return alreadyDecided(id);
      });
    }));
  }

  public Future<JsonObject> reject(long id, String actor, String reason) {
    return claim(id, null).compose(claim -> policyOf(claim).compose(policy -> {
      checkDecidable(claim, policy);
      return pool.preparedQuery(ClaimSql.REJECT).execute(Tuple.of(id, actor, reason)).compose(rows -> {
        if (rows.size() == 0) return alreadyDecided(id);
        timers.cancel(TimerKind.CLAIM_DEADLINE, id).recover(e -> Future.succeededFuture());
        return view(id, null, true);
      });
    }));
  }

  public Future<JsonObject> requestEvidence(long id, String actor, String note) {
    return move(id, List.of(ClaimState.SUBMITTED, ClaimState.IN_REVIEW, ClaimState.ESCALATED, ClaimState.NEEDS_EVIDENCE),
        ClaimState.NEEDS_EVIDENCE, null, actor, note, false);
  }

  public Future<JsonObject> respond(long id, String actor, String note) {
    return move(id, List.copyOf(ClaimState.OPEN), null, null, actor, note, false);
  }

  /**
   * Moves the claim to the next level of the policy's review.escalation list. A REJECTED claim may be escalated (an
   * appeal) when the policy's decisions are not final; an APPROVED one never (the money moved).
   */
  public Future<JsonObject> escalate(long id, String actor, String note) {
    return claim(id, null).compose(claim -> policyOf(claim).compose(policy -> {
      checkEscalation(claim, policy);
      List<ClaimState> from = new ArrayList<>(ClaimState.OPEN);
      from.add(ClaimState.REJECTED);
      return move(id, from, ClaimState.ESCALATED, claim.escalationLevel(), actor, note, true);
    }));
  }

  /**
   * The customer disagrees with a rejection ("reply ... and we will escalate to a senior agent"): the claim goes to the
   * next escalation level, unless the policy's decisions are final or no level is left.
   */
  public Future<JsonObject> appeal(long id, long accountId, String text) {
    return claim(id, accountId).compose(claim -> policyOf(claim).compose(policy -> {
      if (claim.state() != ClaimState.REJECTED) {
        throw new DomainException(Kind.INVALID_STATE, "only a rejected claim can be appealed; this one is "
            + claim.state().name().toLowerCase(), new JsonObject().put("state", claim.state().name()));
      }
      checkEscalation(claim, policy);
      return move(id, List.of(ClaimState.REJECTED), ClaimState.ESCALATED, claim.escalationLevel(),
          "customer:" + accountId, text, false).compose(v -> view(id, accountId, false));
    }));
  }

  private static void checkEscalation(Claim claim, RefundPolicy policy) {
    List<String> levels = policy.review().escalation();
    if (claim.state() == ClaimState.APPROVED) {
      throw new DomainException(Kind.INVALID_STATE, "the claim was approved; an approval is never re-opened",
          new JsonObject().put("state", claim.state().name()));
    }
    if (claim.state() == ClaimState.REJECTED && policy.review().decisionsFinal()) throw finalDecision(claim, policy);
    if (claim.escalationLevel() + 1 >= levels.size()) {
      throw new DomainException(Kind.POLICY_REFUSED, "policy " + policy.id() + " version " + policy.version()
          + (levels.isEmpty() ? " has no escalation levels" : " has no level above '" + levels.get(claim.escalationLevel())
          + "'"), new JsonObject().put("rule", "review.escalation").put("policyId", policy.id())
          .put("policyVersion", policy.version()).put("escalation", new JsonArray(levels)));
    }
  }

  private Future<JsonObject> move(long id, List<ClaimState> from, ClaimState to, Integer level, String actor, String note,
      boolean internal) {
    Tuple args = Tuple.of(id, from.stream().map(Enum::name).toArray(String[]::new), to == null ? null : to.name(), level,
        actor, note, internal);
    return claim(id, null).compose(before -> pool.preparedQuery(ClaimSql.MOVE).execute(args).compose(rows -> {
      if (rows.size() == 1) return view(id, null, true).onSuccess(v -> resync(id));
      return claim(id, null).compose(now -> Future.failedFuture(new DomainException(Kind.INVALID_STATE,
          "the claim is " + now.state().name().toLowerCase() + (now.state().open() ? " (it changed meanwhile; retry)" : ""),
          new JsonObject().put("state", now.state().name()))));
    }));
  }

  private static void checkDecidable(Claim claim, RefundPolicy policy) {
    if (!claim.state().open()) {
      if (policy.review().decisionsFinal()) throw finalDecision(claim, policy);
      throw new DomainException(Kind.INVALID_STATE, "the claim is already " + claim.state().name().toLowerCase()
          + (claim.state() == ClaimState.REJECTED ? "; escalate it to re-open it" : ""),
          new JsonObject().put("state", claim.state().name()));
    }
  }

  private static DomainException finalDecision(Claim claim, RefundPolicy policy) {
    return new DomainException(Kind.INVALID_STATE, "the claim is already " + claim.state().name().toLowerCase()
        + " and decisions are final under policy " + policy.id() + " version " + policy.version(),
        new JsonObject().put("state", claim.state().name()).put("rule", "review.decisionsFinal"));
  }

  /** A claim type listing remedies offers only those; one listing none is approved with a refund. */
  private static void checkRemedy(Claim claim, RefundPolicy policy, String remedy) {
    // a claim the platform opened itself (rental_disconnected) has no type in the policy: a refund is its remedy
    List<String> remedies = policy.claims().stream().filter(c -> c.id().equals(claim.type())).findFirst()
        .map(ClaimType::remedies).orElse(List.of());
    List<String> offered = remedies.isEmpty() ? List.of("full_refund") : remedies;
    String needed = remedy.equals("refund") ? "full_refund" : remedy;
    if (!offered.contains(needed)) {
      throw new DomainException(Kind.POLICY_REFUSED, "claim type '" + claim.type() + "' of policy " + policy.id()
          + " version " + policy.version() + " offers " + offered + ", not " + needed,
          new JsonObject().put("rule", "claims." + claim.type() + ".remedies").put("policyId", policy.id())
              .put("policyVersion", policy.version()).put("remedies", new JsonArray(offered)));
    }
  }

  private Future<JsonObject> alreadyDecided(long id) {
    return claim(id, null).compose(now -> Future.failedFuture(new DomainException(Kind.INVALID_STATE,
        "the claim is already " + now.state().name().toLowerCase(), new JsonObject().put("state", now.state().name()))));
  }

  // ---------------------------------------------------------------- deadlines

  /**
   * Fires claim deadlines: the policy's automatic remedy for due claims (the approve statement admits one winner, so
   * two nodes firing the same deadline refund once), then the missed deadlines are recorded, then each claim's next
   * deadline is scheduled. A claim whose order is still open keeps its deadline pending and is looked at again later.
   */
  public Future<Void> fireDeadlines(List<Long> ids) {
    Long[] array = ids.toArray(Long[]::new);
    return pool.preparedQuery(ClaimSql.DUE_AUTO_REMEDY).execute(Tuple.of((Object) array)).compose(rows -> {
      Future<Void> chain = Future.succeededFuture();
      for (Row r : rows) {
        long id = r.getLong("id");
        chain = chain.compose(v -> pool.preparedQuery(ClaimSql.APPROVE).execute(Tuple.of(id, "system", "refund",
            "the resolution deadline passed undecided: the policy's remedy (a full refund) applies", true)).mapEmpty());
      }
      return chain;
    }).compose(v -> pool.preparedQuery(ClaimSql.RESPONSE_MISSED).execute(Tuple.of((Object) array)))
        .compose(v -> pool.preparedQuery(ClaimSql.RESOLUTION_MISSED).execute(Tuple.of((Object) array)))
        .compose(v -> pool.preparedQuery(ClaimSql.NEXT_DEADLINES).execute(Tuple.of((Object) array)))
        .compose(rows -> {
          List<Timer> next = new ArrayList<>();
          for (Row r : rows) {
            long due = r.getLong("due_ms");
            long now = r.getLong("now_ms");
            // a deadline still pending after this pass (its order has not closed yet): look again in a minute
            next.add(new Timer(TimerKind.CLAIM_DEADLINE, r.getLong("id"), due <= now ? now + RETRY_PENDING_MS : due));
          }
          return timers.scheduleAll(next);
        });
  }

  public Future<List<Long>> overdue(long graceMs, int limit) {
    return pool.preparedQuery(ClaimSql.OVERDUE).execute(Tuple.of(graceMs, limit)).map(rows -> {
      List<Long> out = new ArrayList<>();
      rows.forEach(r -> out.add(r.getLong("id")));
      return out;
    });
  }

  public Future<List<Timer>> live(long afterId, int limit) {
    return pool.preparedQuery(ClaimSql.LIVE).execute(Tuple.of(afterId, limit)).map(rows -> {
      List<Timer> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Timer(TimerKind.CLAIM_DEADLINE, r.getLong("id"), r.getLong("due_ms"))));
      return out;
    });
  }

  private void schedule(long id, Long dueMs) {
    if (dueMs == null) return;
    timers.schedule(new Timer(TimerKind.CLAIM_DEADLINE, id, dueMs)).onFailure(e ->
        LOG.warn("could not schedule the deadline of claim {}; the sweep will catch it: {}", id, e.toString()));
  }

  private void resync(long id) {
    pool.preparedQuery(ClaimSql.NEXT_DEADLINES).execute(Tuple.of((Object) new Long[] {id})).onSuccess(rows -> {
      if (rows.size() == 0) {
        timers.cancel(TimerKind.CLAIM_DEADLINE, id);
      } else {
        schedule(id, rows.iterator().next().getLong("due_ms"));
      }
    });
  }

  // ---------------------------------------------------------------- reading

  private Future<ClaimOrder> order(long orderId, long accountId) {
    return pool.preparedQuery(ClaimSql.ORDER).execute(Tuple.of(orderId, accountId)).map(rows -> {
      if (rows.size() == 0) throw DomainException.notFound("order " + orderId + " does not exist");
      Row r = rows.iterator().next();
      return new ClaimOrder(r.getLong("id"), r.getLong("account_id"), OrderKind.valueOf(r.getString("kind")),
          r.getString("service"),
          r.getString("state"), r.getLong("price"), r.getOffsetDateTime("created_at").toInstant(),
          r.getOffsetDateTime("expires_at").toInstant(), r.getOffsetDateTime("cancellable_at").toInstant(),
          Optional.ofNullable(r.getOffsetDateTime("first_sms_at")).map(java.time.OffsetDateTime::toInstant),
          r.getBoolean("captured"), r.getBoolean("refunded"), r.getString("account_status"), r.getBoolean("flagged"),
          r.getString("policy_id"), r.getInteger("policy_version"), r.getOffsetDateTime("db_now").toInstant());
    });
  }

  private Future<RefundPolicy> policyOf(ClaimOrder order) {
    return order.policyId() == null ? policies.inForce().map(Policies.InForce::policy)
        : policies.version(order.policyId(), order.policyVersion());
  }

  private Future<RefundPolicy> policyOf(Claim claim) {
    return policies.version(claim.policyId(), claim.policyVersion());
  }

  private Future<Claim> claim(long id, Long accountId) {
    return pool.preparedQuery(ClaimSql.GET).execute(Tuple.of(id, accountId)).map(rows -> {
      if (rows.size() == 0) throw DomainException.notFound("claim " + id + " does not exist");
      return Claim.of(rows.iterator().next());
    });
  }

  /** The claim with its evidence list and history; customers see no internal note and no admin name. */
  private Future<JsonObject> view(long id, Long accountId, boolean admin) {
    return claim(id, accountId).compose(claim -> policyOf(claim).compose(policy -> {
      List<String> levels = policy.review().escalation();
      String role = claim.escalationLevel() < levels.size() ? levels.get(claim.escalationLevel()) : null;
      JsonObject json = claim.toJson(admin, role);
      return pool.preparedQuery(ClaimSql.EVIDENCE_LIST).execute(Tuple.of(id)).compose(files -> {
        JsonArray evidence = new JsonArray();
        String base = (admin ? "/admin/v1/claims/" : "/v1/claims/") + id + "/evidence/";
        for (Row f : files) {
          evidence.add(new JsonObject().put("n", f.getInteger("n")).put("mediaType", f.getString("media_type"))
              .put("size", f.getInteger("size_bytes")).put("sha256", f.getString("sha256"))
              .put("uploadedAt", Claim.text(f.getOffsetDateTime("uploaded_at"))).put("href", base + f.getInteger("n")));
        }
        json.put("evidence", evidence);
        return pool.preparedQuery(ClaimSql.EVENTS).execute(Tuple.of(id, admin));
      }).map(events -> {
        JsonArray history = new JsonArray();
        for (Row e : events) {
          JsonObject item = new JsonObject().put("at", Claim.text(e.getOffsetDateTime("at")))
              .put("by", Claim.shownActor(e.getString("actor"), admin)).put("from", e.getString("from_state"))
              .put("to", e.getString("to_state")).put("note", e.getString("note"));
          if (admin) item.put("internal", e.getBoolean("internal"));
          history.add(item);
        }
        return json.put("history", history);
      });
    }));
  }

  private Future<JsonObject> page(RowSet<Row> rows, int limit, boolean admin) {
    JsonArray items = new JsonArray();
    Long last = null;
    for (Row r : rows) {
      Claim c = Claim.of(r);
      items.add(c.toJson(admin, null));
      last = c.id();
    }
    JsonObject out = new JsonObject().put("items", items);
    if (rows.size() == limit && last != null) out.put("nextCursor", String.valueOf(last));
    return Future.succeededFuture(out);
  }

  private static Throwable openClaimConflict(Throwable e) {
    if (e instanceof PgException pg && "23505".equals(pg.getSqlState())
        && String.valueOf(pg.getConstraint()).equals("claims_one_open_per_order")) {
      return new DomainException(Kind.CONFLICT, "this order already has an open claim; add to it or wait for its decision");
    }
    return e;
  }

  private static Long millis(Optional<Deadline> d) {
    return d.flatMap(Deadline::duration).map(java.time.Duration::toMillis).orElse(null);
  }

  /** "3-5 business days": the platform promises the later end. */
  private static Integer businessDays(Optional<Deadline> d) {
    if (d.flatMap(Deadline::duration).isPresent()) return null;
    return d.flatMap(x -> x.businessDaysMax().or(x::businessDaysMin)).orElse(null);
  }

  private static String sha256(Buffer data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data.getBytes()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
