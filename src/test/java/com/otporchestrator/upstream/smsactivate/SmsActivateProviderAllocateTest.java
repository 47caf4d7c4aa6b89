package com.otporchestrator.upstream.smsactivate;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.upstream.Allocation;
import com.otporchestrator.upstream.AllocationRequest;
import com.otporchestrator.upstream.UpstreamException;
import com.otporchestrator.upstream.smsactivate.FakeSmsActivateUpstream.Dialect;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("SmsActivateProvider.allocate over HTTP")
class SmsActivateProviderAllocateTest extends FakeUpstreamFixture {
  private static final AllocationRequest DR_IN_THAILAND =
      new AllocationRequest("dr", 52, null, 60_000, List.of("66812", "66899"));

  @Test
  @DisplayName("buys with getNumberV2, sending service, country, operator, maxPrice and phoneException")
  void buysWithV2(VertxTestContext ctx) {
    expectSuccess(provider.allocate(DR_IN_THAILAND), ctx, allocation -> {
      assertThat(allocation).isEqualTo(new Allocation("3936040355", "66812345000", null));
      MultiMap sent = upstream.lastRequest();
      assertThat(sent.get("action")).isEqualTo("getNumberV2");
      assertThat(sent.get("api_key")).isEqualTo(FakeSmsActivateUpstream.API_KEY);
      assertThat(sent.get("service")).isEqualTo("dr");
      assertThat(sent.get("country")).isEqualTo("52");
      assertThat(sent.get("operator")).isEqualTo("any");
      assertThat(sent.get("maxPrice")).isEqualTo("0.06");
      assertThat(sent.get("phoneException")).isEqualTo("66812,66899");
    });
  }

