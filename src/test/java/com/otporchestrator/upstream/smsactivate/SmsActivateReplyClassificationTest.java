package com.otporchestrator.upstream.smsactivate;

import static com.otporchestrator.upstream.smsactivate.SmsActivateSamples.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.upstream.smsactivate.SmsActivateReply.Empty;
import com.otporchestrator.upstream.smsactivate.SmsActivateReply.Garbage;
import com.otporchestrator.upstream.smsactivate.SmsActivateReply.Token;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("sms-activate replies are classified")
class SmsActivateReplyClassificationTest {
  @Test
  @DisplayName("a token is trimmed, upper-cased and split on colons tolerating spaces")
  void tokenIsTolerant() {
    assertThat(ok("  access_number: 3936040355 : 6285872391152 \n"))
        .isInstanceOfSatisfying(Token.class, t -> {
          assertThat(t.name()).isEqualTo("ACCESS_NUMBER");
          assertThat(t.arguments()).containsExactly("3936040355", "6285872391152");
        });
  }

  @Test
  @DisplayName("an HTML 502 page is garbage")
  void html502IsGarbage() {
    assertThat(reply(502, HTML_502)).isInstanceOf(Garbage.class);
  }

  @Test
  @DisplayName("an HTML page served with HTTP 200 is garbage too")
  void html200IsGarbage() {
    assertThat(ok(HTML_502)).isInstanceOf(Garbage.class);
  }

  @Test
  @DisplayName("a Cloudflare 403 'error code: 1020' is garbage, not a token")
  void cloudflareIsGarbage() {
    assertThat(reply(403, "error code: 1020")).isInstanceOf(Garbage.class);
  }

  @Test
  @DisplayName("a 5xx is garbage even when its body looks like an error envelope")
  void serverErrorEnvelopeIsGarbage() {
    assertThat(reply(500, "{\"title\":\"ERROR_SQL\",\"details\":\"db\"}")).isInstanceOf(Garbage.class);
  }

  @Test
  @DisplayName("broken JSON is garbage")
  void brokenJsonIsGarbage() {
    assertThat(ok("{\"activationId\": 1,")).isInstanceOf(Garbage.class);
  }

  @Test
  @DisplayName("an empty 204 is an empty reply")
  void noContentIsEmpty() {
    assertThat(reply(204, "")).isInstanceOf(Empty.class);
  }

  @Test
  @DisplayName("Hero's JSON error envelope becomes a token carrying its info")
  void heroEnvelopeIsToken() {
    assertThat(reply(409, "{\"title\":\"EARLY_CANCEL_DENIED\",\"details\":\"wait\",\"info\":{\"minActivationTime\":90}}"))
        .isInstanceOfSatisfying(Token.class, t -> {
          assertThat(t.name()).isEqualTo("EARLY_CANCEL_DENIED");
          assertThat(t.info().getInteger("minActivationTime")).isEqualTo(90);
        });
  }

  @Test
  @DisplayName("a JSON status:error object becomes its error token")
  void statusErrorObjectIsToken() {
    assertThat(ok("{\"status\":\"error\",\"error\":\"NO_ACTIVATIONS\"}"))
        .isInstanceOfSatisfying(Token.class, t -> assertThat(t.name()).isEqualTo("NO_ACTIVATIONS"));
  }
}
