package com.otporchestrator.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request, for the whole router: method, path, query, status, duration. Secrets never
 * reach it: the values of {@code api_key} (sms-activate clients put it in the query) are masked, no
 * header is logged (so no Authorization), and bodies (where form posts carry the key) are not logged.
 */
public final class AccessLog implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger("access");
  private static final Set<String> SECRET_PARAMS = Set.of("api_key", "apikey", "key", "token");

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    HttpServerRequest request = ctx.request();
    String method = request.method().name();
    String path = request.path();
    String query = redactQuery(request.query());
    ctx.addEndHandler(done -> LOG.info("{} {}{} {} {}ms", method, path, query == null ? "" : "?" + query,
        ctx.response().getStatusCode(), (System.nanoTime() - start) / 1_000_000));
    ctx.next();
  }

  /** The raw query with the value of every secret parameter replaced by {@code ***}; null when there is none. */
  public static String redactQuery(String query) {
    if (query == null || query.isEmpty()) return null;
    StringBuilder out = new StringBuilder(query.length());
    for (String pair : query.split("&", -1)) {
      if (!out.isEmpty()) out.append('&');
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (SECRET_PARAMS.contains(decodedName(name))) {
        out.append(name).append("=***");
      } else {
        out.append(pair);
      }
    }
    return out.toString();
  }

  /** Percent-decodes a parameter name well enough to recognise an encoded {@code api%5Fkey}. */
  private static String decodedName(String name) {
    try {
      return java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).strip();
    } catch (IllegalArgumentException e) {
      return name.toLowerCase(Locale.ROOT);
    }
  }
}
