package com.otporchestrator.upstream.smsactivate;

import static com.otporchestrator.upstream.smsactivate.SmsActivateSamples.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.upstream.Allocation;
import com.otporchestrator.upstream.smsactivate.SmsActivateReplies.Parsed;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("sms-activate replies to a purchase")
class SmsActivatePurchaseRepliesTest {
  private final SmsActivateReplies replies = new SmsActivateReplies(SmsActivateConfig.MOSCOW);

  private Parsed<Allocation> allocation(SmsActivateReply reply) {
    return replies.allocation(reply, NOW);
  }

  @Test
  @DisplayName("read ACCESS_NUMBER as the activation id and phone, without an end time")
  void textNumber() {
    assertThat(allocation(ok("ACCESS_NUMBER:3936040355:6285872391152")))
        .isEqualTo(new Parsed.Ok<>(new Allocation("3936040355", "6285872391152", null)));
  }

  @Test
  @DisplayName("read the documented getNumberV2 form with a numeric id beyond int range exactly")
  void minimalV2() {
    String body = """
        { "activationId": 31623215812, "phoneNumber": "79295000000", "activationCost": 7.50,
          "currency": 840, "countryCode": "0", "canGetAnotherSms": "1",
          "activationTime": "2025-05-14 11:10:42", "activationOperator": null }""";
    assertThat(allocation(ok(body)))
        .isEqualTo(new Parsed.Ok<>(new Allocation("31623215812", "79295000000", null)));
  }

  @Test
  @DisplayName("read Hero's getNumberV2 and turn its 20-minute window into expiresAt")
  void heroV2() {
    String body = """
        { "activationId": "316232158", "phoneNumber": "66812345678", "activationCost": 0.0608,
          "currency": 840, "countryCode": 52, "countryPhoneCode": 66, "canGetAnotherSms": true,
          "activationTime": "2026-04-26 19:57:12", "activationEndTime": "2026-04-26 20:17:12",
          "activationOperator": "truemove", "serviceCode": "dr", "subtype": 1 }""";
    assertThat(allocation(ok(body)))
        .isEqualTo(new Parsed.Ok<>(new Allocation("316232158", "66812345678", NOW.plus(Duration.ofMinutes(20)))));
  }

  @Test
  @DisplayName("read an end time without a start time in the upstream's zone")
  void endTimeWithoutStart() {
    String body = "{\"activationId\":1,\"phoneNumber\":\"7900\",\"activationEndTime\":\"2026-04-26 20:17:12\"}";
    assertThat(allocation(ok(body)))
        .isEqualTo(new Parsed.Ok<>(new Allocation("1", "7900", Instant.parse("2026-04-26T17:17:12Z"))));
  }

  @Test
  @DisplayName("treat NO_NUMBERS as text with HTTP 200 as no stock")
  void textNoNumbers() {
    assertThat(allocation(ok("NO_NUMBERS"))).isEqualTo(new Parsed.Refused<>("NO_NUMBERS"));
  }

  @Test
  @DisplayName("treat Hero's 404 NO_NUMBERS envelope as no stock")
  void heroNoNumbers() {
    assertThat(allocation(reply(404, "{\"title\":\"NO_NUMBERS\",\"details\":\"Numbers Not Found. Try Later\"}")))
        .isEqualTo(new Parsed.Refused<>("NO_NUMBERS"));
  }

  @Test
  @DisplayName("keep the minimum price of WRONG_MAX_PRICE, as text or as Hero JSON")
  void wrongMaxPrice() {
    assertThat(allocation(ok("WRONG_MAX_PRICE:6.50"))).isEqualTo(new Parsed.Refused<>("WRONG_MAX_PRICE:6.50"));
    assertThat(allocation(reply(400, "{\"title\":\"WRONG_MAX_PRICE\",\"info\":{\"min\":0.1234}}")))
        .isEqualTo(new Parsed.Refused<>("WRONG_MAX_PRICE:0.1234"));
  }

  @Test
  @DisplayName("keep the ban end of BANNED")
  void banned() {
    assertThat(allocation(ok("BANNED:'2026-4-27 10-00-00'")))
        .isEqualTo(new Parsed.Refused<>("BANNED:'2026-4-27 10-00-00'"));
  }

  @Test
  @DisplayName("treat Hero's 401 BAD_KEY and 402 NO_BALANCE as refusals")
  void heroAccountErrors() {
    assertThat(allocation(reply(401, "{\"title\":\"BAD_KEY\",\"details\":\"Invalid API key\"}")))
        .isEqualTo(new Parsed.Refused<>("BAD_KEY"));
    assertThat(allocation(reply(402, "{\"title\":\"NO_BALANCE\",\"details\":\"\"}")))
        .isEqualTo(new Parsed.Refused<>("NO_BALANCE"));
  }

  @Test
  @DisplayName("report Tiger's BAD_ACTION so the caller can fall back to getNumber")
  void tigerBadAction() {
    Parsed<Allocation> parsed = allocation(ok("BAD_ACTION"));
    assertThat(SmsActivateReplies.isBadAction(parsed)).isTrue();
  }

  @Test
  @DisplayName("leave the outcome unknown on HTML 502, ERROR_SQL, unknown tokens or a JSON without id")
  void unknownOutcomes() {
    assertThat(allocation(reply(502, HTML_502))).isInstanceOf(Parsed.Unreadable.class);
    assertThat(allocation(ok("ERROR_SQL"))).isInstanceOf(Parsed.Unreadable.class);
    assertThat(allocation(ok("SOMETHING_NEW"))).isInstanceOf(Parsed.Unreadable.class);
    assertThat(allocation(ok("{\"phoneNumber\":\"7900\"}"))).isInstanceOf(Parsed.Unreadable.class);
    assertThat(allocation(ok("ACCESS_NUMBER:123"))).isInstanceOf(Parsed.Unreadable.class);
    assertThat(allocation(reply(0, null))).isInstanceOf(Parsed.Unreadable.class);
  }
}
