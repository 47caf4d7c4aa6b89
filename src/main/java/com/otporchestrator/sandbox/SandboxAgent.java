package com.otporchestrator.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent side of the SMSHub protocol: answers GET_SERVICES, GET_NUMBER and FINISH_ACTIVATION and
 * sends SMS on allocated numbers. Confined to the sandbox verticle's event loop.
 */
final class SandboxAgent {
  private static final String ANY_OPERATOR = "any";
  private static final Set<Integer> FINISH_STATUSES = Set.of(1, 3, 4, 5);
  private static final Set<Integer> CURRENCIES = Set.of(643, 840);

  private final Vertx vertx;
  private final SandboxSettings settings;
  private final SandboxCounters counters;
  private final Dice dice;
  private final NumberPool pool;
  private final SmsPusher pusher;
  private final Map<Long, SandboxActivation> activations = new HashMap<>();
  private final Map<String, SandboxActivation> openByPhone = new HashMap<>();
  /**
   * Starts from the clock (microsecond-sized steps), so a restarted sandbox never hands out an id an
   * earlier run already gave to an order stored in PostgreSQL; still exact as a JSON number.
   */
  private long lastActivationId = System.currentTimeMillis() * 1_000;
  private long lastSmsId = 0;

  SandboxAgent(Vertx vertx, SandboxSettings settings, SandboxCounters counters, Dice dice, SmsPusher pusher) {
    this.vertx = vertx;
    this.settings = settings;
    this.counters = counters;
    this.dice = dice;
    this.pusher = pusher;
    this.pool = new NumberPool(settings.stock(), dice);
  }

  JsonObject handle(JsonObject request) {
    if (!keyMatches(request.getValue("key"))) return error("BAD_KEY");
    Object action = request.getValue("action");
    if ("GET_SERVICES".equals(action)) return services();
    if ("GET_NUMBER".equals(action)) return number(request);
    if ("FINISH_ACTIVATION".equals(action)) return finish(request);
    return error("UNKNOWN_ACTION");
  }

  Future<Void> sendSms(String phone, String phoneFrom, String text) {
    SandboxActivation activation = openByPhone.get(phone);
    if (activation == null || activation.dead) {
      return Future.failedFuture(new IllegalStateException("no open activation holds phone " + phone));
    }
    return pusher.push(activation, ++lastSmsId, phoneFrom, text);
  }

  private JsonObject services() {
    JsonArray countryList = new JsonArray();
    pool.available().forEach((country, services) -> {
      JsonObject counts = new JsonObject();
      services.forEach(counts::put);
      countryList.add(new JsonObject()
          .put("country", country)
          .put("operatorMap", new JsonObject().put(ANY_OPERATOR, counts)));
    });
    return success().put("countryList", countryList);
  }

  private JsonObject number(JsonObject request) {
    if (!(request.getValue("country") instanceof String country) || !(request.getValue("service") instanceof String service)) {
      return error("BAD_REQUEST: country and service are required strings");
    }
    if (!(request.getValue("sum") instanceof Number)) return error("BAD_REQUEST: sum must be a JSON number");
    if (!(request.getValue("currency") instanceof Integer currency) || !CURRENCIES.contains(currency)) {
      return error("BAD_CURRENCY");
    }
    Object rentTime = request.getValue("rentTime");
    if (rentTime != null) {
      if (!(rentTime instanceof Integer hours) || hours < 1) return error("BAD_REQUEST: rentTime must be a positive integer");
      if (dice.roll(settings.noNumbersRate())) return noNumbers();
      return pool.takeForRent(country).map(phone -> rent(country, service, phone, hours)).orElseGet(this::noNumbers);
    }
    Object operator = request.getValue("operator");
    if ((operator != null && !ANY_OPERATOR.equals(operator)) || dice.roll(settings.noNumbersRate())) {
      return noNumbers();
    }
    Object reuse = request.getValue("reusePhone");
    if (reuse != null) {
      // our extension (docs/protocol-details.md): the same number again, for a reactivation or another service
      if (!(reuse instanceof Number number)) return error("BAD_REQUEST: reusePhone must be a JSON number");
      String phone = String.valueOf(number.longValue());
      return pool.takeAgain(country, service, phone).map(p -> allocate(country, service, p)).orElseGet(this::noNumbers);
    }
    return pool.take(country, service, prefixes(request.getValue("exceptionPhoneSet")))
        .map(phone -> allocate(country, service, phone))
        .orElseGet(this::noNumbers);
  }

