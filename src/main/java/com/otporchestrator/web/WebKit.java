package com.otporchestrator.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/**
 * What every console is built on, built once per process: the page renderer, browser sessions, CSRF protection and
 * password hashing off the event loop. A console mounts its area with {@link #guardArea} before its routes and
 * {@link #fallback} after them.
 */
public final class WebKit {
  private final Vertx vertx;
  private final Pages pages = new Pages();
  private final Sessions sessions;
  private final Csrf csrf = new Csrf(pages);
  private final LoginThrottle logins;

  public WebKit(Vertx vertx, Pool pool, LoginThrottle logins) {
    this.vertx = vertx;
    this.sessions = new Sessions(pool);
    this.logins = logins;
  }

  /** The bound on login attempts every console's login form takes from before it verifies a password. */
  public LoginThrottle logins() {
    return logins;
  }

  public Pages pages() {
    return pages;
  }

  public Sessions sessions() {
    return sessions;
  }

  /**
   * Before a console's routes ({@code prefix} such as "/app"): the security headers, the CSRF check of every
   * state-changing request, and the console's error pages for failures.
   */
  public void guardArea(Router router, String prefix) {
    router.route(prefix).handler(Pages::securityHeaders);
    router.route(prefix + "/*").handler(Pages::securityHeaders);
    router.route(prefix + "/*").handler(csrf);
    router.route(prefix).failureHandler(pages.failures());
    router.route(prefix + "/*").failureHandler(pages.failures());
  }

  /** After a console's routes: any other path under {@code prefix} is the 404 page. */
  public void fallback(Router router, String prefix) {
    router.route(prefix + "/*").handler(pages::notFound);
  }

  /** The CSRF check alone, for routes mounted before the body handler (uploads) after their own body handler. */
  public Csrf csrf() {
    return csrf;
  }

  /** An Argon2id PHC string of {@code password}, computed on a worker thread. */
  public Future<String> hashPassword(String password) {
    return vertx.executeBlocking(() -> Passwords.hash(password), false);
  }

  /** Whether {@code password} matches {@code stored} (null: no such login, checked in constant work), on a worker. */
  public Future<Boolean> verifyPassword(String password, String stored) {
    return vertx.executeBlocking(() -> Passwords.verify(password, stored), false);
  }
}
