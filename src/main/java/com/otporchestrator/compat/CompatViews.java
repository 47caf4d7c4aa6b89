package com.otporchestrator.compat;

import com.otporchestrator.activation.Activation;
import com.otporchestrator.activation.ActivationState;
import com.otporchestrator.common.Money;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The sms-activate shapes of our orders (docs/protocol-details.md): text tokens and JSON. Money
 * is a JSON number in USD (currency 840) written from its exact decimal, never through a double.
 */
final class CompatViews {
  static final int USD = 840;

  private CompatViews() {}

  static BigDecimal usd(long micros) {
    return new BigDecimal(Money.format(micros));
  }

  /** The numeric status sms-activate lists show: 4 waiting, 2 code received, 3 retry asked, 6 finished, 8 cancelled. */
  static String statusCode(ActivationState state) {
    return switch (state) {
      case ALLOCATING, WAITING_CODE -> "4";
      case CODE_RECEIVED -> "2";
      case WAITING_RETRY -> "3";
      case FINISHED -> "6";
      case CANCELLED, EXPIRED, FAILED -> "8";
    };
  }

  /** The last code, or the last SMS's text when no code could be read from it; null before any SMS. */
  static String shownCode(Activation a) {
    String code = a.lastCode();
    if (code != null) return code;
    Activation.ReceivedSms last = lastSms(a);
    return last == null ? null : last.text().strip();
  }

  static Activation.ReceivedSms lastSms(Activation a) {
    return a.sms().isEmpty() ? null : a.sms().get(a.sms().size() - 1);
  }

  /** getStatus. A finished order with a code still answers STATUS_OK:code (as Hero does). */
  static String status(Activation a) {
    String code = shownCode(a);
    return switch (a.state()) {
      case ALLOCATING, WAITING_CODE -> "STATUS_WAIT_CODE";
      case CODE_RECEIVED, FINISHED -> code == null ? "STATUS_CANCEL" : "STATUS_OK:" + code;
      case WAITING_RETRY -> "STATUS_WAIT_RETRY:" + code;
      case CANCELLED, EXPIRED, FAILED -> "STATUS_CANCEL";
    };
  }

  /** getStatusV2 while the order is not cancelled: the last SMS, or nulls while waiting. */
  static JsonObject statusV2(Activation a) {
    Activation.ReceivedSms last = lastSms(a);
    JsonObject sms = last == null ? null : new JsonObject()
        .put("dateTime", smsTime(last))
        .put("code", last.code() != null ? last.code() : last.text().strip())
        .put("text", last.text());
    return new JsonObject().put("verificationType", 0).put("sms", sms).put("call", null);
  }

  /** getFullSms: the whole last SMS once there is one and no other code was asked for. */
  static String fullSms(Activation a) {
    Activation.ReceivedSms last = lastSms(a);
    return switch (a.state()) {
      case ALLOCATING, WAITING_CODE, WAITING_RETRY -> "STATUS_WAIT_CODE";
      case CODE_RECEIVED, FINISHED -> last == null ? "STATUS_CANCEL" : "FULL_SMS:" + last.text();
      case CANCELLED, EXPIRED, FAILED -> "STATUS_CANCEL";
    };
  }

  /** getNumberV2. */
  static JsonObject number(Activation a, String operator) {
    return new JsonObject()
        .put("activationId", a.id())
        .put("phoneNumber", a.phone())
        .put("activationCost", usd(a.price()))
        .put("currency", USD)
        .put("countryCode", String.valueOf(a.country()))
        .put("canGetAnotherSms", "1")
        .put("activationTime", CompatTokens.time(a.createdAt()))
        .put("activationEndTime", CompatTokens.time(a.expiresAt()))
        .put("activationOperator", operator == null || operator.isBlank() ? "any" : operator);
  }

  /** One item of getActiveActivations. */
  static JsonObject active(Activation a, String countryName) {
    Activation.ReceivedSms last = lastSms(a);
    String code = shownCode(a);
    return new JsonObject()
        .put("activationId", String.valueOf(a.id()))
        .put("serviceCode", a.service())
        .put("phoneNumber", a.phone())
        .put("activationCost", usd(a.price()))
        .put("currency", USD)
        .put("activationStatus", statusCode(a.state()))
        .put("smsCode", code == null ? null : new JsonArray().add(code))
        .put("smsText", last == null ? null : last.text())
        .put("activationTime", CompatTokens.time(a.createdAt()))
        .put("countryCode", String.valueOf(a.country()))
        .put("countryName", countryName)
        .put("canGetAnotherSms", "1")
        .put("discount", "0")
        .put("repeated", "0");
  }

  /** One item of getHistory; {@code cost} is what the order finally costs: 0 once refunded. */
  static JsonObject history(Activation a) {
    Activation.ReceivedSms last = lastSms(a);
    boolean refunded = !a.state().open() && a.state() != ActivationState.FINISHED;
    return new JsonObject()
        .put("id", String.valueOf(a.id()))
        .put("date", CompatTokens.time(a.createdAt()))
        .put("phone", a.phone())
        .put("sms", last == null ? null : last.text())
        .put("cost", refunded ? BigDecimal.ZERO : usd(a.price()))
        .put("status", statusCode(a.state()))
        .put("currency", USD);
  }

  static JsonArray historyList(List<Activation> orders) {
    JsonArray list = new JsonArray();
    orders.forEach(a -> list.add(history(a)));
    return list;
  }

  private static String smsTime(Activation.ReceivedSms sms) {
    return sms.receivedAt() == null ? null : CompatTokens.time(OffsetDateTime.parse(sms.receivedAt()));
  }
}
