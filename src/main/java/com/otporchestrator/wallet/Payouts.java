package com.otporchestrator.wallet;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import com.otporchestrator.common.Money;
import com.otporchestrator.policy.Policies;
import com.otporchestrator.policy.RefundPolicy;
import io.vertx.core.json.JsonObject;
import java.util.function.LongConsumer;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Payouts, as the policy in force allows them ({@code wallet.payouts}): not at all (422, rule
 * {@code wallet.payouts.allowed}), from a minimum ({@code wallet.payouts.minimum}), and possibly as leaving the platform
 * ({@code wallet.payouts.closesAccount}: the whole balance, no open order, and the account closes when it is paid). The
 * customer asks (one open request at a time), an admin approves (the ledger entry is written in the same statement) or
 * rejects. A refused request writes nothing. Top-ups themselves are never refunded: a payout is the only way money
 * leaves a live wallet.
 */
public final class Payouts {
  private static final String CHECK_VIOLATION = "23514";

  private final Pool pool;
  private final Policies policies;
  private volatile LongConsumer accountClosed = id -> {};

  public Payouts(Pool pool, Policies policies) {
    this.pool = pool;
    this.policies = policies;
  }

  /** Who is told, after the commit, that an approved payout closed an account. */
  void onAccountClosed(LongConsumer listener) {
    this.accountClosed = listener;
  }

  /** @param amount micro-USD; null for the whole balance (only where a payout closes the account) */
  public Future<Payout> request(long accountId, Long amount, String destination) {
    return policies.inForce().map(Policies.InForce::policy).compose(policy -> {
      RefundPolicy.Payouts rule = policy.wallet().payouts();
      if (!rule.allowed()) {
        return Future.failedFuture(refused(policy, "wallet.payouts.allowed", "payouts are not offered under policy "
            + policy.id() + " version " + policy.version() + ": the balance is available as platform credit only",
            new JsonObject()));
      }
      if (amount == null && !rule.closesAccount()) return Future.failedFuture(DomainException.invalid("'amount' is required"));
      Long minimum = rule.minimum().map(usd -> usd.movePointRight(6).longValueExact()).orElse(null);
      if (amount != null && minimum != null && amount < minimum) {
        return Future.failedFuture(refused(policy, "wallet.payouts.minimum", "the policy's payout minimum is "
            + Money.format(minimum) + " USD", new JsonObject().put("minimum", Money.format(minimum))));
      }
      Tuple args = Tuple.of(accountId, amount, destination, policy.id(), policy.version(), rule.closesAccount())
          .addLong(minimum);
      return pool.preparedQuery(WalletOpsSql.REQUEST_PAYOUT).execute(args).compose(rows -> rows.size() == 1
          ? Future.succeededFuture(Payout.of(rows.iterator().next()))
          : explainRefusal(accountId, amount, policy, minimum));
    });
  }

  private static DomainException refused(RefundPolicy policy, String rule, String detail, JsonObject extra) {
    return new DomainException(Kind.POLICY_REFUSED, detail, extra.put("rule", rule)
        .put("policyId", policy.id()).put("policyVersion", policy.version()));
  }

