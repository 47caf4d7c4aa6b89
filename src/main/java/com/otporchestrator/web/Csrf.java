package com.otporchestrator.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Cross-site request forgery protection for every form of both consoles: the double-submit pattern. Each browser
 * holds a random token in an HttpOnly, SameSite=Lax cookie; every page renders it into its forms (a hidden
 * {@value #FIELD} field) and into the {@value #HEADER} header htmx sends. A state-changing request whose field or
 * header does not equal the cookie is refused with a 403 page before any handler runs. Another site can neither read
 * the cookie nor set it, so it cannot forge the field; a new token is issued at login and at logout. No server state:
 * any pod checks it.
 */
public final class Csrf implements Handler<RoutingContext> {
  public static final String COOKIE = "otp_csrf";
  public static final String FIELD = "_csrf";
  public static final String HEADER = "X-CSRF-Token";
  private static final String CURRENT = "csrf.token";

  private final Pages pages;

  Csrf(Pages pages) {
    this.pages = pages;
  }

  /** The browser's token, issuing one (a cookie on this response) when it has none. Call it while rendering a page. */
  public static String token(RoutingContext ctx) {
    String current = ctx.get(CURRENT);
    if (current != null) return current;
    String sent = WebCookies.get(ctx, COOKIE);
    return wellFormed(sent) ? remember(ctx, sent) : renew(ctx);
  }

  /** Issues a new token (at login and logout, so a token seen before them is worthless after). */
  public static String renew(RoutingContext ctx) {
    String token = Sessions.randomToken();
    WebCookies.set(ctx, COOKIE, token, "/", Sessions.LIFETIME.toSeconds());
    return remember(ctx, token);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
      ctx.next();
      return;
    }
    String cookie = WebCookies.get(ctx, COOKIE);
    String sent = ctx.request().getHeader(HEADER);
    if (sent == null) sent = ctx.request().getFormAttribute(FIELD);
    if (wellFormed(cookie) && sent != null && same(cookie, sent)) {
      ctx.next();
      return;
    }
    pages.error(ctx, 403, "This form was refused",
        "It did not carry this browser's security token (it may come from another site, or from a page opened "
            + "before you logged in or out). Go back, reload the page and send it again.");
  }

  private static String remember(RoutingContext ctx, String token) {
    ctx.put(CURRENT, token);
    return token;
  }

  private static boolean wellFormed(String token) {
    return token != null && token.length() == 43 && token.matches("[A-Za-z0-9_-]+");
  }

  private static boolean same(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
