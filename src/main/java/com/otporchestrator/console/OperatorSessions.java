package com.otporchestrator.console;

import com.otporchestrator.staff.Person;
import com.otporchestrator.staff.StaffService;
import com.otporchestrator.web.Csrf;
import com.otporchestrator.web.Pages;
import com.otporchestrator.web.Sessions;
import com.otporchestrator.web.WebCookies;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The operator console's guard: the {@value #COOKIE} cookie names a live operator session whose person still exists
 * and is active; else the browser goes to the login page. Separate from the customer console's cookie and path.
 */
final class OperatorSessions implements Handler<RoutingContext> {
  static final String COOKIE = "otp_console_session";
  static final String PATH = "/console";
  private static final String PERSON = "console.person";

  private final Sessions sessions;
  private final StaffService staff;

  OperatorSessions(Sessions sessions, StaffService staff) {
    this.sessions = sessions;
    this.staff = staff;
  }

  /** The signed-in person of a request the guard let through. */
  static Person person(RoutingContext ctx) {
    return ctx.get(PERSON);
  }

  @Override
  public void handle(RoutingContext ctx) {
    current(ctx).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(result.cause());
      } else if (result.result().isPresent()) {
        ctx.put(PERSON, result.result().get());
        ctx.next();
      } else {
        toLogin(ctx);
      }
    });
  }

  Future<Optional<Person>> current(RoutingContext ctx) {
    return sessions.find(WebCookies.get(ctx, COOKIE)).compose(session -> {
      if (session.isEmpty() || session.get().kind() != Sessions.Kind.OPERATOR) {
        return Future.succeededFuture(Optional.<Person>empty());
      }
      return staff.find(session.get().subjectId());
    });
  }

  Future<Void> signIn(RoutingContext ctx, Person person) {
    return sessions.open(Sessions.Kind.OPERATOR, person.id()).map(opened -> {
      WebCookies.set(ctx, COOKIE, opened.token(), PATH, Sessions.LIFETIME.toSeconds());
      Csrf.renew(ctx);
      return null;
    });
  }

  Future<Void> signOut(RoutingContext ctx) {
    return sessions.close(WebCookies.get(ctx, COOKIE)).map(v -> {
      WebCookies.clear(ctx, COOKIE, PATH);
      Csrf.renew(ctx);
      return null;
    });
  }

  private static void toLogin(RoutingContext ctx) {
    String next = ctx.request().method().name().equals("GET") ? ctx.request().uri() : PATH;
    String location = PATH + "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
    if (Pages.htmx(ctx)) {
      ctx.response().putHeader("HX-Redirect", location).setStatusCode(401).end();
    } else {
      ctx.response().putHeader("Location", location).setStatusCode(303).end();
    }
  }

  /** A redirect target after login: only a path of this console. */
  static String safeNext(String next) {
    if (next == null || !next.startsWith(PATH) || next.startsWith("//") || next.contains("\\") || next.contains("\n")
        || next.contains("\r") || next.startsWith(PATH + "/login") || next.startsWith(PATH + "/logout")) {
      return PATH;
    }
    return next;
  }
}
