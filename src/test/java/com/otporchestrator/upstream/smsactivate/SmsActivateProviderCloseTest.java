package com.otporchestrator.upstream.smsactivate;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.upstream.CloseOutcome;
import com.otporchestrator.upstream.smsactivate.FakeSmsActivateUpstream.Dialect;
import com.otporchestrator.upstream.smsactivate.FakeSmsActivateUpstream.State;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SmsActivateProvider.close over HTTP")
class SmsActivateProviderCloseTest extends FakeUpstreamFixture {

  @Test
  @DisplayName("finishes with setStatus 6 when a code was delivered")
  void finishes(VertxTestContext ctx) {
    String id = upstream.addActivation();
    upstream.deliverSms(id, "123456", "code 123456");
    expectSuccess(provider.close(id, true), ctx, outcome -> {
      assertThat(outcome).isEqualTo(CloseOutcome.closed());
      assertThat(upstream.lastRequest().get("status")).isEqualTo("6");
      assertThat(upstream.state(id)).isEqualTo(State.FINISHED);
    });
  }

  @Test
  @DisplayName("cancels with setStatus 8 when no code was delivered")
  void cancels(VertxTestContext ctx) {
    String id = upstream.addActivation();
    expectSuccess(provider.close(id, false), ctx, outcome -> {
      assertThat(outcome).isEqualTo(CloseOutcome.closed());
      assertThat(upstream.lastRequest().get("status")).isEqualTo("8");
      assertThat(upstream.state(id)).isEqualTo(State.CANCELLED);
    });
  }

  @Test
  @DisplayName("waits for Hero's minActivationTime on EARLY_CANCEL_DENIED, then closes")
  void earlyCancelDeniedThenClosed(VertxTestContext ctx) {
    upstream.speak(Dialect.HERO);
    upstream.denyEarlyCancel(1, 90);
    String id = upstream.addActivation();
    expectSuccess(provider.close(id, false).compose(first -> provider.close(id, false).map(second -> List.of(first, second))),
        ctx, outcomes -> assertThat(outcomes).containsExactly(
            new CloseOutcome.TooEarly(Duration.ofSeconds(90), "EARLY_CANCEL_DENIED"), CloseOutcome.closed()));
  }

  @Test
  @DisplayName("waits until the activation is 120 seconds old on a text EARLY_CANCEL_DENIED")
  void earlyCancelDeniedText(VertxTestContext ctx) {
    upstream.denyEarlyCancel(1, 90);
    String id = upstream.addActivation();
    expectSuccess(provider.close(id, false), ctx, outcome ->
        assertThat(outcome).isEqualTo(new CloseOutcome.TooEarly(Duration.ofSeconds(120), "EARLY_CANCEL_DENIED")));
  }

  @Test
  @DisplayName("counts an activation already closed as closed (Hero ACTIVATION_NOT_ACTIVE, text STATUS_CANCEL)")
  void alreadyClosed(VertxTestContext ctx) {
    String textId = upstream.addActivation();
    var both = provider.close(textId, false).compose(first -> provider.close(textId, false))
        .compose(textAgain -> {
          upstream.speak(Dialect.HERO);
          return provider.close(textId, false).map(heroAgain -> List.of(textAgain, heroAgain));
        });
    expectSuccess(both, ctx, outcomes ->
        assertThat(outcomes).containsExactly(CloseOutcome.closed(), CloseOutcome.closed()));
  }

  @Test
  @DisplayName("counts an activation the upstream does not know (NO_ACTIVATION) as closed")
  void unknownActivation(VertxTestContext ctx) {
    expectSuccess(provider.close("999", false), ctx, outcome -> assertThat(outcome).isEqualTo(CloseOutcome.closed()));
  }

  @Test
  @DisplayName("is refused with OTP_RECEIVED when cancelling an activation that got a code")
  void otpReceived(VertxTestContext ctx) {
    upstream.speak(Dialect.HERO);
    String id = upstream.addActivation();
    upstream.deliverSms(id, "123456", "code 123456");
    expectSuccess(provider.close(id, false), ctx, outcome ->
        assertThat(outcome).isEqualTo(new CloseOutcome.Refused("OTP_RECEIVED")));
  }

  @Test
  @DisplayName("is refused on FREE_CANCELLATION_EXPIRED and BAD_STATUS")
  void refusals(VertxTestContext ctx) {
    upstream.scriptNext("setStatus", upstream.text(200, "FREE_CANCELLATION_EXPIRED"));
    upstream.scriptNext("setStatus", upstream.text(200, "BAD_STATUS"));
    expectSuccess(provider.close("1", false).compose(a -> provider.close("1", true).map(b -> List.of(a, b))), ctx,
        outcomes -> assertThat(outcomes).containsExactly(
            new CloseOutcome.Refused("FREE_CANCELLATION_EXPIRED"), new CloseOutcome.Refused("BAD_STATUS")));
  }

  @Test
  @DisplayName("retries shortly on NEW_OTP_RECEIVED")
  void newOtpReceived(VertxTestContext ctx) {
    upstream.speak(Dialect.HERO);
    upstream.scriptNext("setStatus", upstream.error("NEW_OTP_RECEIVED", 409, null));
    expectSuccess(provider.close("1", true), ctx, outcome ->
        assertThat(outcome).isEqualTo(new CloseOutcome.RetryLater(Duration.ofSeconds(5), "NEW_OTP_RECEIVED")));
  }

  @Test
  @DisplayName("counts Hero's HTTP 204 as closed")
  void noContent(VertxTestContext ctx) {
    upstream.scriptNext("setStatus", upstream.noContent());
    expectSuccess(provider.close("1", true), ctx, outcome -> assertThat(outcome).isEqualTo(CloseOutcome.closed()));
  }

  @Test
  @DisplayName("retries later on a 502 HTML page")
  void html502(VertxTestContext ctx) {
    upstream.scriptNext("setStatus", upstream.html502());
    expectSuccess(provider.close("1", false), ctx, outcome ->
        assertThat(outcome).isInstanceOfSatisfying(CloseOutcome.RetryLater.class,
            retry -> assertThat(retry.after()).isEqualTo(Duration.ofSeconds(30))));
  }

  @Test
  @DisplayName("retries later when the reply comes after the client timeout")
  void slowReply(VertxTestContext ctx) {
    String id = upstream.addActivation();
    upstream.scriptNext("setStatus", upstream.delayed(TOO_SLOW));
    expectSuccess(provider.close(id, false), ctx, outcome -> {
      assertThat(outcome).isInstanceOf(CloseOutcome.RetryLater.class);
      assertThat(((CloseOutcome.RetryLater) outcome).reason()).doesNotContain(FakeSmsActivateUpstream.API_KEY);
    });
  }
}
