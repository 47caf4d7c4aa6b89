package com.otporchestrator.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import com.otporchestrator.upstream.Allocation;
import com.otporchestrator.upstream.AllocationRequest;
import com.otporchestrator.upstream.CloseOutcome;
import com.otporchestrator.upstream.PollResult;
import com.otporchestrator.upstream.StockLine;
import com.otporchestrator.upstream.UpstreamException;
import com.otporchestrator.upstream.smsactivate.SmsActivateConfig;
import com.otporchestrator.upstream.smsactivate.SmsActivateProvider;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Clients written for sms-activate, unchanged but for the base URL and the key: a typical bulk
 * script over raw HTTP, and this project's own tolerant sms-activate upstream adapter.
 */
@DisplayName("sms-activate clients work against us unchanged")
class CompatScriptTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(CompatScriptTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("CANCEL_DELAY_SECONDS", "1");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
  }

  @AfterAll
  static void stop() {
    try {
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    } finally {
      node.close();
      stores.close();
    }
  }

  private static void pushSms(long id, String text) {
    assertThat(api.post("/admin/v1/sandbox/activations/" + id + "/sms", TestNode.ADMIN_TOKEN,
        new JsonObject().put("text", text)).status()).isEqualTo(200);
  }

  /** The script: what countless bulk scripts do with requests.get(BASE + "?api_key=...&action=..."). */
  private static final class Script {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String key;

    Script(String baseUrl, String key) {
      this.base = baseUrl + "/stubs/handler_api.php";
      this.key = key;
    }

    String call(String query) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "?api_key=" + key + "&" + query)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
      } catch (IOException e) {
        throw new AssertionError(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void aBulkScriptBuysPollsFinishesAndCancelsWithExactTokens() {
    Customer c = node.customer("script", "5.00");
    Script script = new Script(api.baseUrl(), c.apiKey());

    String balance = script.call("action=getBalance");
    assertThat(balance).isEqualTo("ACCESS_BALANCE:5.00");
    assertThat(Double.parseDouble(balance.split(":")[1])).isEqualTo(5.0);

    // first number: poll getStatus until the code, then setStatus 6
    String[] number = script.call("action=getNumber&service=tg&country=0").split(":");
    assertThat(number[0]).isEqualTo("ACCESS_NUMBER");
    assertThat(number[2]).matches("7\\d{10}");
    String id = number[1];
    String status = null;
    for (int poll = 0; poll < 50; poll++) {
      status = script.call("action=getStatus&id=" + id);
      if (status.startsWith("STATUS_OK")) break;
      assertThat(status).isEqualTo("STATUS_WAIT_CODE");
      if (poll == 2) pushSms(Long.parseLong(id), "Your Telegram code: 48213");
      Await.pause(Duration.ofMillis(100));
    }
    assertThat(status).isEqualTo("STATUS_OK:48213");
    assertThat(status.split(":")[1]).isEqualTo("48213");
    assertThat(script.call("action=setStatus&status=6&id=" + id)).isEqualTo("ACCESS_ACTIVATION");

    // second number: nothing comes, the script gives up with setStatus 8, retrying while too early
    String second = script.call("action=getNumber&service=tg&country=0").split(":")[1];
    String cancel = script.call("action=setStatus&status=8&id=" + second);
    assertThat(cancel).isEqualTo("EARLY_CANCEL_DENIED");
    Await.until("cancelled", Duration.ofSeconds(5), () -> {
      String reply = script.call("action=setStatus&status=8&id=" + second);
      if (!reply.equals("EARLY_CANCEL_DENIED")) assertThat(reply).isEqualTo("ACCESS_CANCEL");
      return reply.equals("ACCESS_CANCEL");
    });
    assertThat(script.call("action=getStatus&id=" + second)).isEqualTo("STATUS_CANCEL");
    assertThat(script.call("action=getBalance")).isEqualTo("ACCESS_BALANCE:4.50");
    assertThat(script.call("action=getActiveActivations")).isEqualTo("NO_ACTIVATIONS");
  }

  @Test
  void ourOwnSmsActivateAdapterAllocatesPollsAndClosesAgainstUs() {
    Customer c = node.customer("adapter", "5.00");
    WebClient client = WebClient.create(node.vertx());
    SmsActivateProvider us = new SmsActivateProvider(client,
        new SmsActivateConfig("otp-orchestrator", api.baseUrl(), c.apiKey(), Duration.ofSeconds(5)));
    try {
      List<StockLine> stock = Await.result(us.stock());
      assertThat(stock).anySatisfy(line -> {
        assertThat(line.service()).isEqualTo("tg");
        assertThat(line.country()).isEqualTo(0);
        assertThat(line.costMicros()).isEqualTo(500_000L);
      });

      // allocate (getNumberV2), poll (getStatusV2), ask another code (setStatus 3), close finished (setStatus 6)
      Allocation bought = Await.result(us.allocate(new AllocationRequest("tg", 0, "any", 0, List.of())));
      assertThat(bought.phone()).matches("7\\d{10}");
      assertThat(bought.expiresAt()).isBetween(Instant.now().plusSeconds(1190), Instant.now().plusSeconds(1210));
      assertThat(Await.result(us.openActivationIds())).containsExactly(bought.providerActivationId());
      assertThat(Await.result(us.poll(bought.providerActivationId())).status()).isEqualTo(PollResult.UpstreamStatus.WAITING);
      pushSms(Long.parseLong(bought.providerActivationId()), "Telegram code 90210");
      PollResult polled = Await.result(us.poll(bought.providerActivationId()));
      assertThat(polled.status()).isEqualTo(PollResult.UpstreamStatus.CODE_RECEIVED);
      assertThat(polled.messages()).singleElement().satisfies(sms -> {
        assertThat(sms.code()).isEqualTo("90210");
        assertThat(sms.text()).isEqualTo("Telegram code 90210");
      });
      Await.result(us.requestAnotherCode(bought.providerActivationId()));
      assertThat(Await.result(us.close(bought.providerActivationId(), true))).isInstanceOf(CloseOutcome.Closed.class);
      assertThat(Await.result(us.close(bought.providerActivationId(), true))).isInstanceOf(CloseOutcome.Closed.class);

      // a number that gets nothing: the early cancel is "too early" (tried again at the minimum age), then closes with a refund
      Allocation idle = Await.result(us.allocate(new AllocationRequest("tg", 0, null, 0, List.of("7999"))));
      CloseOutcome early = Await.result(us.close(idle.providerActivationId(), false));
      assertThat(early).isInstanceOf(CloseOutcome.TooEarly.class);
      assertThat(((CloseOutcome.TooEarly) early).reason()).isEqualTo("EARLY_CANCEL_DENIED");
      Await.pause(Duration.ofMillis(1100));
      assertThat(Await.result(us.close(idle.providerActivationId(), false))).isInstanceOf(CloseOutcome.Closed.class);
      assertThat(Await.result(us.poll(idle.providerActivationId())).status()).isEqualTo(PollResult.UpstreamStatus.CLOSED);
      assertThat(Await.result(us.openActivationIds())).isEmpty();

      // refusals are definite: nothing was bought
      assertThatThrownBy(() -> Await.result(us.allocate(new AllocationRequest("tg", 0, null, 400_000, List.of()))))
          .isInstanceOf(UpstreamException.Rejected.class).hasMessageContaining("WRONG_MAX_PRICE:0.50");
      assertThatThrownBy(() -> Await.result(us.allocate(new AllocationRequest("ig", 0, null, 0, List.of()))))
          .isInstanceOf(UpstreamException.NoNumbers.class);

      assertThat(api.get("/v1/wallet", c.apiKey()).json())
          .isEqualTo(new JsonObject().put("balance", "4.50").put("held", "0.00").put("currency", "USD"));
    } finally {
      client.close();
    }
  }
}
