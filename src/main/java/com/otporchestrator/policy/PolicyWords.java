package com.otporchestrator.policy;

import com.otporchestrator.policy.RefundPolicy.AutoRefundEvent;
import com.otporchestrator.policy.RefundPolicy.ClaimType;
import com.otporchestrator.policy.RefundPolicy.Deadline;
import com.otporchestrator.policy.RefundPolicy.Exclusion;
import com.otporchestrator.policy.RefundPolicy.OrderKind;
import com.otporchestrator.policy.RefundPolicy.RemedyChoice;
import com.otporchestrator.policy.RefundPolicy.RentalRefund;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A published policy version in words for its customers: one rule per field of the document (every field the engine
 * enforces), each with the path of the field and the source sentences the document quotes for it.
 */
public final class PolicyWords {
  /** One rule: the field's path in the document, what it means in words, the published sentences behind it. */
  public record Rule(String path, String text, List<String> sentences) {}

  private static final Map<AutoRefundEvent, String> EVENTS = Map.of(
      AutoRefundEvent.NO_SMS_IN_WINDOW, "No code arrives within the activation window",
      AutoRefundEvent.CANCEL_BEFORE_SMS, "You cancel before any code arrives",
      AutoRefundEvent.NUMBER_BROKEN_UPSTREAM, "The supplier reports the number broken or dead",
      AutoRefundEvent.ALLOCATION_FAILURE, "No number can be allocated for the order",
      AutoRefundEvent.PLATFORM_OUTAGE, "A platform outage hits the order");

  private PolicyWords() {}

  /** Every rule of {@code policy}, with the sentences quoted for it in {@code yaml} (the document as published). */
  public static List<Rule> rules(RefundPolicy policy, String yaml) {
    PolicySentences sentences = PolicySentences.of(yaml);
    List<Rule> rules = new ArrayList<>();
    activation(policy, sentences, rules);
    for (AutoRefundEvent e : AutoRefundEvent.values()) {
      String path = "autoRefunds." + e.name().toLowerCase(Locale.ROOT);
      if (policy.autoRefunds().contains(e)) {
        rules.add(rule(path, EVENTS.get(e) + ": the price comes back to your wallet automatically, with no ticket.", sentences));
      }
    }
    if (!policy.autoRefunds().contains(AutoRefundEvent.CANCEL_BEFORE_SMS)) {
      rules.add(rule("autoRefunds", "Cancelling is not promised a refund: the refund comes by itself when the window "
          + "ends without a code.", sentences));
    }
    rental(policy, sentences, rules);
    for (ClaimType c : policy.claims()) rules.add(rule("claims." + c.id(), claim(c), sentences));
    for (Exclusion x : policy.exclusions()) {
      List<String> quoted = new ArrayList<>(List.of(x.text()));
      sentences.at("exclusions." + x.id()).stream().filter(s -> !quoted.contains(s)).forEach(quoted::add);
      String tag = x.orderTag().map(t -> " Orders marked " + t.replace('_', ' ') + " lose "
          + (x.claims().isEmpty() ? "every claim" : "the claims " + String.join(", ", x.claims())) + ".").orElse("");
      rules.add(new Rule("exclusions." + x.id(), "Not refunded: " + lowerFirst(x.text()) + tag, quoted));
    }
    review(policy, sentences, rules);
    wallet(policy, sentences, rules);
    return rules;
  }

  private static void activation(RefundPolicy p, PolicySentences s, List<Rule> rules) {
    rules.add(rule("activation.window", p.activation().window()
        .map(w -> "An activation waits up to " + duration(w) + " for its code.")
        .orElse("An activation waits for its code until the order's own expiry, shown on each order."), s));
    Duration cancel = p.activation().cancelNotBefore();
    rules.add(rule("activation.cancelNotBefore", cancel.isZero() ? "You may cancel an activation as soon as you bought it."
        : "You may cancel an activation " + duration(cancel) + " after buying it, not before.", s));
  }

  private static void rental(RefundPolicy p, PolicySentences s, List<Rule> rules) {
    if (p.rental().isEmpty()) {
      rules.add(rule("rental", "This policy sets no rental rules: rentals are refunded only through a claim.", s));
      return;
    }
    RefundPolicy.Rental r = p.rental().get();
    if (r.minDuration().isPresent() || r.maxDuration().isPresent()) {
      rules.add(rule("rental.minDuration", "A rental lasts" + r.minDuration().map(d -> " at least " + duration(d)).orElse("")
          + (r.minDuration().isPresent() && r.maxDuration().isPresent() ? " and" : "")
          + r.maxDuration().map(d -> " at most " + duration(d)).orElse("") + ".", s));
    }
    rules.add(rule("rental.cancelWindow", r.cancelWindow()
        .map(w -> "Cancelling a rental within " + duration(w) + " of buying it refunds it in full.")
        .orElse("Cancelling a rental does not refund it."), s));
    if (r.refunds().isEmpty()) {
      rules.add(rule("rental.refunds", "No event refunds a rental automatically: a broken number or an outage opens a "
          + "claim that support reviews.", s));
    }
    r.refunds().forEach((event, how) -> rules.add(rule("rental.refunds." + event.name().toLowerCase(Locale.ROOT),
        EVENTS.get(event) + " during a rental: " + (how == RentalRefund.FULL
            ? "the rental's whole price, extensions included, comes back automatically."
            : "the unused part of its time comes back automatically, pro rata, rounded down to the micro-dollar.")
            + " The rental ends.", s)));
  }

