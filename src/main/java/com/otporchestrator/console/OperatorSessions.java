package com.otporchestrator.console;

import com.otporchestrator.staff.Person;
import com.otporchestrator.staff.StaffService;
import com.otporchestrator.web.SessionGuard;
import com.otporchestrator.web.Sessions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The operator console's guard ({@link SessionGuard}): the {@value #COOKIE} cookie names a live operator session
 * whose person still exists and is active. Separate from the customer console's cookie and path.
 */
final class OperatorSessions implements Handler<RoutingContext> {
  static final String COOKIE = "otp_console_session";
  static final String PATH = "/console";
  private static final String PERSON = "console.person";

  private final SessionGuard<Person> guard;

  OperatorSessions(Sessions sessions, StaffService staff) {
    this.guard = new SessionGuard<>(sessions, Sessions.Kind.OPERATOR, COOKIE, PATH, PERSON, staff::find);
  }

  /** The signed-in person of a request the guard let through. */
  static Person person(RoutingContext ctx) {
    return ctx.get(PERSON);
  }

  @Override
  public void handle(RoutingContext ctx) {
    guard.handle(ctx);
  }

  Future<Optional<Person>> current(RoutingContext ctx) {
    return guard.current(ctx);
  }

  Future<Void> signIn(RoutingContext ctx, Person person) {
    return guard.signIn(ctx, person.id());
  }

  Future<Void> signOut(RoutingContext ctx) {
    return guard.signOut(ctx);
  }

  /** A redirect target after login: only a path of this console. */
  static String safeNext(String next) {
    return SessionGuard.safeNext(PATH, next);
  }
}
