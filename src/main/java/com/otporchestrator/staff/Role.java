package com.otporchestrator.staff;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What each operator role may do: the one table the console enforces, server-side, before every action (a page or
 * form of an action the role lacks answers 403). Every role may read every queue; what differs is what it may decide.
 */
public enum Role {
  /** First line: answers and decides claims within the policy. */
  SUPPORT("support"),
  /** Support plus what needs judgement: overriding the evidence rule, adjusting, suspending, outages, held refunds. */
  SENIOR_SUPPORT("senior_support"),
  /** Money leaving the platform: payouts, held refunds. */
  FINANCE("finance"),
  /** Everything, suppliers and policies included. */
  ADMIN("admin");

  /** Everything a person may do in the console. */
  public enum Action {
    /** Read every page: queues, orders, accounts, outages, suppliers, policies. */
    VIEW,
    /** Approve, reject, ask for evidence, answer and escalate a claim, within the evidence rule. */
    DECIDE_CLAIM,
    /** Approve or adjust a claim against the policy's evidence rule (a stated waiver), and adjust refunds. */
    OVERRIDE_CLAIM,
    SUSPEND_ACCOUNT,
    TERMINATE_ACCOUNT,
    DECIDE_PAYOUT,
    DECIDE_HELD_REFUND,
    /** Declare an outage, confirm or dismiss a suspected one. */
    DECIDE_OUTAGE,
    /** Enable or disable a supplier. */
    SWITCH_SUPPLIER,
    /** Publish a policy version, put a version in force. */
    PUBLISH_POLICY
  }

  private static final Map<Role, Set<Action>> ALLOWED = Map.of(
      SUPPORT, EnumSet.of(Action.VIEW, Action.DECIDE_CLAIM),
      SENIOR_SUPPORT, EnumSet.of(Action.VIEW, Action.DECIDE_CLAIM, Action.OVERRIDE_CLAIM, Action.SUSPEND_ACCOUNT,
          Action.DECIDE_HELD_REFUND, Action.DECIDE_OUTAGE),
      FINANCE, EnumSet.of(Action.VIEW, Action.DECIDE_PAYOUT, Action.DECIDE_HELD_REFUND),
      ADMIN, EnumSet.allOf(Action.class));

  private final String code;

  Role(String code) {
    this.code = code;
  }

  /** As stored and shown: support, senior_support, finance, admin. */
  public String code() {
    return code;
  }

  public boolean may(Action action) {
    return ALLOWED.get(this).contains(action);
  }

  public Set<Action> allowed() {
    return Set.copyOf(ALLOWED.get(this));
  }

  /** The role with this code, or null. */
  public static Role of(String code) {
    return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst().orElse(null);
  }
}
