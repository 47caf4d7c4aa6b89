package com.otporchestrator.claim;

import com.otporchestrator.claim.ClaimRepository.NewClaim;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims' rules: filing (judged by the order's policy version), evidence, the admin workflow and the decisions that
 * move money, and the deadlines. PostgreSQL holds every claim and decides every transition ({@link ClaimRepository});
 * Redis only schedules the deadlines. Answers are records; their JSON is {@link ClaimViews}'.
 */
public final class ClaimService {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimService.class);
  public static final int MAX_FILES = 5;
  public static final int MAX_FILE_BYTES = 10 * 1024 * 1024;
  private static final long RETRY_PENDING_MS = 60_000;

  private final ClaimRepository claims;
  private final Policies policies;
  private final TimerService timers;

  public ClaimService(ClaimRepository claims, Policies policies, TimerService timers) {
    this.claims = claims;
    this.policies = policies;
    this.timers = timers;
  }

  /**
   * What a customer asks for: a claim on an order ({@code orderId}), or on the account itself naming a deposit
   * ({@code depositReference}, orderId null); {@code remedy} the customer's choice where the policy gives one (null: the
   * first the claim type lists).
   */
  public record Filing(Long orderId, String depositReference, String type, String text, Set<String> tags, String remedy) {
    public Filing(long orderId, String type, String text, Set<String> tags) {
      this(orderId, null, type, text, tags, null);
    }
  }

  /** An evidence file to send back. */
  public record EvidenceFile(EvidenceMedia media, Buffer data) {}

  /**
   * A claim with its evidence and history, as one audience sees it: an admin ({@code forAdmin}) sees internal notes
   * and who acted; a customer does not.
   *
   * @param escalationRole the role of the claim's escalation level, when the policy names one
   */
  public record Detail(Claim claim, String escalationRole, List<ClaimRepository.Evidence> evidence,
                       List<ClaimRepository.Event> history, boolean forAdmin) {}

  // ---------------------------------------------------------------- customer

  public Future<Detail> file(long accountId, Filing filing) {
    if (filing.orderId() == null) return fileOnAccount(accountId, filing);
    return claims.order(filing.orderId(), accountId).compose(order -> policyOf(order).compose(policy -> {
      Set<String> tags = Eligibility.tags(order, filing.tags());
      Eligibility.Verdict verdict = Eligibility.judge(policy, order, filing.type(), tags, order.dbNow());
      return submit(accountId, order.id(), order.kind(), null, filing, policy, tags, verdict);
    }));
  }

  /**
   * An account claim (smssb: "In case of overpayment or technical errors during deposit processing, contact our
   * support team for manual review and resolution"): no order, a deposit reference, judged by the policy in force.
   */
  private Future<Detail> fileOnAccount(long accountId, Filing filing) {
    return claims.account(accountId).compose(account -> policies.inForce().map(Policies.InForce::policy).compose(policy -> {
      Set<String> tags = Eligibility.accountTags(account.status(), account.flagged(), filing.tags());
      Eligibility.Verdict verdict = Eligibility.judgeAccount(policy, filing.type(), tags);
      return submit(accountId, null, OrderKind.ACCOUNT, filing.depositReference(), filing, policy, tags, verdict);
    }));
  }

  private Future<Detail> submit(long accountId, Long orderId, OrderKind kind, String depositReference, Filing filing,
                                RefundPolicy policy, Set<String> tags, Eligibility.Verdict verdict) {
    String chosen = Eligibility.chosenRemedy(policy, verdict.type(), filing.remedy()).orElse(null);
    ClaimState initial = verdict.missingEvidence().isEmpty() ? ClaimState.SUBMITTED : ClaimState.NEEDS_EVIDENCE;
    Optional<Deadline> response = policy.review().responseWithin();
    Optional<Deadline> resolution = verdict.type().resolutionWithin().map(d -> new Deadline(Optional.of(d),
        Optional.empty(), Optional.empty())).or(() -> policy.review().resolutionWithin());
    NewClaim claim = new NewClaim(accountId, orderId, kind, filing.type(), filing.text(), List.copyOf(tags),
        policy.id(), policy.version(), initial, verdict.missingEvidence(), millis(response), businessDays(response),
        millis(resolution), businessDays(resolution),
        verdict.filingDeadline().map(i -> i.atOffset(ZoneOffset.UTC)).orElse(null), verdict.autoRemedy().orElse(null),
        depositReference, chosen, policy.review().decisionsFinal());
    JsonObject rule = new JsonObject().put("policyId", policy.id()).put("policyVersion", policy.version())
        .put("claimType", filing.type());
    return claims.file(claim).compose(filing1 -> {
      if (filing1.decided()) {
        // "All dispute decisions made by our support team are final."
        return Future.failedFuture(new DomainException(Kind.POLICY_REFUSED, "a claim of type '" + filing.type() + "' on this "
            + (orderId == null ? "deposit reference" : "order") + " was decided, and decisions are final under policy "
            + policy.id() + " version " + policy.version(), rule.put("rule", "review.decisionsFinal")));
      }
      if (filing1.filed().isEmpty()) {
        // the database clock passed the filing deadline between reading the order and writing the claim
        return Future.failedFuture(new DomainException(Kind.POLICY_REFUSED, "the filing window closed at "
            + verdict.filingDeadline().orElseThrow(), rule.put("rule", "claim.filing_window")));
      }
      ClaimRepository.Filed filed = filing1.filed().get();
      schedule(filed.id(), filed.dueMillis());
      return detail(filed.id(), accountId);
    });
  }

  /**
   * The customer changes the remedy they chose ("at the Customer's discretion"), while the claim is undecided; the
   * automatic remedy at the deadline applies the last choice.
   */
  public Future<Detail> chooseRemedy(long id, long accountId, String remedy) {
    return claims.claim(id, accountId).compose(claim -> policyOf(claim).compose(policy -> {
      ClaimType type = typeOf(claim, policy).orElse(null);
      if (type == null || type.remedyChoice() != RefundPolicy.RemedyChoice.CUSTOMER) {
        throw Eligibility.refused(policy, claim.type(), "claims." + claim.type() + ".remedyChoice", "claim type '"
            + claim.type() + "' gives the customer no choice of remedy; support decides", null);
      }
      Eligibility.chosenRemedy(policy, type, remedy);
      if (!claim.state().open()) throw decidedAlready(claim);
      return claims.chooseRemedy(id, accountId, remedy).compose(changed -> changed ? detail(id, accountId)
          : claims.claim(id, accountId).compose(now -> Future.failedFuture(decidedAlready(now))));
    }));
  }

  private static DomainException decidedAlready(Claim claim) {
    return new DomainException(Kind.INVALID_STATE, "the claim is " + claim.state().name().toLowerCase()
        + "; the remedy can be changed until the decision", new JsonObject().put("state", claim.state().name()));
  }

  /** The claim, to its owner ({@code accountId}) or to an admin (null). */
  public Future<Detail> get(long id, Long accountId) {
    return detail(id, accountId);
  }

  public Future<List<Claim>> listOwn(long accountId, Long before, int limit) {
    return claims.listOwn(accountId, before, limit);
  }

  public Future<List<Claim>> queue(String state, String type, Long accountId, boolean overdue, Long before, int limit) {
    return claims.queue(state, type, accountId, overdue, before, limit);
  }

  /** Stores one file (type from its bytes); a declared type other than octet-stream must agree with them. */
  public Future<Detail> addEvidence(long id, long accountId, Buffer data, String declaredType) {
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
    return claims.claim(id, accountId).compose(claim -> {
      List<String> proven = claim.missingEvidence().stream()
          .filter(kind -> Eligibility.proves(kind, media.get().mediaClass())).toList();
      return claims.addEvidence(id, accountId, proven, media.get().type(), data, sha256(data)).compose(added -> {
        if (added) return detail(id, accountId);
        return claims.claim(id, accountId).compose(now -> Future.failedFuture(!now.state().open()
            ? new DomainException(Kind.INVALID_STATE, "the claim is " + now.state().name().toLowerCase()
                + "; evidence is taken while it is open", new JsonObject().put("state", now.state().name()))
            : new DomainException(Kind.CONFLICT, "a claim holds at most " + MAX_FILES + " evidence files")));
      });
    });
  }

  /** One file, to its owner ({@code accountId}) or to an admin (null). */
  public Future<EvidenceFile> evidence(long id, int n, Long accountId) {
    return claims.evidenceFile(id, n, accountId).map(found -> {
      ClaimRepository.StoredFile file = found.orElseThrow(
          () -> DomainException.notFound("claim " + id + " has no evidence file " + n));
      return new EvidenceFile(EvidenceMedia.ofType(file.mediaType()).orElseThrow(), file.data());
    });
  }

  // ---------------------------------------------------------------- admin

  /**
   * Approves with a refund of the price (or a replacement, delivered as the same credit: docs/claims.md). {@code remedy}
   * null: the customer's choice, where the claim carries one. A claim still waiting for evidence the policy requires
   * is approved only with {@code evidenceOverride}, the admin's reason, recorded in its history.
   */
  public Future<Detail> approve(long id, String actor, String remedy, String note, String evidenceOverride) {
    return claims.claim(id, null).compose(claim -> policyOf(claim).compose(policy -> {
      checkDecidable(claim, policy);
      if (claim.onAccount()) {
        throw Eligibility.refused(policy, claim.type(), "claims." + claim.type() + ".remedies", "an account claim is"
            + " resolved by a ledger adjustment: approve it with remedy adjustment, an amount and the reason", null);
      }
      String effective = remedy != null ? remedy : claim.chosenRemedy();
      if (effective == null) throw DomainException.invalid("'remedy' is required (refund or replacement)");
      checkEvidence(claim, policy, evidenceOverride);
      if (claim.chosenRemedy() != null && !effective.equals(claim.chosenRemedy())) {
        throw Eligibility.refused(policy, claim.type(), "claims." + claim.type() + ".remedyChoice", "the remedy is the"
            + " customer's choice under policy " + policy.id() + " version " + policy.version() + ", and they chose "
            + claim.chosenRemedy(), new JsonObject().put("chosenRemedy", claim.chosenRemedy()));
      }
      checkRemedy(claim, policy, effective);
      return claims.approve(id, actor, effective, note, false, evidenceOverride).compose(approval -> {
        if (approval.isEmpty()) return alreadyDecided(id);
        ClaimRepository.Approval a = approval.get();
        if (a.remedy() != null) {
          timers.cancel(TimerKind.CLAIM_DEADLINE, id).recover(e -> Future.succeededFuture());
          return detail(id, null);
        }
        if (!a.captured() && !a.refunded()) {
          return Future.failedFuture(new DomainException(Kind.INVALID_STATE, "order " + claim.orderId()
              + " is still open: its price is held, neither captured nor refunded; decide once the order has closed",
              new JsonObject().put("orderId", claim.orderId())));
        }
        return alreadyDecided(id);
      });
    }));
  }

  /**
   * Resolves an account claim (a deposit or billing problem) with a ledger adjustment of {@code amount} micro-USD (a
   * credit, or a debit when negative) and its reason, in one statement with the decision.
   */
  public Future<Detail> adjust(long id, String actor, long amount, String reason, String evidenceOverride) {
    return claims.claim(id, null).compose(claim -> policyOf(claim).compose(policy -> {
      checkDecidable(claim, policy);
      if (!claim.onAccount()) {
        throw Eligibility.refused(policy, claim.type(), "claims." + claim.type() + ".remedies", "an adjustment resolves"
            + " account claims; a claim on an order is approved with a refund or a replacement", null);
      }
      checkEvidence(claim, policy, evidenceOverride);
      return claims.adjust(id, actor, amount, reason, evidenceOverride).compose(done -> {
        if (!done) return alreadyDecided(id);
        timers.cancel(TimerKind.CLAIM_DEADLINE, id).recover(e -> Future.succeededFuture());
        return detail(id, null);
      });
    }));
  }

  /** "Evidence before approval": none the policy requires may be missing, unless the admin records why. */
  private static void checkEvidence(Claim claim, RefundPolicy policy, String evidenceOverride) {
    if (claim.missingEvidence().isEmpty() || evidenceOverride != null) return;
    throw Eligibility.refused(policy, claim.type(), "claims." + claim.type() + ".evidence", "the claim still waits for"
        + " evidence the policy requires (" + String.join(", ", claim.missingEvidence()) + "); to decide without it, give"
        + " 'evidenceOverride' with the reason", new JsonObject().put("missingEvidence", new JsonArray(claim.missingEvidence())));
  }

  public Future<Detail> reject(long id, String actor, String reason) {
    return claims.claim(id, null).compose(claim -> policyOf(claim).compose(policy -> {
      checkDecidable(claim, policy);
      return claims.reject(id, actor, reason).compose(rejected -> {
        if (!rejected) return alreadyDecided(id);
        timers.cancel(TimerKind.CLAIM_DEADLINE, id).recover(e -> Future.succeededFuture());
        return detail(id, null);
      });
    }));
  }

  public Future<Detail> requestEvidence(long id, String actor, String note) {
    return move(id, List.of(ClaimState.SUBMITTED, ClaimState.IN_REVIEW, ClaimState.ESCALATED, ClaimState.NEEDS_EVIDENCE),
        ClaimState.NEEDS_EVIDENCE, null, actor, note, false);
  }

  public Future<Detail> respond(long id, String actor, String note) {
    return move(id, List.copyOf(ClaimState.OPEN), null, null, actor, note, false);
  }

  /**
   * Moves the claim to the next level of the policy's review.escalation list. A REJECTED claim may be escalated (an
   * appeal) when the policy's decisions are not final; an APPROVED one never (the money moved).
   */
  public Future<Detail> escalate(long id, String actor, String note) {
    return claims.claim(id, null).compose(claim -> policyOf(claim).compose(policy -> {
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
  public Future<Detail> appeal(long id, long accountId, String text) {
    return claims.claim(id, accountId).compose(claim -> policyOf(claim).compose(policy -> {
      if (claim.state() != ClaimState.REJECTED) {
        throw new DomainException(Kind.INVALID_STATE, "only a rejected claim can be appealed; this one is "
            + claim.state().name().toLowerCase(), new JsonObject().put("state", claim.state().name()));
      }
      checkEscalation(claim, policy);
      return move(id, List.of(ClaimState.REJECTED), ClaimState.ESCALATED, claim.escalationLevel(),
          "customer:" + accountId, text, false).compose(v -> detail(id, accountId));
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

  /** A non-deciding move by support; answers the admin's view. */
  private Future<Detail> move(long id, List<ClaimState> from, ClaimState to, Integer level, String actor, String note,
                              boolean internal) {
    return claims.claim(id, null).compose(before -> claims.move(id, from, to, level, actor, note, internal)).compose(moved -> {
      if (moved) return detail(id, null).onSuccess(v -> resync(id));
      return claims.claim(id, null).compose(now -> Future.failedFuture(new DomainException(Kind.INVALID_STATE,
          "the claim is " + now.state().name().toLowerCase() + (now.state().open() ? " (it changed meanwhile; retry)" : ""),
          new JsonObject().put("state", now.state().name()))));
    });
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
  private static Optional<ClaimType> typeOf(Claim claim, RefundPolicy policy) {
    return policy.claims().stream().filter(c -> c.id().equals(claim.type())).findFirst();
  }

  private static void checkRemedy(Claim claim, RefundPolicy policy, String remedy) {
    // a claim the platform opened itself (rental_disconnected) has no type in the policy: a refund is its remedy
    List<String> offered = typeOf(claim, policy).map(ClaimType::offeredRemedies).orElse(List.of("full_refund"));
    String needed = remedy.equals("refund") ? "full_refund" : remedy;
    if (!offered.contains(needed)) {
      throw new DomainException(Kind.POLICY_REFUSED, "claim type '" + claim.type() + "' of policy " + policy.id()
          + " version " + policy.version() + " offers " + offered + ", not " + needed,
          new JsonObject().put("rule", "claims." + claim.type() + ".remedies").put("policyId", policy.id())
              .put("policyVersion", policy.version()).put("remedies", new JsonArray(offered)));
    }
  }

  private Future<Detail> alreadyDecided(long id) {
    return claims.claim(id, null).compose(now -> Future.failedFuture(new DomainException(Kind.INVALID_STATE,
        "the claim is already " + now.state().name().toLowerCase(), new JsonObject().put("state", now.state().name()))));
  }

  // ---------------------------------------------------------------- deadlines

  /**
   * Fires claim deadlines: the policy's automatic remedy for due claims (the approve statement admits one winner, so
   * two nodes firing the same deadline refund once), then the missed deadlines are recorded, then each claim's next
   * deadline is scheduled. A claim whose order is still open keeps its deadline pending and is looked at again later.
   */
  public Future<Void> fireDeadlines(List<Long> ids) {
    return claims.dueForAutoRemedy(ids).compose(due -> {
      Future<Void> chain = Future.succeededFuture();
      for (long id : due) {
        chain = chain.compose(v -> claims.approve(id, "system", null,
            "the resolution deadline passed undecided: the policy's remedy applies (the customer's choice, else a full"
                + " refund)", true, null).mapEmpty());
      }
      return chain;
    }).compose(v -> claims.recordMissedDeadlines(ids))
        .compose(v -> claims.nextDeadlines(ids))
        .compose(deadlines -> {
          List<Timer> next = new ArrayList<>();
          for (ClaimRepository.NextDeadline d : deadlines) {
            // a deadline still pending after this pass (its order has not closed yet): look again in a minute
            long due = d.dueMillis() <= d.nowMillis() ? d.nowMillis() + RETRY_PENDING_MS : d.dueMillis();
            next.add(new Timer(TimerKind.CLAIM_DEADLINE, d.claimId(), due));
          }
          return timers.scheduleAll(next);
        });
  }

  private void schedule(long id, Long dueMs) {
    if (dueMs == null) return;
    timers.schedule(new Timer(TimerKind.CLAIM_DEADLINE, id, dueMs)).onFailure(e ->
        LOG.warn("could not schedule the deadline of claim {}; the sweep will catch it: {}", id, e.toString()));
  }

  private void resync(long id) {
    claims.nextDeadlines(List.of(id)).onSuccess(next -> {
      if (next.isEmpty()) {
        timers.cancel(TimerKind.CLAIM_DEADLINE, id);
      } else {
        schedule(id, next.get(0).dueMillis());
      }
    });
  }

  // ---------------------------------------------------------------- reading

  private Future<RefundPolicy> policyOf(ClaimOrder order) {
    return order.policyId() == null ? policies.inForce().map(Policies.InForce::policy)
        : policies.version(order.policyId(), order.policyVersion());
  }

  private Future<RefundPolicy> policyOf(Claim claim) {
    return policies.version(claim.policyId(), claim.policyVersion());
  }

  /** The claim with its evidence list and history, to its owner ({@code accountId}) or to an admin (null). */
  private Future<Detail> detail(long id, Long accountId) {
    boolean admin = accountId == null;
    return claims.claim(id, accountId).compose(claim -> policyOf(claim).compose(policy -> {
      List<String> levels = policy.review().escalation();
      String role = claim.escalationLevel() < levels.size() ? levels.get(claim.escalationLevel()) : null;
      return claims.evidence(id).compose(evidence -> claims.events(id, admin)
          .map(history -> new Detail(claim, role, evidence, history, admin)));
    }));
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
