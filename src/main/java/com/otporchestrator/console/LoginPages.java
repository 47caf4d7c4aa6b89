package com.otporchestrator.console;

import com.otporchestrator.api.ClientAddress;
import com.otporchestrator.staff.StaffService;
import com.otporchestrator.web.Csrf;
import com.otporchestrator.web.LoginThrottle;
import com.otporchestrator.web.Page;
import com.otporchestrator.web.Pages;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code /console/login} and {@code /console/logout}: an operator's own email and password open a session. */
final class LoginPages {
  private static final String WRONG = "That email and password do not match an active operator.";
  private final Pages pages;
  private final OperatorSessions sessions;
  private final StaffService staff;
  private final LoginThrottle throttle;

  LoginPages(Pages pages, OperatorSessions sessions, StaffService staff, LoginThrottle throttle) {
    this.pages = pages;
    this.sessions = sessions;
    this.staff = staff;
    this.throttle = throttle;
  }

  void mount(Router router) {
    router.get("/console/login").handler(this::form);
    router.post("/console/login").handler(this::login);
    router.post("/console/logout").handler(this::logout);
  }

  private void form(RoutingContext ctx) {
    sessions.current(ctx).onSuccess(signedIn -> {
      String next = OperatorSessions.safeNext(ctx.request().getParam("next"));
      if (signedIn.isPresent()) ctx.response().putHeader("Location", next).setStatusCode(303).end();
      else show(ctx, 200, null, "", next);
    }).onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx, int status, String error, String email, String next) {
    Map<String, Object> params = new HashMap<>();
    params.put("page", new Page("Operator login", "console", null, Csrf.token(ctx), List.of(), List.of(), null));
    params.put("error", error);
    params.put("email", email == null ? "" : email);
    params.put("next", next);
    pages.render(ctx, status, "console/login.jte", params);
  }

  private void login(RoutingContext ctx) {
    String next = OperatorSessions.safeNext(ctx.request().getFormAttribute("next"));
    String email = Console.form(ctx, "email");
    String password = ctx.request().getFormAttribute("password");
    throttle.take(OperatorSessions.PATH, email, ClientAddress.of(ctx)).onSuccess(wait -> {
      if (wait > 0) {
        ctx.response().putHeader("Retry-After", String.valueOf((wait + 999) / 1000));
        show(ctx, 429, LoginThrottle.tooMany(wait), email, next);
      } else {
        signIn(ctx, email, password, next);
      }
    }).onFailure(ctx::fail);
  }

  private void signIn(RoutingContext ctx, String email, String password, String next) {
    staff.authenticate(email, password).onSuccess(person -> {
      if (person.isEmpty()) {
        show(ctx, 401, WRONG, email, next);
      } else {
        throttle.succeeded(OperatorSessions.PATH, email);
        sessions.signIn(ctx, person.get())
            .onSuccess(v -> ctx.response().putHeader("Location", next).setStatusCode(303).end())
            .onFailure(ctx::fail);
      }
    }).onFailure(ctx::fail);
  }

  private void logout(RoutingContext ctx) {
    sessions.signOut(ctx)
        .onSuccess(v -> ctx.response().putHeader("Location", "/console/login").setStatusCode(303).end())
        .onFailure(ctx::fail);
  }
}