  private Future<Payout> explainRefusal(long accountId, Long amount, RefundPolicy policy, Long minimum) {
    return pool.preparedQuery(WalletOpsSql.PAYOUT_OBSTACLES).execute(Tuple.of(accountId)).compose(rows -> {
      if (rows.size() == 0) return Future.failedFuture(DomainException.notFound("account " + accountId + " does not exist"));
      Row r = rows.iterator().next();
      long balance = r.getLong("balance");
      if ("terminated".equals(r.getString("status")) || "closed".equals(r.getString("status"))) {
        return Future.failedFuture(new DomainException(Kind.FORBIDDEN, "this account is " + r.getString("status")));
      }
      if (r.getBoolean("open_request")) {
        return Future.failedFuture(new DomainException(Kind.CONFLICT, "a payout request is already open for this account"));
      }
      if (!policy.id().equals(r.getString("policy_id")) || policy.version() != r.getInteger("version")) {
        return Future.failedFuture(new DomainException(Kind.CONFLICT, "the policy in force changed meanwhile; ask again"));
      }
      if (amount != null && amount > balance || balance == 0) {
        return Future.failedFuture(new DomainException(Kind.INSUFFICIENT_FUNDS,
            "the balance " + Money.format(balance) + " does not cover " + Money.format(amount == null ? 1 : amount)));
      }
      if (policy.wallet().payouts().closesAccount()) {
        if (minimum != null && balance < minimum) {
          return Future.failedFuture(refused(policy, "wallet.payouts.minimum", "the policy's payout minimum is "
              + Money.format(minimum) + " USD; the balance is " + Money.format(balance),
              new JsonObject().put("minimum", Money.format(minimum))));
        }
        long held = r.getLong("held");
        String why = held > 0 ? "open orders still hold " + Money.format(held) + " USD; they must end first"
            : "it pays out the whole balance, " + Money.format(balance) + " USD";
        return Future.failedFuture(refused(policy, "wallet.payouts.closesAccount", "a payout closes the account under policy "
            + policy.id() + " version " + policy.version() + ": " + why,
            new JsonObject().put("balance", Money.format(balance)).put("held", Money.format(held))));
      }
      return Future.failedFuture(new DomainException(Kind.CONFLICT, "the payout request could not be filed; try again"));
    });
  }

  /** Pays an open request out of the balance; refused (nothing written) when the balance no longer covers it. */
  public Future<Payout> approve(long id, String admin, String note) {
    return pool.preparedQuery(WalletOpsSql.APPROVE_PAYOUT).execute(Tuple.of(id, admin, note))
        .recover(error -> Future.failedFuture(isCheckViolation(error)
            ? new DomainException(Kind.INSUFFICIENT_FUNDS, "the balance no longer covers payout " + id + "; reject it or wait")
            : error))
        .compose(rows -> {
          if (rows.size() == 1 && rows.iterator().next().getLong("account_closed") > 0) {
            accountClosed.accept(rows.iterator().next().getLong("account_id"));
          }
          return decided(id, rows);
        });
  }

  public Future<Payout> reject(long id, String admin, String reason) {
    return pool.preparedQuery(WalletOpsSql.REJECT_PAYOUT).execute(Tuple.of(id, admin, reason))
        .compose(rows -> decided(id, rows));
  }

  private Future<Payout> decided(long id, RowSet<Row> rows) {
    if (rows.size() == 1) return Future.succeededFuture(Payout.of(rows.iterator().next()));
    return find(id).compose(p -> Future.failedFuture(new DomainException(Kind.INVALID_STATE, p.state().equals("REQUESTED")
        ? "payout " + id + " closes the account: the balance must still be exactly " + Money.format(p.amount())
            + " USD with no open order; reject it and let the customer ask again"
        : "payout " + id + " was already " + p.state().toLowerCase())));
  }

  public Future<Payout> find(long id) {
    return pool.preparedQuery(WalletOpsSql.PAYOUT_BY_ID).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) throw DomainException.notFound("payout " + id + " does not exist");
      return Payout.of(rows.iterator().next());
    });
  }

  /** Newest first; {@code accountId} and {@code state} are optional filters. */
  public Future<List<Payout>> list(Long accountId, String state, Long beforeId, int limit) {
    return pool.preparedQuery(WalletOpsSql.PAYOUTS).execute(Tuple.of(accountId, state, beforeId, limit)).map(rows -> {
      List<Payout> out = new ArrayList<>();
      for (Row r : rows) out.add(Payout.of(r));
      return out;
    });
  }

  static boolean isCheckViolation(Throwable error) {
    return error instanceof PgException pg && CHECK_VIOLATION.equals(pg.getSqlState());
  }
}
