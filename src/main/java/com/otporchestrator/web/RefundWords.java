package com.otporchestrator.web;

import com.otporchestrator.policy.RefundDecision;
import com.otporchestrator.policy.RefundDecision.Action;
import com.otporchestrator.policy.RefundDecision.Option;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An order's refund position in words, from the decision the policy engine made ({@code RefundDecisions}): what the
 * rule means for the customer and until when. Words only: the decision itself is the engine's.
 */
public final class RefundWords {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY_TIME =
      DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private RefundWords() {}

  /** The position's main sentence, e.g. "Refundable by cancelling until 12:40:00 UTC." */
  public static String position(RefundDecision d, boolean refunded, Instant now) {
    String until = d.until().map(t -> at(t, now)).orElse(null);
    String rule = d.rule();
    if (refunded || rule.startsWith("refunded.")) {
      return "Refunded: the price went back to your wallet (" + rule.substring(rule.indexOf('.') + 1).replace('_', ' ') + ").";
    }
    return switch (rule) {
      case "held_for_review" -> "The refund is held for review by support; nothing to do for now.";
      case "cancel_before_sms" -> "Refundable by cancelling until " + until + ".";
      case "cancel_not_yet_open" -> "Cancelling opens at " + until + "; from then the price comes back if you cancel "
          + "before a code arrives.";
      case "waiting.refund_after_window" -> "If no code arrives by " + until
          + ", the price comes back to your wallet by itself.";
      case "final.sms_received" -> "A code arrived: the sale is final.";
      case "auto.no_sms_in_window" -> "No code arrived in the window: refunded automatically.";
      case "window_closed.no_auto_refund" -> "The window closed without a code; this policy gives no automatic refund.";
      case "rental.cancel_window" -> "Refundable by cancelling until " + until + ".";
      case "rental.cancel_window_closed" -> "The cancel window has closed: cancelling no longer refunds this rental.";
      case "rental.no_cancel_refund" -> "This policy does not refund a rental by cancelling.";
      case "rental.no_rule" -> "This policy has no rental rules: ask support.";
      default -> rule.startsWith("auto.")
          ? "Refunded automatically: " + rule.substring(5).replace('_', ' ') + "."
          : "Refund rule: " + rule.replace('_', ' ') + ".";
    };
  }

  /** The claims still open to the order, in words ("You may file a claim (no_sms) until 14 Dec 12:00."). */
  public static List<String> claims(RefundDecision d, Instant now) {
    List<String> words = new ArrayList<>();
    for (Option o : d.options()) {
      if (o.action() != Action.FILE_CLAIM) continue;
      String type = o.claimType().orElse("claim").replace('_', ' ');
      words.add("You may file a claim (" + type + ")" + o.until().map(t -> " until " + at(t, now)).orElse("") + ".");
    }
    return words;
  }

  /** The time alone when it is today, else the day and the time; always UTC. */
  public static String at(Instant t, Instant now) {
    boolean sameDay = t.atZone(ZoneOffset.UTC).toLocalDate().equals(now.atZone(ZoneOffset.UTC).toLocalDate());
    return (sameDay ? TIME.format(t) : DAY_TIME.format(t)) + " UTC";
  }
}
