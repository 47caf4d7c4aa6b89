package com.otporchestrator.account;

import com.otporchestrator.api.DecisionLog;
import com.otporchestrator.common.DomainException;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Suspending an account and lifting a suspension: the status change, its effect on every node at once (the key caches
 * forget the account) and who decided it, for the admin API and the operator console alike.
 */
public final class AccountStatuses {
  private final AccountRepository accounts;
  private final Revocations revocations;
  private final DecisionLog decisions;

  AccountStatuses(AccountRepository accounts, Revocations revocations, DecisionLog decisions) {
    this.accounts = accounts;
    this.revocations = revocations;
    this.decisions = decisions;
  }

  /**
   * Sets {@code status} ("active" or "suspended", until {@code until} or indefinitely when null), as {@code actor}.
   * A terminated or closed account is a conflict; an unknown one is not found.
   */
  public Future<Account> set(long id, String status, OffsetDateTime until, String actor, String note) {
    if (!status.equals("active") && !status.equals("suspended")) {
      throw DomainException.invalid("'status' must be active or suspended");
    }
    if (until != null && status.equals("active")) throw DomainException.invalid("'until' only goes with suspended");
    if (until != null && !until.toInstant().isAfter(Instant.now())) throw DomainException.invalid("'until' must be in the future");
    return accounts.setStatus(id, status, until).compose(updated -> updated.isPresent()
        ? revocations.revoke(id)
            .compose(v -> decisions.record(actor, status.equals("active") ? "account.activate" : "account.suspend",
                "account:" + id, until == null ? note : join("until " + until.toInstant(), note)))
            .map(v -> updated.get())
        : accounts.findById(id).map(found -> {
            if (found.isEmpty()) throw DomainException.notFound("account " + id + " does not exist");
            throw new DomainException(DomainException.Kind.CONFLICT, "account " + id + " is " + found.get().status());
          }));
  }

  private static String join(String a, String b) {
    return b == null || b.isBlank() ? a : a + "; " + b;
  }
}
