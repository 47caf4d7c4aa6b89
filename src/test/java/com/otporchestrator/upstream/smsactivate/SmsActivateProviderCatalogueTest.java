package com.otporchestrator.upstream.smsactivate;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.upstream.StockLine;
import com.otporchestrator.upstream.UpstreamException;
import com.otporchestrator.upstream.smsactivate.FakeSmsActivateUpstream.Dialect;
import com.otporchestrator.upstream.smsactivate.FakeSmsActivateUpstream.State;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("SmsActivateProvider stock, openActivationIds and requestAnotherCode over HTTP")
class SmsActivateProviderCatalogueTest extends FakeUpstreamFixture {
  private static final StockLine[] FAKE_STOCK = {
      new StockLine("dr", 52, "any", 5, 50_000L),
      new StockLine("tg", 0, "any", 7, 12_500_000L),
      new StockLine("wa", 22, "any", 0, 300_000L)};

  @Test
  @DisplayName("reads getPrices with numeric costs")
  void stockNumbers(VertxTestContext ctx) {
    expectSuccess(provider.stock(), ctx, lines -> {
      assertThat(lines).containsExactlyInAnyOrder(FAKE_STOCK);
      assertThat(upstream.lastRequest().get("action")).isEqualTo("getPrices");
    });
  }

  @Test
  @DisplayName("reads Tiger's getPrices with string costs and counts")
  void stockStrings(VertxTestContext ctx) {
    upstream.speak(Dialect.TIGER);
    expectSuccess(provider.stock(), ctx, lines -> assertThat(lines).containsExactlyInAnyOrder(FAKE_STOCK));
  }

  @Test
  @DisplayName("lists open activations from the documented activeActivations list")
  void openIds(VertxTestContext ctx) {
    String open = upstream.addActivation();
    String cancelled = upstream.addActivation();
    expectSuccess(provider.close(cancelled, false).compose(c -> provider.openActivationIds()), ctx, ids ->
        assertThat(ids).containsExactly(open));
  }

  @Test
  @DisplayName("lists open activations from Hero's data[] with numeric ids")
  void openIdsHero(VertxTestContext ctx) {
    upstream.speak(Dialect.HERO);
    String first = upstream.addActivation();
    String second = upstream.addActivation();
    expectSuccess(provider.openActivationIds(), ctx, ids -> assertThat(ids).containsExactly(first, second));
  }

  @Test
  @DisplayName("reads NO_ACTIVATIONS as an empty list")
  void noActivations(VertxTestContext ctx) {
    expectSuccess(provider.openActivationIds(), ctx, ids -> assertThat(ids).isEmpty());
  }

  @Test
  @DisplayName("reads Hero's empty data[] as an empty list")
  void noActivationsHero(VertxTestContext ctx) {
    upstream.speak(Dialect.HERO);
    expectSuccess(provider.openActivationIds(), ctx, ids -> assertThat(ids).isEmpty());
  }

  @Test
  @DisplayName("fails rather than answering an empty list when the reply is a 502 page")
  void openIdsNeverEmptyOnGarbage(VertxTestContext ctx) {
    upstream.scriptNext("getActiveActivations", upstream.html502());
    expectFailure(provider.openActivationIds(), ctx, error ->
        assertThat(error).isInstanceOf(UpstreamException.UnknownOutcome.class));
  }

  @Test
  @DisplayName("asks for another code with setStatus 3")
  void anotherCode(VertxTestContext ctx) {
    String id = upstream.addActivation();
    upstream.deliverSms(id, "123456", "code 123456");
    expectSuccess(provider.requestAnotherCode(id), ctx, nothing -> {
      assertThat(upstream.lastRequest().get("status")).isEqualTo("3");
      assertThat(upstream.state(id)).isEqualTo(State.RETRY);
    });
  }

  @Test
  @DisplayName("is rejected when asking another code for an unknown activation")
  void anotherCodeUnknownActivation(VertxTestContext ctx) {
    expectFailure(provider.requestAnotherCode("999"), ctx, error ->
        assertThat(error).isInstanceOfSatisfying(UpstreamException.Rejected.class,
            rejected -> assertThat(rejected.token()).isEqualTo("NO_ACTIVATION")));
  }
}
