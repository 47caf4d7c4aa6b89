package com.otporchestrator.api;

import com.otporchestrator.common.DomainException;
import com.otporchestrator.common.DomainException.Kind;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Admin endpoints take {@code Authorization: Bearer <ADMIN_TOKEN>}, compared in constant time. The shared token is for
 * automation: its changes are recorded as {@code token}, or {@code token:<name>} with the optional {@code X-Admin-Actor}
 * header (a statement by the caller, not an identity we verified). A person logged in to the operator console is
 * recorded as {@code staff:<email>} (the console passes it to the services itself).
 */
public final class AdminAuth implements Handler<RoutingContext> {
  private static final java.util.regex.Pattern ACTOR = java.util.regex.Pattern.compile("[A-Za-z0-9._@+-]{1,64}");
  private final byte[] token;

  public AdminAuth(String adminToken) {
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

  /** Who is acting: the token, named by {@code X-Admin-Actor}; a malformed name is refused rather than recorded. */
  public static String actor(RoutingContext ctx) {
    String raw = ctx.request().getHeader("X-Admin-Actor");
    if (raw == null || raw.isEmpty()) return "token";
    if (!ACTOR.matcher(raw).matches()) {
      throw DomainException.invalid("'X-Admin-Actor' must be 1 to 64 letters, digits or . _ @ + -");
    }
    return "token:" + raw;
  }
}
