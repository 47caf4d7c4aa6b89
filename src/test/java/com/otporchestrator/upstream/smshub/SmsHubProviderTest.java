package com.otporchestrator.upstream.smshub;

import static com.otporchestrator.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.otporchestrator.sandbox.SandboxSettings;
import com.otporchestrator.sandbox.SandboxSupplier;
import com.otporchestrator.upstream.Allocation;
import com.otporchestrator.upstream.AllocationRequest;
import com.otporchestrator.upstream.CloseOutcome;
import com.otporchestrator.upstream.PollResult;
import com.otporchestrator.upstream.StockLine;
import com.otporchestrator.upstream.UpstreamException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
@DisplayName("SmsHubProvider against the sandbox supplier over HTTP")
class SmsHubProviderTest {
  private static final String KEY = "test-key";
  private static final int RUSSIA = 0;
  private static final int USA = 187;
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private Vertx vertx;
  private WebClient client;

  @BeforeEach
  void createClient(Vertx vertx) {
    this.vertx = vertx;
    // No decompression on purpose: the sandbox gzips its replies, so the provider's own inflating is exercised.
    this.client = WebClient.create(vertx);
  }

  private SandboxSupplier sandbox(UnaryOperator<SandboxSettings.Builder> customise) {
    SandboxSettings settings = customise.apply(SandboxSettings.builder()
        .key(KEY)
        .smsProbability(0)
        .stock(Map.of("russia", Map.of("vk", 20, "tg", 0), "usa", Map.of("wa", 2), "atlantis", Map.of("vk", 5))))
        .build();
    SandboxSupplier sandbox = new SandboxSupplier(settings);
    result(vertx.deployVerticle(sandbox));
    return sandbox;
  }

  private SmsHubProvider provider(SandboxSupplier sandbox) {
    return new SmsHubProvider(client, new SmsHubConfig("hub", sandbox.agentUrl(), KEY, TIMEOUT));
  }

  private static AllocationRequest vkInRussia(String... excludedPrefixes) {
    return new AllocationRequest("vk", RUSSIA, "any", 60_800, List.of(excludedPrefixes));
  }

  @Test
  @DisplayName("stock lists every service per country and operator, and skips countries we do not map")
  void stockListsEveryServiceAndSkipsUnmappedCountries() {
    List<StockLine> stock = result(provider(sandbox(s -> s)).stock());

    assertThat(stock).containsExactlyInAnyOrder(
        new StockLine("vk", RUSSIA, "any", 20, null),
        new StockLine("tg", RUSSIA, "any", 0, null),
        new StockLine("wa", USA, "any", 2, null));
  }

  @Test
  @DisplayName("allocate returns the phone as digits with the country code and the activation id as text")
  void allocateReturnsPhoneDigitsAndActivationId() {
    SandboxSupplier sandbox = sandbox(s -> s);

    Allocation allocation = result(provider(sandbox).allocate(vkInRussia()));

    assertThat(allocation.phone()).matches("79\\d{9}");
    assertThat(allocation.providerActivationId()).matches("\\d+");
    assertThat(allocation.expiresAt()).isNull();
    assertThat(sandbox.counters().allocations()).isEqualTo(1);
  }

  @Test
  @DisplayName("allocate never returns a number starting with an excluded prefix")
  void allocateHonoursExcludedPrefixes() {
    SmsHubProvider provider = provider(sandbox(s -> s));
    AllocationRequest request = vkInRussia("790", "791", "792", "793", "794", "795", "796", "797", "798", "+7 99 0");

    Set<String> phones = new HashSet<>();
    for (int i = 0; i < 20; i++) phones.add(result(provider.allocate(request)).phone());

    assertThat(phones).hasSize(20).allSatisfy(phone -> assertThat(phone).startsWith("799").doesNotStartWith("7990"));
  }

