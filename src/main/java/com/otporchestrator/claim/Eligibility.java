package com.otporchestrator.claim;

import com.otporchestrator.claim.EvidenceMedia.MediaClass;
import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.policy.RefundDecision;
import com.otporchestrator.policy.RefundDecisions;
import com.otporchestrator.policy.RefundPolicy;
import com.otporchestrator.policy.RefundPolicy.ClaimCondition;
import com.otporchestrator.policy.RefundPolicy.ClaimType;
import com.otporchestrator.policy.RefundPolicy.Evidence;
import com.otporchestrator.policy.RefundPolicy.Exclusion;
import com.otporchestrator.policy.RefundPolicy.OrderKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a claim of one type may be filed on one order, under the order's policy version, at one instant: pure, so
 * the same answer comes from the same inputs. The verdict agrees with {@link RefundDecisions#evaluate}'s FILE_CLAIM
 * options; when the type is not open, the first rule that closes it is named.
 */
public final class Eligibility {
  /** Tags the platform derives itself; a customer cannot declare them (they only ever remove claims). */
  static final String TELEGRAM_2FA = "telegram_2fa";
  static final String TELEGRAM_2FA_API = "telegram_2fa_api";
  static final String FRAUD_FLAGGED = "fraud_flagged";
  /** Evidence kinds the claim itself carries: it names its order and has a text. */
  private static final Set<String> CARRIED_BY_CLAIM = Set.of("order_id", "description");

  private Eligibility() {}

  /**
   * @param filingDeadline the end of the filing window (exclusive), empty when the claim type has none
   * @param missingEvidence required evidence kinds no file covers yet
   * @param autoRemedy "refund" when the claim type's remedies include full_refund and it has a resolution deadline
   */
  public record Verdict(ClaimType type, Optional<Instant> filingDeadline, List<String> missingEvidence,
                        Optional<String> autoRemedy) {}

  /** The order's tags: what the customer declared plus what the platform knows (docs/claims.md, tags). */
  public static Set<String> tags(ClaimOrder order, Set<String> declared) {
    Set<String> tags = accountTags(order.accountStatus(), order.flagged(), declared);
    // esimpy's "Telegram 2FA numbers purchased via API": a declared telegram_2fa on a Telegram order placed through
    // the JSON or the compatible API; an order placed at the web console keeps its claims (and needs the video)
    if (declared.contains(TELEGRAM_2FA) && "tg".equals(order.service()) && order.channel().viaApi()) tags.add(TELEGRAM_2FA_API);
    return tags;
  }

  /** The tags of an account claim: the declared ones and what the platform knows of the account. */
  public static Set<String> accountTags(String accountStatus, boolean flagged, Set<String> declared) {
    Set<String> tags = new LinkedHashSet<>(declared);
    if (flagged) tags.add(FRAUD_FLAGGED);
    if ("terminated".equals(accountStatus)) {
      tags.add("aup_terminated");
      tags.add("tos_terminated");
    }
    return tags;
  }

  /**
   * Whether an account claim (no order: a deposit or billing problem naming a deposit reference) of this type may be
   * filed: the type must exist and apply to the account, and no exclusion may remove it.
   */
  public static Verdict judgeAccount(RefundPolicy policy, String typeId, Set<String> tags) {
    ClaimType type = type(policy, typeId);
    if (!type.appliesTo().contains(OrderKind.ACCOUNT)) {
      throw refused(policy, typeId, "claim.applies_to", "claim type '" + typeId + "' is about an order: name its orderId",
          null);
    }
    excluded(policy, typeId, tags);
    return new Verdict(type, Optional.empty(), missing(type, tags), Optional.empty());
  }

  /**
   * The remedy a claim carries: where the claim type leaves the choice to the customer ({@code remedyChoice: customer})
   * the one asked, else the first listed; elsewhere none (support decides), and asking for one is refused.
   */
  public static Optional<String> chosenRemedy(RefundPolicy policy, ClaimType type, String asked) {
    if (type.remedyChoice() != RefundPolicy.RemedyChoice.CUSTOMER) {
      if (asked == null) return Optional.empty();
      throw refused(policy, type.id(), "claims." + type.id() + ".remedyChoice", "claim type '" + type.id()
          + "' gives the customer no choice of remedy; support decides", null);
    }
    String wanted = asked == null ? remedyOf(type.offeredRemedies().get(0)) : asked;
    if (!type.offeredRemedies().contains(policyRemedy(wanted))) {
      throw refused(policy, type.id(), "claims." + type.id() + ".remedies", "claim type '" + type.id() + "' offers "
          + type.offeredRemedies() + ", not " + policyRemedy(wanted),
          new JsonObject().put("remedies", new JsonArray(type.offeredRemedies())));
    }
    return Optional.of(wanted);
  }

  /** The remedies the customer may choose between on a claim of {@code typeId} (refund, replacement); empty: support decides. */
  public static List<String> customerRemedies(RefundPolicy policy, String typeId) {
    return policy.claims().stream().filter(c -> c.id().equals(typeId) && c.remedyChoice() == RefundPolicy.RemedyChoice.CUSTOMER)
        .findFirst().map(c -> c.offeredRemedies().stream().map(Eligibility::remedyOf).toList()).orElse(List.of());
  }

  /** A claim's remedy (refund, replacement) as the policy names it (full_refund, replacement), and back. */
  private static String policyRemedy(String remedy) {
    return remedy.equals("refund") ? "full_refund" : remedy;
  }

  private static String remedyOf(String policyRemedy) {
    return policyRemedy.equals("full_refund") ? "refund" : policyRemedy;
  }

  private static ClaimType type(RefundPolicy policy, String typeId) {
    return policy.claims().stream().filter(c -> c.id().equals(typeId)).findFirst().orElseThrow(() -> refused(policy,
        typeId, "claim.unknown_type", "policy " + policy.id() + " version " + policy.version() + " has no claim type '"
            + typeId + "'", new JsonObject().put("claimTypes", new JsonArray(policy.claims().stream().map(ClaimType::id)
            .toList()))));
  }

  private static void excluded(RefundPolicy policy, String typeId, Set<String> tags) {
    for (Exclusion x : policy.exclusions()) {
      if (x.orderTag().isPresent() && tags.contains(x.orderTag().get())
          && (x.claims().isEmpty() || x.claims().contains(typeId))) {
        throw refused(policy, typeId, x.id(), x.text(), new JsonObject().put("exclusion", x.id())
            .put("orderTag", x.orderTag().get()));
      }
    }
  }

  public static Verdict judge(RefundPolicy policy, ClaimOrder order, String typeId, Set<String> tags, Instant now) {
    ClaimType type = type(policy, typeId);
    String kind = order.kind().name().toLowerCase(Locale.ROOT);
    if (!type.appliesTo().contains(order.kind())) {
      throw refused(policy, typeId, "claim.applies_to", "claim type '" + typeId + "' does not apply to a " + kind
          + (type.appliesTo().contains(OrderKind.ACCOUNT) ? "; it is about the account: name a depositReference" : ""), null);
    }
    if (order.refunded()) {
      throw refused(policy, typeId, "refunded." + order.state().toLowerCase(Locale.ROOT),
          "the order's price was already returned to the wallet", null);
    }
    excluded(policy, typeId, tags);
    boolean sms = order.firstSmsAt().filter(t -> !t.isAfter(now)).isPresent();
    if (type.when() == ClaimCondition.NO_SMS && sms) {
      throw refused(policy, typeId, "claim.when.no_sms", "claim type '" + typeId + "' is for orders that received no SMS;"
          + " this one did", null);
    }
    if (type.when() == ClaimCondition.AFTER_SMS && !sms) {
      throw refused(policy, typeId, "claim.when.after_sms", "claim type '" + typeId + "' is for orders that received"
          + " an SMS; this one has none", null);
    }
    Optional<Instant> deadline = type.filingWindow().map(w -> order.purchasedAt().plus(w));
    if (deadline.isPresent() && !now.isBefore(deadline.get())) {
      throw refused(policy, typeId, "claim.filing_window", "claims of type '" + typeId + "' must be filed within "
          + type.filingWindow().get() + " of the purchase, i.e. before " + deadline.get(),
          new JsonObject().put("filingDeadline", deadline.get().toString()));
    }
    RefundDecision decision = RefundDecisions.evaluate(policy, order.facts(tags), now);
    boolean open = decision.options().stream().anyMatch(o -> o.action() == RefundDecision.Action.FILE_CLAIM
        && o.claimType().filter(typeId::equals).isPresent());
    if (!open) {
      throw refused(policy, typeId, decision.rule(), "no claim is open on this order (" + decision.rule() + ")", null);
    }
    boolean autoRefund = type.remedies().contains("full_refund") && type.resolutionWithin().isPresent();
    return new Verdict(type, deadline, missing(type, tags), autoRefund ? Optional.of("refund") : Optional.empty());
  }

  /** Required evidence kinds (those whose onlyIfTag the order carries, or without one) the claim does not carry. */
  static List<String> missing(ClaimType type, Set<String> tags) {
    List<String> out = new ArrayList<>();
    for (Evidence e : type.evidence()) {
      if (e.onlyIfTag().isPresent() && !tags.contains(e.onlyIfTag().get())) continue;
      if (!CARRIED_BY_CLAIM.contains(e.kind()) && !out.contains(e.kind())) out.add(e.kind());
    }
    return out;
  }

  /** Whether a file of this class proves an evidence kind: a "video..." kind needs a video, a "screenshot" an image. */
  public static boolean proves(String kind, MediaClass mediaClass) {
    String k = kind.toLowerCase(Locale.ROOT);
    if (k.contains("video")) return mediaClass == MediaClass.VIDEO;
    if (k.contains("screenshot") || k.contains("image") || k.contains("photo")) return mediaClass == MediaClass.IMAGE;
    return true;
  }

  static DomainException refused(RefundPolicy policy, String typeId, String rule, String detail,
      JsonObject extra) {
    JsonObject ext = new JsonObject().put("rule", rule).put("policyId", policy.id()).put("policyVersion", policy.version())
        .put("claimType", typeId);
    if (extra != null) ext.mergeIn(extra);
    return new DomainException(Kind.POLICY_REFUSED, detail, ext);
  }
}
