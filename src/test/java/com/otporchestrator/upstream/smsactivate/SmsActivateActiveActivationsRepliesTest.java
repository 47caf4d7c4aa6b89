package com.otporchestrator.upstream.smsactivate;

import static com.otporchestrator.upstream.smsactivate.SmsActivateSamples.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.upstream.smsactivate.SmsActivateReplies.Parsed;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("sms-activate replies to getActiveActivations")
class SmsActivateActiveActivationsRepliesTest {
  private final SmsActivateReplies replies = new SmsActivateReplies(SmsActivateConfig.MOSCOW);

  @Test
  @DisplayName("read the documented activeActivations list with string ids")
  void documented() {
    String body = """
        { "status": "success", "activeActivations": [
          { "activationId": "635468021", "serviceCode": "vk", "activationStatus": "4", "canGetAnotherSms": "1" },
          { "activationId": "635468022", "serviceCode": "tg" } ] }""";
    assertThat(replies.activeIds(ok(body))).isEqualTo(new Parsed.Ok<>(List.of("635468021", "635468022")));
  }

  @Test
  @DisplayName("read Hero's data[] with numeric ids and its legacy row object, without duplicates")
  void hero() {
    String body = """
        { "status": "success",
          "data": [ { "activationId": 316232158, "currency": 840 }, { "activationId": "316232159" } ],
          "activeActivations": { "affected_rows": 0, "num_rows": 1,
            "row": { "id": "316232158", "service": "dr" }, "rows": [] } }""";
    assertThat(replies.activeIds(ok(body))).isEqualTo(new Parsed.Ok<>(List.of("316232158", "316232159")));
  }

  @Test
  @DisplayName("NO_ACTIVATIONS, as text or as a JSON error, is an empty list")
  void none() {
    assertThat(replies.activeIds(ok("NO_ACTIVATIONS"))).isEqualTo(new Parsed.Ok<>(List.of()));
    assertThat(replies.activeIds(ok("{\"status\":\"error\",\"error\":\"NO_ACTIVATIONS\"}")))
        .isEqualTo(new Parsed.Ok<>(List.of()));
  }

  @Test
  @DisplayName("an unreadable reply is never an empty list")
  void unreadableIsNotEmpty() {
    assertThat(replies.activeIds(reply(502, HTML_502))).isInstanceOf(Parsed.Unreadable.class);
    assertThat(replies.activeIds(ok("{\"status\":\"success\"}"))).isInstanceOf(Parsed.Unreadable.class);
  }
}
