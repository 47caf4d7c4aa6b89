package com.otporchestrator.upstream.smsactivate;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A small sms-activate compatible upstream speaking the real {@code handler_api.php} protocol, with
 * switchable dialects and scripted faults. All state is guarded by the instance lock because tests
 * arrange it from the JUnit thread while the server answers on the event loop. Public so that
 * whole-node tests can route orders to it over real HTTP.
 */
public final class FakeSmsActivateUpstream {
  public static final String API_KEY = "test-key-0123456789";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  public enum Dialect {
    /** Classic sms-activate: text errors with HTTP 200, V2 actions. */
    SMS_ACTIVATE,
    /** Hero-SMS: JSON error envelopes with real HTTP statuses, string ids, activationEndTime. */
    HERO,
    /** Tiger SMS: text only (V2 actions answer BAD_ACTION), prices as strings. */
    TIGER
  }

  public enum State { WAITING, CODE, RETRY, FINISHED, CANCELLED }

  record Sms(String code, String text, String dateTime) {}

  static final class Activation {
    final String phone;
    State state = State.WAITING;
    final List<Sms> messages = new ArrayList<>();

    Activation(String phone) {
      this.phone = phone;
    }
  }

  private record Offer(String cost, int count) {}

  private final Vertx vertx;
  private HttpServer server;
  private Dialect dialect = Dialect.SMS_ACTIVATE;
  private final Map<String, Deque<Consumer<HttpServerRequest>>> scripts = new HashMap<>();
  private final List<MultiMap> requests = new ArrayList<>();
  private final Map<String, Activation> activations = new LinkedHashMap<>();
  private final Map<String, Offer> offers = new LinkedHashMap<>();
  private int earlyCancelDenials;
  private int minActivationTime;
  private long nextId = 3_936_040_355L;
  private long nextPhone = 66_812_345_000L;
  private LocalDateTime clock = LocalDateTime.of(2026, 4, 26, 19, 57, 12);

  public FakeSmsActivateUpstream(Vertx vertx) {
    this.vertx = vertx;
    offers.put("52/dr", new Offer("0.05", 5));
    offers.put("0/tg", new Offer("12.50", 7));
    offers.put("22/wa", new Offer("0.30", 0));
  }

