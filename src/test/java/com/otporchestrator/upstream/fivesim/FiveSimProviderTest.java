package com.otporchestrator.upstream.fivesim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.otporchestrator.testing.Await;
import com.otporchestrator.upstream.Allocation;
import com.otporchestrator.upstream.AllocationRequest;
import com.otporchestrator.upstream.CloseOutcome;
import com.otporchestrator.upstream.PollResult;
import com.otporchestrator.upstream.PollResult.UpstreamStatus;
import com.otporchestrator.upstream.StockLine;
import com.otporchestrator.upstream.UpstreamException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("The 5sim adapter, against a 5sim fake over HTTP")
class FiveSimProviderTest {
  private static final AllocationRequest TELEGRAM_RUSSIA = new AllocationRequest("tg", 0, null, 100_000, List.of());

  private static Vertx vertx;
  private static WebClient client;
  private static FakeFiveSim fake;
  private static FiveSimProvider provider;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    fake = new FakeFiveSim();
    provider = new FiveSimProvider(client, new FiveSimConfig("five", fake.baseUrl(), FakeFiveSim.TOKEN, Duration.ofMillis(1500)));
  }

  @AfterAll
  static void stop() throws Exception {
    fake.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void reset() {
    fake.buyReply = FakeFiveSim.Buy.OK;
    fake.closeReply = FakeFiveSim.Close.OK;
    fake.garbleChecks = false;
  }

  private static <T> Throwable failure(Future<T> future) {
    return catchThrowable(() -> Await.result(future));
  }

  private static long bought() {
    return Long.parseLong(Await.result(provider.allocate(TELEGRAM_RUSSIA)).providerActivationId());
  }

  @Test
  @DisplayName("buys with 5sim's names and a Bearer token, and answers the number without '+', the order id and 5sim's expiry")
  void buys() {
    Allocation allocation = Await.result(provider.allocate(new AllocationRequest("wa", 16, null, 0, List.of())));

    assertThat(fake.requests).last().isEqualTo("/v1/user/buy/activation/england/any/whatsapp");
    assertThat(allocation.phone()).matches("7900\\d{7}");
    assertThat(fake.order(Long.parseLong(allocation.providerActivationId()))).isNotNull();
    assertThat(allocation.expiresAt()).isNotNull();
    assertThat(provider.pushesSms()).isFalse();
  }

  @Test
  @DisplayName("answers NO_NUMBERS on 'no free phones'")
  void noFreePhones() {
    fake.buyReply = FakeFiveSim.Buy.NO_FREE_PHONES;
    assertThat(failure(provider.allocate(TELEGRAM_RUSSIA))).isInstanceOf(UpstreamException.NoNumbers.class);
  }

  @ParameterizedTest(name = "definitely refused on {0}")
  @EnumSource(value = FakeFiveSim.Buy.class, names = {"NO_BALANCE", "NO_RATING", "BAD_COUNTRY"})
  void definiteRefusals(FakeFiveSim.Buy reply) {
    fake.buyReply = reply;
    assertThat(failure(provider.allocate(TELEGRAM_RUSSIA))).isInstanceOf(UpstreamException.Rejected.class);
  }

  @Test
  @DisplayName("is refused for a wrong token (401), for a country or service it has no name for, without any purchase")
  void refusedForBadTokenAndUnknownNames() {
    FiveSimProvider wrongToken = new FiveSimProvider(client, new FiveSimConfig("five", fake.baseUrl(), "nope", Duration.ofSeconds(1)));
    assertThat(failure(wrongToken.allocate(TELEGRAM_RUSSIA))).isInstanceOfSatisfying(UpstreamException.Rejected.class,
        r -> assertThat(r.token()).isEqualTo("unauthorized"));
    int before = fake.requests.size();
    assertThat(failure(provider.allocate(new AllocationRequest("tg", 999, null, 0, List.of()))))
        .isInstanceOf(UpstreamException.Rejected.class);
    assertThat(failure(provider.allocate(new AllocationRequest("zz", 0, null, 0, List.of()))))
        .isInstanceOf(UpstreamException.Rejected.class);
    assertThat(fake.requests).hasSize(before);
  }

  @ParameterizedTest(name = "reports the outcome unknown (never a refusal) on {0}")
  @EnumSource(value = FakeFiveSim.Buy.class, names = {"JSON_GARBAGE", "HTML_200", "HTTP_502", "EMPTY_200", "HANG"})
  void garbageAndTimeoutsAreUnknown(FakeFiveSim.Buy reply) {
    fake.buyReply = reply;
    assertThat(failure(provider.allocate(TELEGRAM_RUSSIA))).isInstanceOf(UpstreamException.UnknownOutcome.class)
        .hasMessageNotContaining(FakeFiveSim.TOKEN);
  }

  @Test
  @DisplayName("polls an order: waiting, then the code with its SMS, then closed once 5sim timed it out or forgot it")
  void polls() {
    long id = bought();
    assertThat(Await.result(provider.poll(String.valueOf(id))).status()).isEqualTo(UpstreamStatus.WAITING);

    fake.receiveSms(id, "Telegram code 48213", "48213");
    PollResult got = Await.result(provider.poll(String.valueOf(id)));
    assertThat(got.status()).isEqualTo(UpstreamStatus.CODE_RECEIVED);
    assertThat(got.messages()).singleElement().satisfies(sms -> {
      assertThat(sms.text()).isEqualTo("Telegram code 48213");
      assertThat(sms.code()).isEqualTo("48213");
      assertThat(sms.sender()).isEqualTo("Telegram");
      assertThat(sms.receivedAt()).isNotNull();
    });

    fake.order(id).put("status", "TIMEOUT");
    assertThat(Await.result(provider.poll(String.valueOf(id))).status()).isEqualTo(UpstreamStatus.CLOSED);
    assertThat(Await.result(provider.poll("1")).status()).as("order not found").isEqualTo(UpstreamStatus.CLOSED);
    fake.garbleChecks = true;
    assertThat(failure(provider.poll(String.valueOf(id)))).isInstanceOf(UpstreamException.UnknownOutcome.class);
  }

  @Test
  @DisplayName("cancels an order without a code and finishes one with a code")
  void closes() {
    long cancelled = bought();
    assertThat(Await.result(provider.close(String.valueOf(cancelled), false))).isEqualTo(CloseOutcome.closed());
    assertThat(fake.order(cancelled).getString("status")).isEqualTo("CANCELED");

    long finished = bought();
    fake.receiveSms(finished, "code 1", "1");
    assertThat(Await.result(provider.close(String.valueOf(finished), true))).isEqualTo(CloseOutcome.closed());
    assertThat(fake.order(finished).getString("status")).isEqualTo("FINISHED");
  }

  @Test
  @DisplayName("cancels instead when 5sim has no SMS for an order we finish ('order no sms')")
  void finishWithoutSmsBecomesCancel() {
    long id = bought();
    assertThat(Await.result(provider.close(String.valueOf(id), true))).isEqualTo(CloseOutcome.closed());
    assertThat(fake.order(id).getString("status")).isEqualTo("CANCELED");
    assertThat(fake.requests.subList(fake.requests.size() - 2, fake.requests.size()))
        .containsExactly("/v1/user/finish/" + id, "/v1/user/cancel/" + id);
  }

  @Test
  @DisplayName("records a cancel refused because the order has an SMS as refused for good (our cost)")
  void cancelWithSmsIsRefused() {
    long id = bought();
    fake.receiveSms(id, "late code 7", "7");
    assertThat(Await.result(provider.close(String.valueOf(id), false))).isEqualTo(new CloseOutcome.Refused("order has sms"));
  }

  @Test
  @DisplayName("waits for the order's minimum age on 'you need to wait time', without spending an attempt")
  void tooEarly() {
    long id = bought();
    fake.closeReply = FakeFiveSim.Close.WAIT;
    assertThat(Await.result(provider.close(String.valueOf(id), false)))
        .isEqualTo(new CloseOutcome.TooEarly(Duration.ofSeconds(120), "you need to wait time"));
  }

  @Test
  @DisplayName("retries later a supplier that never closes (still RECEIVED) or never answers, and treats an order it forgot as closed")
  void neverClosing() {
    long id = bought();
    fake.closeReply = FakeFiveSim.Close.NEVER_CLOSES;
    assertThat(Await.result(provider.close(String.valueOf(id), false))).isInstanceOf(CloseOutcome.RetryLater.class);
    fake.closeReply = FakeFiveSim.Close.HANG;
    assertThat(Await.result(provider.close(String.valueOf(id), false))).isInstanceOfSatisfying(CloseOutcome.RetryLater.class,
        r -> assertThat(r.reason()).doesNotContain(FakeFiveSim.TOKEN));
    assertThat(Await.result(provider.close("42", false))).as("order not found").isEqualTo(CloseOutcome.closed());
  }

  @Test
  @DisplayName("bans a used number")
  void bans() {
    long id = bought();
    assertThat(Await.result(provider.ban(String.valueOf(id)))).isEqualTo(CloseOutcome.closed());
    assertThat(fake.order(id).getString("status")).isEqualTo("BANNED");
  }

  @Test
  @DisplayName("lists the orders still open for the reconciler, and reads stock for the countries and products it knows")
  void openOrdersAndStock() {
    long open = bought();
    long closed = bought();
    Await.result(provider.close(String.valueOf(closed), false));
    List<String> ids = Await.result(provider.openActivationIds());
    assertThat(ids).contains(String.valueOf(open)).doesNotContain(String.valueOf(closed));

    List<StockLine> stock = Await.result(provider.stock());
    assertThat(stock).containsExactlyInAnyOrder(new StockLine("tg", 0, "beeline", 150, null),
        new StockLine("tg", 0, "mts", 5, null), new StockLine("wa", 16, "virtual8", 7, null));
  }
}
