package com.otporchestrator.sandbox;

import static com.otporchestrator.testing.Await.pause;
import static com.otporchestrator.testing.Await.result;
import static com.otporchestrator.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.otporchestrator.upstream.Allocation;
import com.otporchestrator.upstream.AllocationRequest;
import com.otporchestrator.upstream.smshub.PushSms;
import com.otporchestrator.upstream.smshub.SmsHubConfig;
import com.otporchestrator.upstream.smshub.SmsHubProvider;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
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
@DisplayName("The sandbox supplier")
class SandboxSupplierTest {
  private static final String KEY = "sandbox-test-key";
  private static final Duration RETRY = Duration.ofMillis(50);
  private static final AllocationRequest VK_IN_RUSSIA = new AllocationRequest("vk", 0, "any", 50_000, List.of());

  private Vertx vertx;
  private WebClient client;

  @BeforeEach
  void createClient(Vertx vertx) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
  }

  private SandboxSupplier sandbox(UnaryOperator<SandboxSettings.Builder> customise) {
    SandboxSupplier sandbox = new SandboxSupplier(customise.apply(SandboxSettings.builder()
        .key(KEY)
        .smsProbability(0)
        .pushRetryInterval(RETRY)
        .stock(Map.of("russia", Map.of("vk", 5))))
        .build());
    result(vertx.deployVerticle(sandbox));
    return sandbox;
  }

  private SmsHubProvider provider(SandboxSupplier sandbox) {
    return new SmsHubProvider(client, new SmsHubConfig("sandbox", sandbox.agentUrl(), KEY, Duration.ofSeconds(2)));
  }

  private JsonObject post(SandboxSupplier sandbox, JsonObject body) {
    return result(client.postAbs(sandbox.agentUrl()).sendJsonObject(body)).bodyAsJsonObject();
  }

  @Test
  @DisplayName("pushes a generated code SMS until the receiver answers SUCCESS, then never again")
  void pushesUntilAcknowledgedThenNeverAgain() {
    PushReceiver receiver = new PushReceiver(vertx, (attempt, response) -> {
      if (attempt == 1) response.setStatusCode(500).end();
      else if (attempt == 2) PushReceiver.refuse(response);
      else PushReceiver.acknowledge(response);
    });
    SandboxSupplier sandbox = sandbox(s -> s.pushUrl(receiver.url()).smsProbability(1.0).smsDelay(Duration.ofMillis(10)));
    Allocation allocation = result(provider(sandbox).allocate(VK_IN_RUSSIA));

    until("the third attempt is acknowledged", () -> sandbox.counters().pushesAcknowledged() == 1);
    pause(RETRY.multipliedBy(6));

    assertThat(receiver.count()).isEqualTo(3);
    assertThat(sandbox.counters().pushesAttempted()).isEqualTo(3);
    assertThat(receiver.received()).allSatisfy(push -> {
      assertThat(push.getValue("smsId")).isEqualTo(1);
      assertThat(push.getValue("phone")).isEqualTo(Long.parseLong(allocation.phone()));
      assertThat(push.getString("text")).matches("Your vk code is \\d{6}");
      assertThat(push.getString("key")).isEqualTo(KEY);
      assertThat(PushSms.parse(push)).isInstanceOf(PushSms.Parsed.Valid.class);
    });
  }

  @Test
  @DisplayName("sendSms pushes to the activation holding the phone, numbering SMS upwards")
  void sendSmsPushesToTheHolderOfThePhone() {
    PushReceiver receiver = new PushReceiver(vertx, (attempt, response) -> PushReceiver.acknowledge(response));
    SandboxSupplier sandbox = sandbox(s -> s.pushUrl(receiver.url()));
    String phone = result(provider(sandbox).allocate(VK_IN_RUSSIA)).phone();

    result(sandbox.sendSms(phone, "first"));
    result(sandbox.sendSms(phone, "second 123456"));

    assertThat(receiver.received()).extracting(push -> push.getValue("smsId"), push -> push.getString("text"))
        .containsExactly(tuple(1, "first"), tuple(2, "second 123456"));
  }

  @Test
  @DisplayName("sendSms to a phone no open activation holds fails without pushing")
  void sendSmsToAnUnheldPhoneFails() {
    PushReceiver receiver = new PushReceiver(vertx, (attempt, response) -> PushReceiver.acknowledge(response));
    SandboxSupplier sandbox = sandbox(s -> s.pushUrl(receiver.url()));

    assertThatThrownBy(() -> result(sandbox.sendSms("79990000000", "hello")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no open activation");
    assertThat(sandbox.counters().pushesAttempted()).isZero();
  }

  @Test
  @DisplayName("stops pushing once the activation is finished")
  void stopsPushingOnceFinished() {
    PushReceiver receiver = new PushReceiver(vertx, (attempt, response) -> response.setStatusCode(503).end());
    SandboxSupplier sandbox = sandbox(s -> s.pushUrl(receiver.url()));
    SmsHubProvider provider = provider(sandbox);
    Allocation allocation = result(provider.allocate(VK_IN_RUSSIA));
    var delivery = sandbox.sendSms(allocation.phone(), "never acknowledged");
    until("a retry happened", () -> receiver.count() >= 2);

    result(provider.close(allocation.providerActivationId(), false));
    pause(RETRY.multipliedBy(2));
    int pushesAfterFinish = receiver.count();
    pause(RETRY.multipliedBy(6));

    assertThat(receiver.count()).isEqualTo(pushesAfterFinish);
    assertThatThrownBy(() -> result(delivery)).hasMessageContaining("finished");
  }

  @Test
  @DisplayName("gives up pushing after the maximum number of attempts")
  void givesUpAfterMaxAttempts() {
    PushReceiver receiver = new PushReceiver(vertx, (attempt, response) -> PushReceiver.refuse(response));
    SandboxSupplier sandbox = sandbox(s -> s.pushUrl(receiver.url()).maxPushAttempts(3));
    String phone = result(provider(sandbox).allocate(VK_IN_RUSSIA)).phone();

    assertThatThrownBy(() -> result(sandbox.sendSms(phone, "hello"))).hasMessageContaining("after 3 attempts");
    pause(RETRY.multipliedBy(4));

    assertThat(receiver.count()).isEqualTo(3);
    assertThat(sandbox.counters().pushesAcknowledged()).isZero();
  }

  @Test
  @DisplayName("hands out distinct numbers up to its stock and reports a slot free again after a finish")
  void numbersAreUniqueAndComeBackOnFinish() {
    SandboxSupplier sandbox = sandbox(s -> s);
    SmsHubProvider provider = provider(sandbox);
    Set<String> phones = new HashSet<>();
    String firstId = null;
    for (int i = 0; i < 5; i++) {
      Allocation allocation = result(provider.allocate(VK_IN_RUSSIA));
      phones.add(allocation.phone());
      if (firstId == null) firstId = allocation.providerActivationId();
    }

    assertThat(phones).hasSize(5);
    assertThat(vkStock(sandbox)).isZero();
    result(provider.close(firstId, true));
    assertThat(vkStock(sandbox)).isEqualTo(1);
  }

  private int vkStock(SandboxSupplier sandbox) {
    JsonObject reply = post(sandbox, new JsonObject().put("action", "GET_SERVICES").put("key", KEY));
    return reply.getJsonArray("countryList").getJsonObject(0).getJsonObject("operatorMap").getJsonObject("any").getInteger("vk");
  }

  @Test
  @DisplayName("answers BAD_KEY to a request with the wrong key")
  void answersBadKey() {
    SandboxSupplier sandbox = sandbox(s -> s);

    JsonObject reply = post(sandbox, new JsonObject().put("action", "GET_SERVICES").put("key", "nope"));

    assertThat(reply).isEqualTo(new JsonObject().put("status", "ERROR").put("error", "BAD_KEY"));
  }

  @Test
  @DisplayName("refuses a GET_NUMBER whose sum is a string, as SMSHub certification would")
  void refusesSumAsString() {
    SandboxSupplier sandbox = sandbox(s -> s);

    JsonObject reply = post(sandbox, new JsonObject().put("action", "GET_NUMBER").put("key", KEY)
        .put("country", "russia").put("operator", "any").put("service", "vk").put("sum", "0.05").put("currency", 840));

    assertThat(reply.getString("status")).isEqualTo("ERROR");
    assertThat(reply.getString("error")).contains("sum must be a JSON number");
    assertThat(sandbox.counters().allocations()).isZero();
  }

  @Test
  @DisplayName("answers ERROR to FINISH_ACTIVATION of an activation it never handed out")
  void finishOfUnknownActivationIsAnError() {
    SandboxSupplier sandbox = sandbox(s -> s);

    JsonObject reply = post(sandbox, new JsonObject().put("action", "FINISH_ACTIVATION").put("key", KEY)
        .put("activationId", 7).put("status", 3));

    assertThat(reply.getString("status")).isEqualTo("ERROR");
  }

  @Test
  @DisplayName("answers SUCCESS to FINISH_ACTIVATION of an activation it never handed out when told to (the benchmarks' seeded orders)")
  void finishOfUnknownActivationSucceedsWhenClosesUnknownIsOn() {
    SandboxSupplier sandbox = sandbox(s -> s.closesUnknown(true));

    JsonObject reply = post(sandbox, new JsonObject().put("action", "FINISH_ACTIVATION").put("key", KEY)
        .put("activationId", 7).put("status", 3));

    assertThat(reply.getString("status")).isEqualTo("SUCCESS");
  }

  @Test
  @DisplayName("gzips its replies for a client that accepts gzip")
  void gzipsReplies() {
    SandboxSupplier sandbox = sandbox(s -> s);

    HttpResponse<Buffer> response = result(client.postAbs(sandbox.agentUrl())
        .putHeader("Accept-Encoding", "gzip")
        .sendJsonObject(new JsonObject().put("action", "GET_SERVICES").put("key", KEY)));

    assertThat(response.getHeader("Content-Encoding")).isEqualTo("gzip");
  }

  @Test
  @DisplayName("listens on a random port when asked for port 0 and tells which")
  void exposesTheActualPort() {
    SandboxSupplier sandbox = sandbox(s -> s.port(0));

    assertThat(sandbox.actualPort()).isPositive();
    assertThat(sandbox.agentUrl()).endsWith(":" + sandbox.actualPort() + "/smshub");
  }
}