  public Future<Integer> start() {
    return vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
        .map(s -> {
          server = s;
          return s.actualPort();
        });
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  // ---- arranging

  public synchronized FakeSmsActivateUpstream speak(Dialect dialect) {
    this.dialect = dialect;
    return this;
  }

  synchronized String addActivation() {
    String id = Long.toString(nextId++);
    activations.put(id, new Activation(Long.toString(nextPhone++)));
    return id;
  }

  public synchronized void deliverSms(String id, String code, String text) {
    clock = clock.plusMinutes(1);
    Activation a = activations.get(id);
    a.messages.add(new Sms(code, text, TIME.format(clock)));
    a.state = State.CODE;
  }

  public synchronized void denyEarlyCancel(int times, int minActivationTime) {
    this.earlyCancelDenials = times;
    this.minActivationTime = minActivationTime;
  }

  /** The next request for {@code action} gets {@code reply} instead of the normal protocol answer. */
  synchronized void scriptNext(String action, Consumer<HttpServerRequest> reply) {
    scripts.computeIfAbsent(action, a -> new ArrayDeque<>()).add(reply);
  }

  public synchronized State state(String id) {
    return activations.get(id).state;
  }

  public synchronized List<String> actions() {
    return requests.stream().map(r -> r.get("action")).toList();
  }

  synchronized MultiMap lastRequest() {
    return requests.getLast();
  }

  /** The parameters of every request for {@code action} so far, oldest first. */
  public synchronized List<MultiMap> requests(String action) {
    return requests.stream().filter(r -> action.equals(r.get("action"))).toList();
  }

  // ---- scripted replies

  Consumer<HttpServerRequest> text(int status, String body) {
    return req -> req.response().setStatusCode(status).putHeader("content-type", "text/plain").end(body);
  }

  Consumer<HttpServerRequest> html502() {
    return req -> req.response().setStatusCode(502).putHeader("content-type", "text/html")
        .end("<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>");
  }

  Consumer<HttpServerRequest> noContent() {
    return req -> req.response().setStatusCode(204).end();
  }

  /** An error the way the current dialect sends it. */
  Consumer<HttpServerRequest> error(String token, int heroStatus, JsonObject info) {
    return req -> error(req, token, heroStatus, info);
  }

  /** The normal answer, after a delay: the upstream acts, but the reply may come too late. */
  Consumer<HttpServerRequest> delayed(Duration delay) {
    return req -> {
      vertx.setTimer(delay.toMillis(), t -> {
        synchronized (this) {
          answer(req);
        }
      });
    };
  }

  // ---- the protocol

  private synchronized void handle(HttpServerRequest req) {
    requests.add(MultiMap.caseInsensitiveMultiMap().addAll(req.params()));
    Deque<Consumer<HttpServerRequest>> script = scripts.get(req.getParam("action"));
    try {
      if (script != null && !script.isEmpty()) {
        script.poll().accept(req);
      } else {
        answer(req);
      }
    } catch (RuntimeException bugInTheFake) {
      bugInTheFake.printStackTrace();
      req.response().setStatusCode(500).end("FAKE UPSTREAM BUG: " + bugInTheFake);
    }
  }

  private void answer(HttpServerRequest req) {
    if (!API_KEY.equals(req.getParam("api_key"))) {
      error(req, "BAD_KEY", 401, null);
      return;
    }
    String action = String.valueOf(req.getParam("action"));
    boolean v2 = action.endsWith("V2");
    if (v2 && dialect == Dialect.TIGER) {
      error(req, "BAD_ACTION", 400, null);
      return;
    }
    switch (action) {
      case "getPrices" -> prices(req);
      case "getNumber", "getNumberV2" -> buy(req, v2);
      case "getStatus", "getStatusV2" -> status(req, v2);
      case "setStatus" -> setStatus(req);
      case "getActiveActivations" -> activeActivations(req);
      default -> error(req, "BAD_ACTION", 400, null);
    }
  }

  private void prices(HttpServerRequest req) {
    JsonObject byCountry = new JsonObject();
    offers.forEach((key, offer) -> {
      String[] countryAndService = key.split("/");
      JsonObject line = dialect == Dialect.TIGER
          ? new JsonObject().put("cost", offer.cost()).put("count", Integer.toString(offer.count()))
          : new JsonObject().put("cost", Double.parseDouble(offer.cost())).put("count", offer.count()).put("physicalCount", 0);
      JsonObject byService = byCountry.getJsonObject(countryAndService[0], new JsonObject());
      byCountry.put(countryAndService[0], byService.put(countryAndService[1], line));
    });
    json(req, 200, byCountry);
  }

  private void buy(HttpServerRequest req, boolean v2) {
    String country = req.getParam("country");
    Offer offer = offers.get(country + "/" + req.getParam("service"));
    if (offer == null || offer.count() == 0) {
      error(req, "NO_NUMBERS", 404, null);
      return;
    }
    String maxPrice = req.getParam("maxPrice");
    if (maxPrice != null && new BigDecimal(maxPrice).compareTo(new BigDecimal(offer.cost())) < 0) {
      error(req, "WRONG_MAX_PRICE", 400, new JsonObject().put("min", Double.parseDouble(offer.cost())));
      return;
    }
    String id = addActivation();
    String phone = activations.get(id).phone;
    if (!v2) {
      text(req, "ACCESS_NUMBER:" + id + ":" + phone);
      return;
    }
    boolean hero = dialect == Dialect.HERO;
    JsonObject number = new JsonObject()
        .put("activationId", hero ? id : (Object) Long.parseLong(id))
        .put("phoneNumber", phone)
        .put("activationCost", Double.parseDouble(offer.cost()))
        .put("currency", 840)
        .put("countryCode", hero ? (Object) Integer.parseInt(country) : country)
        .put("canGetAnotherSms", hero ? (Object) true : "1")
        .put("activationTime", TIME.format(clock));
    if (hero) number.put("activationEndTime", TIME.format(clock.plusMinutes(20)));
    json(req, 200, number);
  }

  private void status(HttpServerRequest req, boolean v2) {
    Activation a = activations.get(req.getParam("id"));
    if (a == null) {
      error(req, "NO_ACTIVATION", 404, null);
    } else if (a.state == State.CANCELLED || (a.state == State.FINISHED && a.messages.isEmpty())) {
      text(req, "STATUS_CANCEL"); // Hero answers a closed getStatusV2 with this text, too
    } else if (v2) {
      Sms last = a.messages.isEmpty() ? null : a.messages.getLast();
      JsonObject sms = last == null ? null
          : new JsonObject().put("dateTime", last.dateTime()).put("code", last.code()).put("text", last.text());
      json(req, 200, new JsonObject().put("verificationType", 0).put("sms", sms).putNull("call"));
    } else {
      text(req, switch (a.state) {
        case WAITING -> "STATUS_WAIT_CODE";
        case RETRY -> "STATUS_WAIT_RETRY:" + a.messages.getLast().code();
        default -> "STATUS_OK:" + a.messages.getLast().code();
      });
    }
  }

  private void setStatus(HttpServerRequest req) {
    Activation a = activations.get(req.getParam("id"));
    String status = String.valueOf(req.getParam("status"));
    if (a == null) {
      error(req, "NO_ACTIVATION", 404, null);
    } else if (a.state == State.CANCELLED || a.state == State.FINISHED) {
      if (dialect == Dialect.HERO) error(req, "ACTIVATION_NOT_ACTIVE", 409, null);
      else text(req, a.state == State.CANCELLED ? "STATUS_CANCEL" : "ACCESS_ACTIVATION");
    } else {
      switch (status) {
        case "3" -> retry(req, a);
        case "6" -> {
          a.state = State.FINISHED;
          text(req, "ACCESS_ACTIVATION");
        }
        case "8" -> cancel(req, a);
        default -> error(req, "BAD_STATUS", 400, null);
      }
    }
  }

  private void retry(HttpServerRequest req, Activation a) {
    if (a.state != State.CODE) {
      error(req, "BAD_STATUS", 400, null);
      return;
    }
    a.state = State.RETRY;
    text(req, "ACCESS_RETRY_GET");
  }

  private void cancel(HttpServerRequest req, Activation a) {
    if (!a.messages.isEmpty()) {
      error(req, "OTP_RECEIVED", 409, null);
    } else if (earlyCancelDenials > 0) {
      earlyCancelDenials--;
      error(req, "EARLY_CANCEL_DENIED", 409, new JsonObject().put("minActivationTime", minActivationTime));
    } else {
      a.state = State.CANCELLED;
      text(req, "ACCESS_CANCEL");
    }
  }

  private void activeActivations(HttpServerRequest req) {
    List<String> open = activations.entrySet().stream()
        .filter(e -> e.getValue().state != State.CANCELLED && e.getValue().state != State.FINISHED)
        .map(Map.Entry::getKey).toList();
    if (dialect == Dialect.HERO) {
      JsonArray data = new JsonArray();
      open.forEach(id -> data.add(new JsonObject().put("activationId", Long.parseLong(id)).put("currency", 840)));
      JsonObject legacy = new JsonObject().put("num_rows", open.size()).put("rows", new JsonArray());
      if (!open.isEmpty()) legacy.put("row", new JsonObject().put("id", open.getFirst()));
      json(req, 200, new JsonObject().put("status", "success").put("data", data).put("activeActivations", legacy));
    } else if (open.isEmpty()) {
      text(req, "NO_ACTIVATIONS");
    } else {
      JsonArray rows = new JsonArray();
      open.forEach(id -> rows.add(new JsonObject().put("activationId", id).put("activationStatus", "4")
          .put("canGetAnotherSms", "1")));
      json(req, 200, new JsonObject().put("status", "success").put("activeActivations", rows));
    }
  }

  // ---- wire formats

  private void error(HttpServerRequest req, String token, int heroStatus, JsonObject info) {
    if (dialect == Dialect.HERO) {
      JsonObject body = new JsonObject().put("title", token).put("details", token.toLowerCase(Locale.ROOT));
      if (info != null) body.put("info", info);
      json(req, heroStatus, body);
    } else {
      boolean withMin = info != null && info.containsKey("min");
      text(req, withMin ? token + ":" + BigDecimal.valueOf(info.getDouble("min")).toPlainString() : token);
    }
  }

  private static void text(HttpServerRequest req, String body) {
    req.response().putHeader("content-type", "text/plain").end(body);
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