  private JsonObject allocate(String country, String service, String phone) {
    SandboxActivation activation = new SandboxActivation(++lastActivationId, country, service, phone);
    activations.put(activation.id, activation);
    openByPhone.put(phone, activation);
    counters.allocated();
    if (dice.roll(settings.smsProbability())) scheduleCodeSms(activation);
    return success().put("number", Long.parseLong(phone)).put("activationId", activation.id);
  }

  /** A rental: no spontaneous SMS, the number stays open until FINISH_ACTIVATION (or until it is marked dead). */
  private JsonObject rent(String country, String service, String phone, int hours) {
    SandboxActivation activation = new SandboxActivation(++lastActivationId, country, service, phone);
    activation.rentHours = hours;
    activations.put(activation.id, activation);
    openByPhone.put(phone, activation);
    counters.allocated();
    return success().put("number", Long.parseLong(phone)).put("activationId", activation.id);
  }

  /** Kills a rented number: it receives nothing more, and closing it answers NUMBER_DEAD. False when no open number has it. */
  boolean markDead(String phone) {
    SandboxActivation activation = openByPhone.get(phone);
    if (activation == null) return false;
    activation.dead = true;
    return true;
  }

  private void scheduleCodeSms(SandboxActivation activation) {
    String code = String.format("%06d", dice.nextInt(1_000_000));
    String text = "Your " + activation.service + " code is " + code;
    activation.pendingSmsTimer = vertx.setTimer(Math.max(1, settings.smsDelay().toMillis()), timer -> {
      activation.pendingSmsTimer = null;
      if (activation.open()) pusher.push(activation, ++lastSmsId, senderName(activation.service), text);
    });
  }

  private JsonObject finish(JsonObject request) {
    if (!(request.getValue("activationId") instanceof Number id) || id.doubleValue() != Math.rint(id.doubleValue())) {
      return error("BAD_REQUEST: activationId must be an integer JSON number");
    }
    if (!(request.getValue("status") instanceof Integer status) || !FINISH_STATUSES.contains(status)) {
      return error("BAD_STATUS");
    }
    SandboxActivation activation = activations.get(id.longValue());
    if (activation == null) return settings.closesUnknown() ? success() : error("ACTIVATION_NOT_FOUND");
    if (!activation.open()) {
      counters.finishRepeated();
      return success();
    }
    activation.finishStatus = status;
    if (activation.pendingSmsTimer != null) vertx.cancelTimer(activation.pendingSmsTimer);
    // a reused number may already be held by a newer activation: it keeps the number
    boolean held = openByPhone.get(activation.phone) != activation && openByPhone.containsKey(activation.phone);
    openByPhone.remove(activation.phone, activation);
    if (activation.rentHours != null) {
      pool.releaseRental(activation.phone);
    } else if (held) {
      pool.releaseSlot(activation.country, activation.service);
    } else {
      pool.release(activation.country, activation.service, activation.phone);
    }
    counters.finished(status);
    return activation.dead ? error("NUMBER_DEAD") : success();
  }

  private JsonObject noNumbers() {
    counters.answeredNoNumbers();
    return new JsonObject().put("status", "NO_NUMBERS");
  }

  private boolean keyMatches(Object key) {
    return key instanceof String given
        && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), settings.key().getBytes(StandardCharsets.UTF_8));
  }

  /** exceptionPhoneSet entries may come as strings (the protocol's example) or numbers. */
  private static List<String> prefixes(Object exceptionPhoneSet) {
    List<String> prefixes = new ArrayList<>();
    if (exceptionPhoneSet instanceof JsonArray set) {
      set.forEach(entry -> {
        String digits = entry == null ? "" : entry.toString().replaceAll("\\D", "");
        if (!digits.isEmpty()) prefixes.add(digits);
      });
    }
    return prefixes;
  }

  private static String senderName(String service) {
    return service.isEmpty() ? "Sandbox" : Character.toUpperCase(service.charAt(0)) + service.substring(1);
  }

  private static JsonObject success() {
    return new JsonObject().put("status", "SUCCESS");
  }

  private static JsonObject error(String error) {
    return new JsonObject().put("status", "ERROR").put("error", error);
  }
}
