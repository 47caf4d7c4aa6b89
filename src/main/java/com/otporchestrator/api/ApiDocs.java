package com.otporchestrator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The API's contract and its docs page, served by the same process without authentication: {@code GET /openapi.json}
 * (the OpenAPI 3.1 document of /v1 and /admin/v1, kept in src/main/resources/openapi/openapi.yaml) and {@code GET /docs}
 * (swagger-ui, from its webjar). The document is read once, off the event loop, on the first request.
 */
public final class ApiDocs {
  static final String DOCUMENT = "openapi/openapi.yaml";
  /** The webjar's folder: its version is the pom's swagger-ui.version (ApiDocsTest fetches a file through it). */
  private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/5.35.0";
  private static final String PAGE = """
      <!doctype html>
      <html lang="en">
      <head>
        <meta charset="utf-8">
        <title>otp-orchestrator API</title>
        <link rel="stylesheet" href="/docs/swagger-ui/swagger-ui.css">
      </head>
      <body>
        <div id="swagger-ui"></div>
        <script src="/docs/swagger-ui/swagger-ui-bundle.js"></script>
        <script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });</script>
      </body>
      </html>
      """;

  private volatile Buffer json;

  public void mount(Router router) {
    router.get("/openapi.json").handler(this::document);
    router.get("/docs").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(PAGE));
    router.get("/docs/swagger-ui/*").handler(StaticHandler.create(SWAGGER_UI).setCachingEnabled(true));
  }

  private void document(RoutingContext ctx) {
    Buffer loaded = json;
    Future<Buffer> body = loaded != null ? Future.succeededFuture(loaded)
        : ctx.vertx().executeBlocking(ApiDocs::read).onSuccess(b -> json = b);
    body.onSuccess(b -> ctx.response().putHeader("Content-Type", "application/json").end(b)).onFailure(ctx::fail);
  }

  /** The document as JSON, read from the classpath (blocking: call it off the event loop). */
  public static Buffer read() {
    try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
      if (in == null) throw new IllegalStateException(DOCUMENT + " is missing from the classpath");
      Object tree = new ObjectMapper(new YAMLFactory()).readValue(in, Object.class);
      return Buffer.buffer(new ObjectMapper().writeValueAsBytes(tree));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
