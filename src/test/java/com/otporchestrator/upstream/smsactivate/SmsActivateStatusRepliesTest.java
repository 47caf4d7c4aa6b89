package com.otporchestrator.upstream.smsactivate;

import static com.otporchestrator.upstream.smsactivate.SmsActivateSamples.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.upstream.IncomingSms;
import com.otporchestrator.upstream.PollResult;
import com.otporchestrator.upstream.PollResult.UpstreamStatus;
import com.otporchestrator.upstream.smsactivate.SmsActivateReplies.Parsed;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("sms-activate replies to a status read")
class SmsActivateStatusRepliesTest {
  private final SmsActivateReplies replies = new SmsActivateReplies(SmsActivateConfig.MOSCOW);

  private PollResult status(SmsActivateReply reply) {
    Parsed<PollResult> parsed = replies.status(reply);
    assertThat(parsed).isInstanceOf(Parsed.Ok.class);
    return ((Parsed.Ok<PollResult>) parsed).value();
  }

  @Test
  @DisplayName("STATUS_WAIT_CODE means waiting")
  void waitCode() {
    assertThat(status(ok("STATUS_WAIT_CODE"))).isEqualTo(new PollResult(UpstreamStatus.WAITING, List.of()));
  }

  @Test
  @DisplayName("STATUS_OK:<code> is one message keyed by its code")
  void statusOk() {
    assertThat(status(ok("STATUS_OK: 123456")).messages())
        .containsExactly(new IncomingSms("c:123456", null, null, "123456", null));
  }

  @Test
  @DisplayName("STATUS_WAIT_RETRY:<code> means waiting: that code was delivered earlier")
  void waitRetry() {
    assertThat(status(ok("STATUS_WAIT_RETRY:123456"))).isEqualTo(new PollResult(UpstreamStatus.WAITING, List.of()));
  }

  @Test
  @DisplayName("STATUS_CANCEL and NO_ACTIVATION mean closed")
  void cancel() {
    assertThat(status(ok("STATUS_CANCEL")).status()).isEqualTo(UpstreamStatus.CLOSED);
    assertThat(status(ok("NO_ACTIVATION")).status()).isEqualTo(UpstreamStatus.CLOSED);
  }

  @Test
  @DisplayName("an exotic token is UNKNOWN, never an error")
  void unknownToken() {
    assertThat(status(ok("STATUS_WAIT_SCREEN")).status()).isEqualTo(UpstreamStatus.UNKNOWN);
  }

  @Test
  @DisplayName("getStatusV2 with sms null means waiting")
  void v2Waiting() {
    assertThat(status(ok("{\"verificationType\":0,\"sms\":null,\"call\":null}")).status())
        .isEqualTo(UpstreamStatus.WAITING);
  }

  @Test
  @DisplayName("getStatusV2 keys the message on dateTime and code and reads the time in Moscow")
  void v2Message() {
    String body = """
        { "verificationType": 0,
          "sms": { "dateTime": "2022-06-01 16:59:16", "code": "123456", "text": "Your verification code is 123456" },
          "call": null }""";
    assertThat(status(ok(body))).isEqualTo(new PollResult(UpstreamStatus.CODE_RECEIVED, List.of(
        new IncomingSms("t:2022-06-01 16:59:16:123456", null, "Your verification code is 123456", "123456",
            Instant.parse("2022-06-01T13:59:16Z")))));
  }

  @Test
  @DisplayName("a numeric code in getStatusV2 is read as text")
  void v2NumericCode() {
    assertThat(status(ok("{\"sms\":{\"dateTime\":\"2022-06-01 16:59:16\",\"code\":4821}}")).messages())
        .extracting(IncomingSms::code).containsExactly("4821");
  }

  @Test
  @DisplayName("a code missing from getStatusV2 is extracted from the text")
  void v2CodeFromText() {
    assertThat(status(ok("{\"sms\":{\"dateTime\":\"2022-06-01 16:59:16\",\"code\":null,\"text\":\"G-123-456 is your code\"}}"))
        .messages()).extracting(IncomingSms::code).containsExactly("123-456");
  }

  @Test
  @DisplayName("the same SMS read twice gets the same id; a new SMS after a retry does not")
  void syntheticIdsDedupe() {
    String first = "{\"sms\":{\"dateTime\":\"2022-06-01 16:59:16\",\"code\":\"111111\"}}";
    String again = "{\"sms\":{\"dateTime\":\"2022-06-01 17:03:00\",\"code\":\"111111\"}}";
    String id = status(ok(first)).messages().getFirst().providerSmsId();
    assertThat(status(ok(first)).messages().getFirst().providerSmsId()).isEqualTo(id);
    assertThat(status(ok(again)).messages().getFirst().providerSmsId()).isNotEqualTo(id);
  }

  @Test
  @DisplayName("a present message wins over an unknown status")
  void messageWinsOverUnknownStatus() {
    assertThat(status(ok("{\"status\":\"STRANGE\",\"sms\":{\"code\":\"9876\"}}")).status())
        .isEqualTo(UpstreamStatus.CODE_RECEIVED);
  }

  @Test
  @DisplayName("BAD_ACTION on getStatusV2 is reported so the caller falls back; HTML is unreadable")
  void badActionAndHtml() {
    assertThat(SmsActivateReplies.isBadAction(replies.status(ok("BAD_ACTION")))).isTrue();
    assertThat(replies.status(reply(502, HTML_502))).isInstanceOf(Parsed.Unreadable.class);
  }
}
