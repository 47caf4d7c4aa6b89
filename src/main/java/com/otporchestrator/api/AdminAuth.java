package com.otporchestrator.api;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Admin endpoints take {@code Authorization: Bearer <ADMIN_TOKEN>}, compared in constant time. */
final class AdminAuth implements Handler<RoutingContext> {
  private final byte[] token;

  AdminAuth(String adminToken) {
    this.token = adminToken.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String presented = Requests.bearer(ctx);
    if (presented == null || !MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ctx.fail(new DomainException(Kind.UNAUTHORIZED, "a valid admin token is required"));
      return;
    }
    ctx.next();
  }
}