  @Test
  @DisplayName("takes Hero's activationEndTime as the expiry: twenty minutes from now")
  void heroExpiry(VertxTestContext ctx) {
    upstream.speak(Dialect.HERO);
    expectSuccess(provider.allocate(DR_IN_THAILAND), ctx, allocation ->
        assertThat(allocation.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(20))));
  }

  @Test
  @DisplayName("falls back to getNumber when the upstream lacks V2 (Tiger), and remembers it")
  void tigerFallback(VertxTestContext ctx) {
    upstream.speak(Dialect.TIGER);
    expectSuccess(provider.allocate(DR_IN_THAILAND).compose(first -> provider.allocate(DR_IN_THAILAND)), ctx,
        second -> {
          assertThat(second.providerActivationId()).isEqualTo("3936040356");
          assertThat(upstream.actions()).containsExactly("getNumberV2", "getNumber", "getNumber");
        });
  }

  @Test
  @DisplayName("fails with NoNumbers on the text NO_NUMBERS token")
  void noNumbersText(VertxTestContext ctx) {
    expectFailure(provider.allocate(new AllocationRequest("wa", 22, "any", 0, List.of())), ctx, error ->
        assertThat(error).isInstanceOf(UpstreamException.NoNumbers.class));
  }

  @Test
  @DisplayName("fails with NoNumbers on Hero's 404 JSON NO_NUMBERS")
  void noNumbersHero(VertxTestContext ctx) {
    upstream.speak(Dialect.HERO);
    expectFailure(provider.allocate(new AllocationRequest("wa", 22, "any", 0, List.of())), ctx, error ->
        assertThat(error).isInstanceOf(UpstreamException.NoNumbers.class));
  }

  @Test
  @DisplayName("is rejected with the upstream's minimum price when the payout is too low (text)")
  void wrongMaxPriceText(VertxTestContext ctx) {
    expectFailure(provider.allocate(new AllocationRequest("dr", 52, "any", 10_000, List.of())), ctx, error ->
        assertThat(error).isInstanceOfSatisfying(UpstreamException.Rejected.class,
            rejected -> assertThat(rejected.token()).isEqualTo("WRONG_MAX_PRICE:0.05")));
  }

  @Test
  @DisplayName("is rejected with the upstream's minimum price when the payout is too low (Hero JSON 400)")
  void wrongMaxPriceHero(VertxTestContext ctx) {
    upstream.speak(Dialect.HERO);
    expectFailure(provider.allocate(new AllocationRequest("dr", 52, "any", 10_000, List.of())), ctx, error ->
        assertThat(error).isInstanceOfSatisfying(UpstreamException.Rejected.class,
            rejected -> assertThat(rejected.token()).isEqualTo("WRONG_MAX_PRICE:0.05")));
  }

  @Test
  @DisplayName("is rejected with BAD_KEY on Hero's 401 for a wrong key")
  void badKey(VertxTestContext ctx) {
    upstream.speak(Dialect.HERO);
    expectFailure(providerWithKey("wrong").allocate(DR_IN_THAILAND), ctx, error ->
        assertThat(error).isInstanceOfSatisfying(UpstreamException.Rejected.class,
            rejected -> assertThat(rejected.token()).isEqualTo("BAD_KEY")));
  }

  @ParameterizedTest(name = "is rejected on {0}")
  @ValueSource(strings = {"NO_BALANCE", "BAD_SERVICE", "WRONG_SERVICE", "WRONG_COUNTRY", "BANNED:'2026-4-27 10-00-00'",
      "CHANNELS_LIMIT", "ACCOUNT_INACTIVE", "SERVICE_NOT_AVAILABLE", "WRONG_EXCEPTION_PHONE", "NO_KEY"})
  void definiteRefusals(String token, VertxTestContext ctx) {
    upstream.scriptNext("getNumberV2", upstream.text(200, token));
    expectFailure(provider.allocate(DR_IN_THAILAND), ctx, error ->
        assertThat(error).isInstanceOfSatisfying(UpstreamException.Rejected.class,
            rejected -> assertThat(rejected.token()).isEqualTo(token)));
  }

  @ParameterizedTest(name = "is rejected on Hero''s JSON {0}")
  @ValueSource(strings = {"NO_BALANCE", "CHANNELS_LIMIT", "ACCOUNT_INACTIVE", "BANNED"})
  void definiteHeroRefusals(String token, VertxTestContext ctx) {
    upstream.speak(Dialect.HERO);
    upstream.scriptNext("getNumberV2", upstream.error(token, 403, new JsonObject().put("scope", "global")));
    expectFailure(provider.allocate(DR_IN_THAILAND), ctx, error ->
        assertThat(error).isInstanceOfSatisfying(UpstreamException.Rejected.class,
            rejected -> assertThat(rejected.token()).isEqualTo(token)));
  }

  @Test
  @DisplayName("is rejected with BAD_ACTION when even getNumber is unknown")
  void badActionAfterFallback(VertxTestContext ctx) {
    upstream.scriptNext("getNumberV2", upstream.text(200, "BAD_ACTION"));
    upstream.scriptNext("getNumber", upstream.text(200, "BAD_ACTION"));
    expectFailure(provider.allocate(DR_IN_THAILAND), ctx, error -> {
      assertThat(error).isInstanceOfSatisfying(UpstreamException.Rejected.class,
          rejected -> assertThat(rejected.token()).isEqualTo("BAD_ACTION"));
      assertThat(upstream.actions()).containsExactly("getNumberV2", "getNumber");
    });
  }

  @Test
  @DisplayName("has an unknown outcome when the reply comes after the client timeout, and the key stays secret")
  void slowReplyIsUnknown(VertxTestContext ctx) {
    upstream.scriptNext("getNumberV2", upstream.delayed(TOO_SLOW));
    expectFailure(provider.allocate(DR_IN_THAILAND), ctx, error -> {
      assertThat(error).isInstanceOf(UpstreamException.UnknownOutcome.class);
      assertThat(error.getMessage()).doesNotContain(FakeSmsActivateUpstream.API_KEY);
    });
  }

  @Test
  @DisplayName("lets a timed-out purchase be reconciled: the number shows up in openActivationIds")
  void timedOutPurchaseIsReconciled(VertxTestContext ctx) {
    upstream.scriptNext("getNumberV2", upstream.delayed(TOO_SLOW));
    Future<List<String>> openAfterTheLateReply = provider.allocate(DR_IN_THAILAND).transform(outcome -> {
      if (!(outcome.cause() instanceof UpstreamException.UnknownOutcome)) {
        return Future.failedFuture(new AssertionError("expected an unknown outcome, got " + outcome));
      }
      return vertx.timer(TOO_SLOW.minus(CLIENT_TIMEOUT).toMillis() + 300).compose(t -> provider.openActivationIds());
    });
    expectSuccess(openAfterTheLateReply, ctx, ids -> assertThat(ids).containsExactly("3936040355"));
  }

  @Test
  @DisplayName("has an unknown outcome on a 502 HTML page")
  void html502IsUnknown(VertxTestContext ctx) {
    upstream.scriptNext("getNumberV2", upstream.html502());
    expectFailure(provider.allocate(DR_IN_THAILAND), ctx, error ->
        assertThat(error).isInstanceOf(UpstreamException.UnknownOutcome.class));
  }

  @Test
  @DisplayName("has an unknown outcome on a Cloudflare 403 page")
  void cloudflareIsUnknown(VertxTestContext ctx) {
    upstream.scriptNext("getNumberV2", upstream.text(403, "error code: 1020"));
    expectFailure(provider.allocate(DR_IN_THAILAND), ctx, error ->
        assertThat(error).isInstanceOf(UpstreamException.UnknownOutcome.class));
  }

  @Test
  @DisplayName("has an unknown outcome on ERROR_SQL, which proves nothing")
  void errorSqlIsUnknown(VertxTestContext ctx) {
    upstream.scriptNext("getNumberV2", upstream.text(200, "ERROR_SQL"));
    expectFailure(provider.allocate(DR_IN_THAILAND), ctx, error ->
        assertThat(error).isInstanceOf(UpstreamException.UnknownOutcome.class));
  }

  @Test
  @DisplayName("has an unknown outcome on a Hero 500 envelope")
  void hero500IsUnknown(VertxTestContext ctx) {
    upstream.speak(Dialect.HERO);
    upstream.scriptNext("getNumberV2", upstream.error("INTERNAL_ERROR", 500, null));
    expectFailure(provider.allocate(DR_IN_THAILAND), ctx, error ->
        assertThat(error).isInstanceOf(UpstreamException.UnknownOutcome.class));
  }

  @Test
  @DisplayName("has an unknown outcome when nobody listens")
  void connectionRefusedIsUnknown(VertxTestContext ctx) {
    var closedPort = vertx.createHttpServer().requestHandler(r -> r.response().end()).listen(0, "127.0.0.1")
        .compose(server -> server.close().map(v -> server.actualPort()));
    expectFailure(closedPort.compose(port -> providerAt("http://127.0.0.1:" + port, "k").allocate(DR_IN_THAILAND)),
        ctx, error -> assertThat(error).isInstanceOf(UpstreamException.UnknownOutcome.class));
  }
}
