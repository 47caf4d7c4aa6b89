package com.otporchestrator.upstream.smsactivate;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.upstream.IncomingSms;
import com.otporchestrator.upstream.PollResult;
import com.otporchestrator.upstream.PollResult.UpstreamStatus;
import com.otporchestrator.upstream.UpstreamException;
import com.otporchestrator.upstream.smsactivate.FakeSmsActivateUpstream.Dialect;
import io.vertx.core.Future;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SmsActivateProvider.poll over HTTP")
class SmsActivateProviderPollTest extends FakeUpstreamFixture {

  @Test
  @DisplayName("reports WAITING while no SMS has arrived")
  void waiting(VertxTestContext ctx) {
    String id = upstream.addActivation();
    expectSuccess(provider.poll(id), ctx, result -> {
      assertThat(result).isEqualTo(new PollResult(UpstreamStatus.WAITING, List.of()));
      assertThat(upstream.lastRequest().get("action")).isEqualTo("getStatusV2");
      assertThat(upstream.lastRequest().get("id")).isEqualTo(id);
    });
  }

  @Test
  @DisplayName("reports CODE_RECEIVED with the full text and a key made of the upstream's time and code")
  void codeReceived(VertxTestContext ctx) {
    String id = upstream.addActivation();
    upstream.deliverSms(id, "123456", "Your code is 123456");
    expectSuccess(provider.poll(id), ctx, result -> {
      assertThat(result.status()).isEqualTo(UpstreamStatus.CODE_RECEIVED);
      assertThat(result.messages()).containsExactly(new IncomingSms("t:2026-04-26 19:58:12:123456", null,
          "Your code is 123456", "123456", Instant.parse("2026-04-26T16:58:12Z")));
    });
  }

  @Test
  @DisplayName("keys the same SMS identically on every poll, and a new SMS after a retry differently")
  void dedupeKeys(VertxTestContext ctx) {
    String id = upstream.addActivation();
    upstream.deliverSms(id, "123456", "Your code is 123456");
    Future<List<String>> keys = provider.poll(id).compose(first -> provider.poll(id).compose(again ->
        provider.requestAnotherCode(id).compose(v -> {
          upstream.deliverSms(id, "123456", "Your code is 123456");
          return provider.poll(id);
        }).map(afterRetry -> List.of(key(first), key(again), key(afterRetry)))));
    expectSuccess(keys, ctx, k -> {
      assertThat(k.get(1)).isEqualTo(k.get(0));
      assertThat(k.get(2)).isNotEqualTo(k.get(0));
    });
  }

  @Test
  @DisplayName("reports CLOSED when the activation was cancelled (Hero answers getStatusV2 with text)")
  void cancelled(VertxTestContext ctx) {
    upstream.speak(Dialect.HERO);
    String id = upstream.addActivation();
    expectSuccess(provider.close(id, false).compose(closed -> provider.poll(id)), ctx, result ->
        assertThat(result).isEqualTo(new PollResult(UpstreamStatus.CLOSED, List.of())));
  }

  @Test
  @DisplayName("reports UNKNOWN for a status token it does not know, without failing")
  void unknownToken(VertxTestContext ctx) {
    String id = upstream.addActivation();
    upstream.scriptNext("getStatusV2", upstream.text(200, "STATUS_WAIT_SCREEN"));
    expectSuccess(provider.poll(id), ctx, result ->
        assertThat(result).isEqualTo(new PollResult(UpstreamStatus.UNKNOWN, List.of())));
  }

  @Test
  @DisplayName("falls back to getStatus on Tiger and reads STATUS_OK:<code> keyed by the code")
  void tigerStatusOk(VertxTestContext ctx) {
    upstream.speak(Dialect.TIGER);
    String id = upstream.addActivation();
    upstream.deliverSms(id, "4821", "4821 is your code");
    expectSuccess(provider.poll(id).compose(first -> provider.poll(id)), ctx, result -> {
      assertThat(result.messages()).containsExactly(new IncomingSms("c:4821", null, null, "4821", null));
      assertThat(upstream.actions()).containsExactly("getStatusV2", "getStatus", "getStatus");
    });
  }

  @Test
  @DisplayName("reports WAITING after a retry on Tiger (STATUS_WAIT_RETRY:<old code>)")
  void tigerWaitRetry(VertxTestContext ctx) {
    upstream.speak(Dialect.TIGER);
    String id = upstream.addActivation();
    upstream.deliverSms(id, "4821", "4821 is your code");
    expectSuccess(provider.requestAnotherCode(id).compose(v -> provider.poll(id)), ctx, result ->
        assertThat(result).isEqualTo(new PollResult(UpstreamStatus.WAITING, List.of())));
  }

  @Test
  @DisplayName("reports CLOSED for an activation the upstream does not know")
  void unknownActivation(VertxTestContext ctx) {
    expectSuccess(provider.poll("999"), ctx, result -> assertThat(result.status()).isEqualTo(UpstreamStatus.CLOSED));
  }

  @Test
  @DisplayName("fails with an unknown outcome on a 502 HTML page rather than inventing a status")
  void html502(VertxTestContext ctx) {
    upstream.scriptNext("getStatusV2", upstream.html502());
    expectFailure(provider.poll("1"), ctx, error ->
        assertThat(error).isInstanceOf(UpstreamException.UnknownOutcome.class));
  }

  private static String key(PollResult result) {
    return result.messages().getFirst().providerSmsId();
  }
}
