package com.otporchestrator.upstream.smshub;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.upstream.smshub.PushSms.Parsed;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PushSms.parse")
class PushSmsTest {

  private static JsonObject body() {
    return new JsonObject("""
        {"smsId":1,"phoneFrom":"Vk","phone":79281234567,"text":"VK: 33708 is your code","action":"PUSH_SMS","key":"k"}""");
  }

  private static PushSms valid(JsonObject body) {
    Parsed parsed = PushSms.parse(body);
    assertThat(parsed).isInstanceOf(Parsed.Valid.class);
    return ((Parsed.Valid) parsed).sms();
  }

  private static String error(JsonObject body) {
    Parsed parsed = PushSms.parse(body);
    assertThat(parsed).isInstanceOf(Parsed.Invalid.class);
    return ((Parsed.Invalid) parsed).error();
  }

  @Test
  @DisplayName("reads a push whose numeric fields are JSON numbers, as the protocol wants")
  void readsAProtocolConformingPush() {
    assertThat(valid(body())).isEqualTo(new PushSms(1L, "79281234567", "Vk", "VK: 33708 is your code"));
  }

  @Test
  @DisplayName("tolerates smsId and phone sent as strings, and a plus on the phone")
  void toleratesNumbersSentAsStrings() {
    PushSms sms = valid(body().put("smsId", "355").put("phone", "+79281234567"));

    assertThat(sms.smsId()).isEqualTo(355L);
    assertThat(sms.phone()).isEqualTo("79281234567");
  }

  @Test
  @DisplayName("accepts a push without smsId or sender, leaving them null")
  void acceptsAPushWithoutSmsIdOrSender() {
    JsonObject body = body();
    body.remove("smsId");
    body.remove("phoneFrom");

    PushSms sms = valid(body);

    assertThat(sms.smsId()).isNull();
    assertThat(sms.phoneFrom()).isNull();
    assertThat(sms.toIncomingSms(Instant.EPOCH).providerSmsId()).isNull();
  }

  @Test
  @DisplayName("refuses a push without text")
  void refusesAPushWithoutText() {
    JsonObject body = body();
    body.remove("text");

    assertThat(error(body)).isEqualTo("text is missing");
  }

  @Test
  @DisplayName("refuses a body whose action is not PUSH_SMS")
  void refusesAnotherAction() {
    assertThat(error(body().put("action", "GET_NUMBER"))).isEqualTo("action must be PUSH_SMS, got \"GET_NUMBER\"");
  }

  @Test
  @DisplayName("refuses a phone that is not an integer or is too short to carry a country code")
  void refusesABadPhone() {
    assertThat(error(body().put("phone", "7928-123"))).startsWith("phone must be an integer");
    assertThat(error(body().put("phone", 123))).isEqualTo("phone must have 7 to 15 digits, got 123");
  }

  @Test
  @DisplayName("refuses an smsId that is not a non-negative integer")
  void refusesABadSmsId() {
    assertThat(error(body().put("smsId", 1.5))).isEqualTo("smsId must be a non-negative integer, got 1.5");
    assertThat(error(body().put("smsId", -3))).isEqualTo("smsId must be a non-negative integer, got -3");
  }

  @Test
  @DisplayName("checks the key in the body against ours")
  void checksTheKey() {
    assertThat(PushSms.keyMatches(body(), "k")).isTrue();
    assertThat(PushSms.keyMatches(body(), "other")).isFalse();
    assertThat(PushSms.keyMatches(new JsonObject(), "k")).isFalse();
  }

  @Test
  @DisplayName("turns into an IncomingSms keyed by the agent's smsId")
  void turnsIntoAnIncomingSms() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    assertThat(valid(body()).toIncomingSms(now).providerSmsId()).isEqualTo("1");
    assertThat(valid(body()).toIncomingSms(now).text()).isEqualTo("VK: 33708 is your code");
  }
}
