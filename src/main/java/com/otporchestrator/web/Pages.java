package com.otporchestrator.web;

import com.otporchestrator.common.DomainException;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders the consoles' pages: jte templates from {@code src/main/jte}, compiled to classes at build time (the
 * jte-maven-plugin), so nothing is compiled at run time. Also the error pages (404, 403, 4xx with a reason, 500) and
 * the security headers every console response carries.
 */
public final class Pages {
  private static final Logger LOG = LoggerFactory.getLogger(Pages.class);
  static final String TEMPLATE_PACKAGE = "com.otporchestrator.web.templates";
  /** Scripts and styles only from this origin; no inline script, no framing, forms only to us. */
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";

  private final TemplateEngine engine =
      TemplateEngine.createPrecompiled(null, ContentType.Html, Pages.class.getClassLoader(), TEMPLATE_PACKAGE);

  /** Renders {@code template} (a path under src/main/jte, such as "app/home.jte") with its parameters. */
  public void render(RoutingContext ctx, int status, String template, Map<String, Object> params) {
    Utf8ByteOutput out = new Utf8ByteOutput();
    engine.render(template, params, out);
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(Buffer.buffer(out.toByteArray()));
  }

  /** Renders a fragment (an htmx swap or an event-stream payload) to a string. */
  public String fragment(String template, Map<String, Object> params) {
    gg.jte.output.StringOutput out = new gg.jte.output.StringOutput();
    engine.render(template, params, out);
    return out.toString();
  }

  /** An error page in the layout of the console the path belongs to. */
  public void error(RoutingContext ctx, int status, String heading, String detail) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    Page page = new Page(heading, area(ctx), null, Csrf.token(ctx), List.of(), List.of(), null);
    Map<String, Object> params = new HashMap<>();
    params.put("page", page);
    params.put("status", status);
    params.put("heading", heading);
    params.put("detail", detail);
    params.put("home", "/" + page.area());
    render(ctx, status, "error.jte", params);
  }

  public void notFound(RoutingContext ctx) {
    error(ctx, 404, "Page not found",
        "There is nothing at this address, or it belongs to another account.");
  }

  /**
   * The failure handler of a console's routes: a domain failure becomes its page (404 for another account's order,
   * 403, or the reason of a refused request), anything else a logged 500 without internals.
   */
  public Handler<RoutingContext> failures() {
    return ctx -> {
      Throwable failure = ctx.failure();
      if (failure instanceof DomainException domain) {
        switch (domain.kind()) {
          case NOT_FOUND -> notFound(ctx);
          case FORBIDDEN -> error(ctx, 403, "Not allowed", domain.getMessage());
          case UNAUTHORIZED -> error(ctx, 401, "Please log in", domain.getMessage());
          default -> error(ctx, 422, "That did not work", domain.getMessage());
        }
        return;
      }
      if (failure instanceof HttpException http && http.getStatusCode() < 500) {
        if (http.getStatusCode() == 404) notFound(ctx);
        else error(ctx, http.getStatusCode(), "That did not work", "The request was refused (" + http.getStatusCode() + ").");
        return;
      }
      if (failure == null && ctx.statusCode() > 0 && ctx.statusCode() < 500) {
        if (ctx.statusCode() == 404) notFound(ctx);
        else error(ctx, ctx.statusCode(), "That did not work", "The request was refused (" + ctx.statusCode() + ").");
        return;
      }
      LOG.error("console page failed: {} {}", ctx.request().method(), ctx.request().path(), failure);
      error(ctx, 500, "Something went wrong", "The page could not be shown. Nothing was changed twice: try again.");
    };
  }

  /** The headers every console response carries (pages, fragments, assets). */
  public static void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "same-origin");
    ctx.next();
  }

  /** Whether the request came from htmx (a fragment is answered rather than a whole page). */
  public static boolean htmx(RoutingContext ctx) {
    return "true".equals(ctx.request().getHeader("HX-Request"));
  }

  private static String area(RoutingContext ctx) {
    return ctx.request().path().startsWith("/console") ? "console" : "app";
  }
}
