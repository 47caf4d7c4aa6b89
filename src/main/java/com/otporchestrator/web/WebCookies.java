package com.otporchestrator.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * The consoles' cookies: HttpOnly, SameSite=Lax, Secure whenever the browser reached us over HTTPS (directly or
 * through a proxy that says so in X-Forwarded-Proto), scoped to their console's path.
 */
public final class WebCookies {
  private WebCookies() {}

  public static void set(RoutingContext ctx, String name, String value, String path, long maxAgeSeconds) {
    Cookie cookie = Cookie.cookie(name, value).setPath(path).setHttpOnly(true).setSameSite(CookieSameSite.LAX)
        .setSecure(https(ctx)).setMaxAge(maxAgeSeconds);
    ctx.response().addCookie(cookie);
  }

  public static void clear(RoutingContext ctx, String name, String path) {
    set(ctx, name, "", path, 0);
  }

  /** The value the browser sent, or null. */
  public static String get(RoutingContext ctx, String name) {
    Cookie cookie = ctx.request().getCookie(name);
    return cookie == null ? null : cookie.getValue();
  }

  static boolean https(RoutingContext ctx) {
    return ctx.request().isSSL() || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto"));
  }
}
