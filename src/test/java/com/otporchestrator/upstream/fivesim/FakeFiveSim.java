package com.otporchestrator.upstream.fivesim;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A 5sim.net account over real HTTP for tests, speaking the JSON and text shapes of 5sim
 * (docs/protocol-details.md): GET only, Bearer token, orders as JSON, errors as text. What it answers to a purchase
 * and to a close is set by the test ({@link #buyReply}, {@link #closeReply}).
 */
final class FakeFiveSim implements AutoCloseable {
  static final String TOKEN = "fivesim-test-token";

  /** What a buy answers. */
  enum Buy { OK, NO_FREE_PHONES, NO_BALANCE, NO_RATING, BAD_COUNTRY, JSON_GARBAGE, HTML_200, HTTP_502, EMPTY_200, HANG }

  /** What finish and cancel answer. */
  enum Close { OK, NEVER_CLOSES, HAS_SMS, WAIT, HANG }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final AtomicLong ids = new AtomicLong(11_631_250);
  private final Map<Long, JsonObject> orders = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  volatile Buy buyReply = Buy.OK;
  volatile Close closeReply = Close.OK;
  volatile boolean garbleChecks;

  FakeFiveSim() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  JsonObject order(long id) {
    return orders.get(id);
  }

  /** An SMS arrives on the order, as 5sim shows it on the next check. */
  void receiveSms(long id, String text, String code) {
    JsonObject order = orders.get(id);
    JsonArray sms = order.getJsonArray("sms") == null ? new JsonArray() : order.getJsonArray("sms");
    String now = Instant.now().toString();
    sms.add(new JsonObject().put("created_at", now).put("date", now).put("sender", "Telegram").put("text", text).put("code", code));
    order.put("sms", sms).put("status", "RECEIVED");
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    requests.add(path);
    if (!("Bearer " + TOKEN).equals(request.getHeader("Authorization"))) {
      request.response().setStatusCode(401).putHeader("Content-Type", "text/plain").end("Unauthorized");
      return;
    }
    String[] parts = path.split("/");
    if (path.startsWith("/v1/user/buy/activation/")) buy(request, parts[5], parts[6], parts[7]);
    else if (path.startsWith("/v1/user/check/")) check(request, Long.parseLong(parts[4]));
    else if (path.startsWith("/v1/user/finish/")) close(request, Long.parseLong(parts[4]), "FINISHED");
    else if (path.startsWith("/v1/user/cancel/")) close(request, Long.parseLong(parts[4]), "CANCELED");
    else if (path.startsWith("/v1/user/ban/")) close(request, Long.parseLong(parts[4]), "BANNED");
    else if (path.equals("/v1/user/orders")) list(request);
    else if (path.equals("/v1/guest/prices")) prices(request);
    else text(request, 404, "not found");
  }

  private void buy(HttpServerRequest request, String country, String operator, String product) {
    switch (buyReply) {
      case NO_FREE_PHONES -> text(request, 200, "no free phones");
      case NO_BALANCE -> text(request, 400, "not enough user balance");
      case NO_RATING -> text(request, 400, "not enough rating");
      case BAD_COUNTRY -> text(request, 400, "country is incorrect");
      case JSON_GARBAGE -> request.response().putHeader("Content-Type", "application/json").end("<html>oops</html>");
      case HTML_200 -> request.response().putHeader("Content-Type", "text/html").end("<html><body>Cloudflare</body></html>");
      case HTTP_502 -> text(request, 502, "Bad Gateway");
      case EMPTY_200 -> request.response().putHeader("Content-Type", "application/json").end("");
      case HANG -> { } // never answers
      case OK -> {
        long id = ids.incrementAndGet();
        Instant now = Instant.now();
        JsonObject order = new JsonObject().put("id", id).put("phone", "+7900" + String.format("%07d", id % 10_000_000))
            .put("operator", operator.equals("any") ? "beeline" : operator).put("product", product).put("price", 3)
            .put("status", "PENDING").put("expires", now.plusSeconds(900).toString()).put("sms", (Object) null)
            .put("created_at", now.toString()).put("forwarding", false).put("forwarding_number", "").put("country", country);
        orders.put(id, order);
        json(request, order);
      }
    }
  }

  private void check(HttpServerRequest request, long id) {
    JsonObject order = orders.get(id);
    if (order == null) text(request, 400, "order not found");
    else if (garbleChecks) text(request, 500, "internal error");
    else json(request, order);
  }

  private void close(HttpServerRequest request, long id, String status) {
    JsonObject order = orders.get(id);
    if (order == null) {
      text(request, 400, "order not found");
      return;
    }
    boolean hasSms = order.getJsonArray("sms") != null && !order.getJsonArray("sms").isEmpty();
    switch (closeReply) {
      case HANG -> { }
      case NEVER_CLOSES -> json(request, order); // answers the order, still RECEIVED
      case HAS_SMS -> text(request, 400, "order has sms");
      case WAIT -> text(request, 400, "you need to wait time");
      case OK -> {
        if (status.equals("FINISHED") && !hasSms) text(request, 400, "order no sms");
        else if (status.equals("CANCELED") && hasSms) text(request, 400, "order has sms");
        else json(request, order.put("status", status));
      }
    }
  }

  private void list(HttpServerRequest request) {
    JsonArray data = new JsonArray();
    orders.values().forEach(data::add);
    json(request, new JsonObject().put("Data", data).put("ProductNames", new JsonArray()).put("Statuses", new JsonArray())
        .put("Total", data.size()));
  }

  private void prices(HttpServerRequest request) {
    json(request, new JsonObject()
        .put("russia", new JsonObject().put("telegram", new JsonObject()
            .put("beeline", new JsonObject().put("cost", 20).put("count", 150).put("rate", 99))
            .put("mts", new JsonObject().put("cost", 22).put("count", 5).put("rate", 90)))
            .put("nosuchproduct", new JsonObject().put("any", new JsonObject().put("cost", 1).put("count", 1))))
        .put("england", new JsonObject().put("whatsapp", new JsonObject()
            .put("virtual8", new JsonObject().put("cost", 30).put("count", 7))))
        .put("atlantis", new JsonObject().put("telegram", new JsonObject()
            .put("any", new JsonObject().put("cost", 1).put("count", 1)))));
  }

  private static void json(HttpServerRequest request, JsonObject body) {
    request.response().putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
  }

  private static void text(HttpServerRequest request, int status, String body) {
    request.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