  @Test
  @DisplayName("allocate fails with NoNumbers when the agent answers NO_NUMBERS")
  void allocateFailsWithNoNumbers() {
    SmsHubProvider provider = provider(sandbox(s -> s.noNumbersRate(1.0)));

    assertThatThrownBy(() -> result(provider.allocate(vkInRussia())))
        .isInstanceOf(UpstreamException.NoNumbers.class);
  }

  @Test
  @DisplayName("allocate fails with NoNumbers once the agent's stock for the service is used up")
  void allocateFailsWithNoNumbersWhenStockIsUsedUp() {
    SmsHubProvider provider = provider(sandbox(s -> s));
    AllocationRequest waInUsa = new AllocationRequest("wa", USA, "any", 100_000, List.of());
    result(provider.allocate(waInUsa));
    result(provider.allocate(waInUsa));

    assertThatThrownBy(() -> result(provider.allocate(waInUsa))).isInstanceOf(UpstreamException.NoNumbers.class);
  }

  @Test
  @DisplayName("an HTTP 500 makes the purchase's outcome unknown, not failed")
  void http500MakesTheOutcomeUnknown() {
    SmsHubProvider provider = provider(sandbox(s -> s.failureRate(1.0)));

    assertThatThrownBy(() -> result(provider.allocate(vkInRussia())))
        .isInstanceOf(UpstreamException.UnknownOutcome.class)
        .hasMessageContaining("HTTP 500");
  }

  @Test
  @DisplayName("a reply slower than the client timeout makes the outcome unknown, though the agent did allocate")
  void slowReplyMakesTheOutcomeUnknown() {
    SandboxSupplier sandbox = sandbox(s -> s.slowReplyRate(1.0).slowReplyDelay(Duration.ofMillis(1_500)));
    SmsHubProvider provider = new SmsHubProvider(client,
        new SmsHubConfig("hub", sandbox.agentUrl(), KEY, Duration.ofMillis(200)));

    assertThatThrownBy(() -> result(provider.allocate(vkInRussia())))
        .isInstanceOf(UpstreamException.UnknownOutcome.class);
    assertThat(sandbox.counters().allocations()).isEqualTo(1);
  }

  @Test
  @DisplayName("an agent that refuses the connection makes the outcome unknown")
  void unreachableAgentMakesTheOutcomeUnknown() {
    HttpServer closed = result(vertx.createHttpServer().requestHandler(r -> r.response().end()).listen(0, "127.0.0.1"));
    int port = closed.actualPort();
    result(closed.close());
    SmsHubProvider provider = new SmsHubProvider(client,
        new SmsHubConfig("hub", "http://127.0.0.1:" + port + "/smshub", KEY, TIMEOUT));

    assertThatThrownBy(() -> result(provider.allocate(vkInRussia())))
        .isInstanceOf(UpstreamException.UnknownOutcome.class);
  }

  @Test
  @DisplayName("a wrong key is a definite refusal with the agent's BAD_KEY")
  void wrongKeyIsRejected() {
    SandboxSupplier sandbox = sandbox(s -> s);
    SmsHubProvider provider = new SmsHubProvider(client, new SmsHubConfig("hub", sandbox.agentUrl(), "wrong", TIMEOUT));

    assertThatThrownBy(() -> result(provider.allocate(vkInRussia())))
        .isInstanceOfSatisfying(UpstreamException.Rejected.class, e -> assertThat(e.token()).isEqualTo("BAD_KEY"));
    assertThatThrownBy(() -> result(provider.stock()))
        .isInstanceOfSatisfying(UpstreamException.Rejected.class, e -> assertThat(e.token()).isEqualTo("BAD_KEY"));
    assertThat(sandbox.counters().allocations()).isZero();
  }

  @Test
  @DisplayName("a country without an SMSHub name is refused without calling the agent")
  void countryWithoutSmshubNameIsRejected() {
    SmsHubProvider provider = new SmsHubProvider(client, new SmsHubConfig("hub", "http://127.0.0.1:9/none", KEY, TIMEOUT));

    assertThatThrownBy(() -> result(provider.allocate(new AllocationRequest("vk", 9999, null, 1, null))))
        .isInstanceOf(UpstreamException.Rejected.class)
        .hasMessageContaining("UNKNOWN_COUNTRY");
  }

