package com.otporchestrator.web;

import com.otporchestrator.api.ApiResponse;
import com.otporchestrator.api.Endpoints;
import com.otporchestrator.api.Requests;
import com.otporchestrator.common.DomainException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * {@code PUT /admin/v1/accounts/{id}/login}: sets a customer's console login (email and password). The password is
 * hashed with Argon2id on a worker thread and never stored or logged; the account's open sessions end.
 */
final class LoginAdminRoutes {
  private static final Set<String> FIELDS = Set.of("email", "password");

  private final WebKit kit;
  private final Logins logins;

  LoginAdminRoutes(WebKit kit, Logins logins) {
    this.kit = kit;
    this.logins = logins;
  }

  void mount(Router router) {
    router.put("/admin/v1/accounts/:id/login").handler(this::set);
  }

  private void set(RoutingContext ctx) {
    Endpoints.respond(ctx, () -> {
      long accountId = Requests.pathId(ctx, "id", "account");
      JsonObject body = Requests.jsonBody(ctx, FIELDS);
      String email = Requests.requiredString(body, "email", 254).trim();
      String password = Requests.requiredString(body, "password", Passwords.MAX_LENGTH);
      String badEmail = Logins.invalidEmail(email);
      if (badEmail != null) throw DomainException.invalid(badEmail);
      String weak = Passwords.weakness(password);
      if (weak != null) throw DomainException.invalid("'password': " + weak);
      return kit.hashPassword(password)
          .compose(hash -> logins.set(accountId, email, hash))
          .compose(v -> kit.sessions().closeAll(Sessions.Kind.CUSTOMER, accountId))
          .map(v -> ApiResponse.json(200, new JsonObject().put("accountId", accountId).put("email", email)));
    });
  }
}
