package com.otporchestrator.webhook;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A customer's webhook endpoint for tests, a real HTTP server on its own Vert.x. By path:
 * {@code /ok/...} answers 200; {@code /fail/...} answers 500; {@code /flaky/...} answers the first
 * delivery of an event 500, hangs the second past our 3-second budget, then answers 200.
 */
final class WebhookReceiver implements AutoCloseable {
  /** One request as received, and the status it was answered with (0: left hanging past the timeout). */
  record Hit(String path, String webhookId, String timestamp, String signature, String body, int status) {}

  private final Vertx vertx = Vertx.vertx();
  private final List<Hit> hits = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
  private final HttpServer server;

  WebhookReceiver() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  List<Hit> hits() {
    return List.copyOf(hits);
  }

  List<Hit> hitsFor(String webhookId) {
    return hits.stream().filter(h -> webhookId.equals(h.webhookId())).toList();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(buffer -> {
      String path = request.path();
      String id = request.getHeader("Webhook-Id");
      int n = seen.computeIfAbsent(path + "|" + id, k -> new AtomicInteger()).incrementAndGet();
      int status;
      if (path.startsWith("/fail")) status = 500;
      else if (path.startsWith("/flaky")) status = n == 1 ? 500 : n == 2 ? 0 : 200;
      else status = 200;
      hits.add(new Hit(path, id, request.getHeader("Webhook-Timestamp"), request.getHeader("Webhook-Signature"),
          buffer.toString(), status));
      if (status == 0) {
        vertx.setTimer(4_500, t -> request.response().setStatusCode(200).end().onFailure(e -> { }));
      } else {
        request.response().setStatusCode(status).end(status == 200 ? "ok" : "nope");
      }
    });
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