  @Test
  @DisplayName("closing after a delivered code finishes with status 3, and a repeat is answered SUCCESS again")
  void closeWithCodeFinishesWithStatus3Idempotently() {
    SandboxSupplier sandbox = sandbox(s -> s);
    SmsHubProvider provider = provider(sandbox);
    Allocation allocation = result(provider.allocate(vkInRussia()));

    assertThat(result(provider.close(allocation.providerActivationId(), true))).isInstanceOf(CloseOutcome.Closed.class);
    assertThat(result(provider.close(allocation.providerActivationId(), true))).isInstanceOf(CloseOutcome.Closed.class);
    assertThat(sandbox.counters().finishes(3)).isEqualTo(1);
    assertThat(sandbox.counters().finishRepeats()).isEqualTo(1);
  }

  @Test
  @DisplayName("closing without a code cancels with status 4 and the agent can sell the number slot again")
  void closeWithoutCodeCancelsWithStatus4() {
    SandboxSupplier sandbox = sandbox(s -> s.stock(Map.of("russia", Map.of("vk", 1))));
    SmsHubProvider provider = provider(sandbox);
    Allocation allocation = result(provider.allocate(vkInRussia()));

    assertThat(result(provider.close(allocation.providerActivationId(), false))).isInstanceOf(CloseOutcome.Closed.class);

    assertThat(sandbox.counters().finishes(4)).isEqualTo(1);
    assertThat(result(provider.allocate(vkInRussia())).phone()).matches("79\\d{9}");
  }

  @Test
  @DisplayName("closing an activation the agent does not know is retried later, not soon")
  void closeOfUnknownActivationIsRetriedLater() {
    SmsHubProvider provider = provider(sandbox(s -> s));

    CloseOutcome outcome = result(provider.close("424242", true));

    assertThat(outcome).isInstanceOfSatisfying(CloseOutcome.RetryLater.class, retry -> {
      assertThat(retry.after()).isEqualTo(SmsHubProvider.RETRY_AFTER_ERROR);
      assertThat(retry.reason()).contains("ACTIVATION_NOT_FOUND");
    });
  }

  @Test
  @DisplayName("closing while the agent answers HTTP 500 is retried later")
  void closeDuringAgentFailureIsRetriedLater() {
    SmsHubProvider provider = provider(sandbox(s -> s.failureRate(1.0)));

    CloseOutcome outcome = result(provider.close("100001", false));

    assertThat(outcome).isInstanceOfSatisfying(CloseOutcome.RetryLater.class,
        retry -> assertThat(retry.after()).isEqualTo(SmsHubProvider.RETRY_AFTER_UNREACHABLE));
  }

  @Test
  @DisplayName("a push supplier has nothing to poll, nothing to re-request and no list of activations")
  void pushSupplierNeitherPollsNorLists() {
    SmsHubProvider provider = new SmsHubProvider(client, new SmsHubConfig("hub", "http://127.0.0.1:9/none", KEY));

    assertThat(provider.pushesSms()).isTrue();
    assertThat(result(provider.poll("1"))).isEqualTo(new PollResult(PollResult.UpstreamStatus.UNKNOWN, List.of()));
    assertThat(provider.requestAnotherCode("1").succeeded()).isTrue();
    assertThatThrownBy(() -> result(provider.openActivationIds())).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  @DisplayName("GET_NUMBER carries the payout as a USD number with four decimals, rounded down, and the prefixes")
  void numberRequestCarriesSumInUsdWithFourDecimals() {
    AllocationRequest request = new AllocationRequest("vk", RUSSIA, null, 60_859, List.of("+7918", "79281"));

    String json = SmsHubProvider.numberRequest(request, "russia").encode();

    assertThat(json).contains("\"sum\":0.0608", "\"currency\":840", "\"operator\":\"any\"",
        "\"exceptionPhoneSet\":[\"7918\",\"79281\"]");
  }
}