  private static String claim(ClaimType c) {
    StringBuilder w = new StringBuilder(c.description()).append(": ");
    boolean account = c.appliesTo().contains(OrderKind.ACCOUNT);
    String about = c.appliesTo().stream().map(k -> switch (k) {
      case ACTIVATION -> "an activation";
      case RENTAL -> "a rental";
      case ACCOUNT -> "your account (naming a deposit reference)";
    }).collect(Collectors.joining(" or "));
    w.append("a claim about ").append(about).append(" may be filed");
    w.append(switch (c.when()) {
      case ANY -> "";
      case NO_SMS -> " only if no code arrived";
      case AFTER_SMS -> " only after a code arrived";
    });
    c.filingWindow().ifPresent(d -> w.append(" within ").append(duration(d)).append(account ? "" : " of buying"));
    w.append('.');
    if (!c.evidence().isEmpty()) {
      w.append(" Evidence: ").append(c.evidence().stream().map(e -> e.kind().replace('_', ' ')
          + e.onlyIfTag().map(t -> " (for " + t.replace('_', ' ') + " orders)").orElse(""))
          .collect(Collectors.joining(", "))).append('.');
    }
    c.resolutionWithin().ifPresent(d -> w.append(" Resolved within ").append(duration(d)).append('.'));
    w.append(" Remedy: ").append(c.offeredRemedies().stream().map(r -> r.replace('_', ' '))
        .collect(Collectors.joining(" or ")));
    w.append(c.remedyChoice() == RemedyChoice.CUSTOMER ? ", as you choose (you may change it until the decision)."
        : ", as support decides.");
    return w.toString();
  }

  private static void review(RefundPolicy p, PolicySentences s, List<Rule> rules) {
    RefundPolicy.Review r = p.review();
    r.responseWithin().ifPresent(d -> rules.add(rule("review.responseWithin", "Support answers a claim within "
        + deadline(d) + ".", s)));
    r.resolutionWithin().ifPresent(d -> rules.add(rule("review.resolutionWithin", "A claim is resolved within "
        + deadline(d) + "; when that passes, the remedy applies by itself.", s)));
    if (!r.escalation().isEmpty()) {
      rules.add(rule("review.escalation", "Escalation: " + r.escalation().stream().map(e -> e.replace('_', ' '))
          .collect(Collectors.joining(", then ")) + ".", s));
    }
    rules.add(rule("review.decisionsFinal", r.decisionsFinal()
        ? "Support's decisions are final: no appeal, and a claim of the same type on the same order is refused."
        : "You may appeal a decision on a claim.", s));
  }

  private static void wallet(RefundPolicy p, PolicySentences s, List<Rule> rules) {
    RefundPolicy.Wallet w = p.wallet();
    rules.add(rule("wallet.refundDestination", "Refunds go to your " + w.refundDestination().replace('_', ' ')
        + (w.refundDestination().equals("wallet") ? " balance on the platform." : "."), s));
    rules.add(rule("wallet.currency", "Balances and prices are in " + w.currency() + ".", s));
    rules.add(rule("wallet.topUpsRefundable", w.topUpsRefundable() ? "Top-ups can be refunded."
        : "Top-ups are final: they are not refunded.", s));
    rules.add(rule("wallet.balanceExpires", w.balanceExpires() ? "An unused balance expires."
        : "The balance does not expire.", s));
    RefundPolicy.Payouts payouts = w.payouts();
    rules.add(rule("wallet.payouts", !payouts.allowed()
        ? "The balance cannot be paid out: it is platform credit only."
        : "The balance can be paid out" + payouts.minimum().map(m -> " (at least $" + m.toPlainString() + ")").orElse("")
            + (payouts.closesAccount() ? "; a payout pays the whole balance and closes the account (leaving the platform)."
                : "."), s));
    rules.add(rule("wallet.serviceCredits.outagesOnly", w.serviceCreditsOutagesOnly()
        ? "Service credits are given only for orders inside a declared outage's scope and time range."
        : "Service credits may be given at support's discretion.", s));
  }

  private static Rule rule(String path, String text, PolicySentences s) {
    return new Rule(path, text, s.at(path));
  }

  static String deadline(Deadline d) {
    if (d.duration().isPresent()) return duration(d.duration().get());
    int lo = d.businessDaysMin().orElse(0);
    int hi = d.businessDaysMax().orElse(lo);
    return (lo == hi ? String.valueOf(lo) : lo + " to " + hi) + " business day" + (hi == 1 ? "" : "s");
  }

  /** "20 minutes", "48 hours", "7 days", "1 hour 30 minutes", "90 seconds". */
  static String duration(Duration d) {
    long s = d.toSeconds();
    if (s == 0) return "no time";
    if (s % 86_400 == 0 && s >= 86_400 * 2 && s / 86_400 <= 90) return plural(s / 86_400, "day");
    if (s % 3_600 == 0) return plural(s / 3_600, "hour");
    if (s % 60 == 0) {
      long m = s / 60;
      return m >= 60 ? plural(m / 60, "hour") + " " + plural(m % 60, "minute") : plural(m, "minute");
    }
    return plural(s, "second");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
