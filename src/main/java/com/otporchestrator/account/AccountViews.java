package com.otporchestrator.account;

import com.otporchestrator.api.Views;
import com.otporchestrator.common.Money;
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

  /** A page of search results; {@code nextCursor} only when the page is full. */
  static JsonObject page(java.util.List<AccountRepository.Summary> list, int limit) {
    io.vertx.core.json.JsonArray items = new io.vertx.core.json.JsonArray();
    list.forEach(s -> items.add(account(s.account()).put("plan", s.plan()).put("createdAt", Views.time(s.createdAt()))
        .put("keyPrefix", s.keyPrefix()).put("email", s.email()).put("balance", Money.format(s.balance())).put("held", Money.format(s.held()))
        .put("currency", "USD")));
    JsonObject page = new JsonObject().put("items", items);
    if (list.size() == limit) page.put("nextCursor", String.valueOf(list.get(list.size() - 1).account().id()));
    return page;
  }
}
