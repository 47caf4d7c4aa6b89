package com.otporchestrator.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * One console's guard (the customer console's and the operator console's differ only in what is named here): the
 * {@code cookie} names a live session of {@code kind}, whose subject {@code load} still finds; else the browser is
 * sent to the console's login page (an htmx request is told to go there with {@code HX-Redirect}).
 */
public final class SessionGuard<T> implements Handler<RoutingContext> {
  private final Sessions sessions;
  private final Sessions.Kind kind;
  private final String cookie;
  private final String path;
  private final String contextKey;
  private final Function<Long, Future<Optional<T>>> load;

  public SessionGuard(Sessions sessions, Sessions.Kind kind, String cookie, String path, String contextKey,
      Function<Long, Future<Optional<T>>> load) {
    this.sessions = sessions;
    this.kind = kind;
    this.cookie = cookie;
    this.path = path;
    this.contextKey = contextKey;
    this.load = load;
  }

  @Override
  public void handle(RoutingContext ctx) {
    current(ctx).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
      } else if (result.result().isPresent()) {
        ctx.put(contextKey, result.result().get());
        ctx.next();
      } else {
        toLogin(ctx);
      }
    });
  }

  /** The subject of the request's session, if it has a live one of this console's kind and may still log in. */
  public Future<Optional<T>> current(RoutingContext ctx) {
    return sessions.find(WebCookies.get(ctx, cookie)).compose(session -> {
      if (session.isEmpty() || session.get().kind() != kind) return Future.succeededFuture(Optional.<T>empty());
      return load.apply(session.get().subjectId());
    });
  }

  /** Opens a session for the subject {@code id}: the cookie, and a fresh CSRF token. */
  public Future<Void> signIn(RoutingContext ctx, long id) {
    return sessions.open(kind, id).map(opened -> {
      WebCookies.set(ctx, cookie, opened.token(), path, Sessions.LIFETIME.toSeconds());
      Csrf.renew(ctx);
      return null;
    });
  }

  public Future<Void> signOut(RoutingContext ctx) {
    return sessions.close(WebCookies.get(ctx, cookie)).map(v -> {
      WebCookies.clear(ctx, cookie, path);
      Csrf.renew(ctx);
      return null;
    });
  }

  private void toLogin(RoutingContext ctx) {
    String next = ctx.request().method().name().equals("GET") ? ctx.request().uri() : path;
    String location = path + "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
    if (Pages.htmx(ctx)) {
      ctx.response().putHeader("HX-Redirect", location).setStatusCode(401).end();
    } else {
      ctx.response().putHeader("Location", location).setStatusCode(303).end();
    }
  }

  /** A redirect target after login: only a path of the console under {@code path}, never another site. */
  public static String safeNext(String path, String next) {
    if (next == null || !next.startsWith(path) || next.startsWith("//") || next.contains("\\") || next.contains("\n")
        || next.contains("\r") || next.startsWith(path + "/login") || next.startsWith(path + "/logout")) {
      return path;
    }
    return next;
  }
}
