package com.otporchestrator.account;

import com.otporchestrator.api.Views;
import io.vertx.core.json.JsonObject;

/** JSON shapes of accounts as the admin API shows them. */
final class AccountViews {
  private AccountViews() {}

  static JsonObject account(Account account) {
    return new JsonObject().put("id", account.id()).put("name", account.name()).put("status", account.status())
        .put("suspendedUntil", Views.time(account.suspendedUntil()));
  }

  /** A new account with its API key: the only time the key is ever shown. */
  static JsonObject created(Account account, String apiKey) {
    return new JsonObject().put("id", account.id()).put("name", account.name()).put("status", account.status())
        .put("apiKey", apiKey);
  }
}
