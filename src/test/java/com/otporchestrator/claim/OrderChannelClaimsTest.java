package com.otporchestrator.claim;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.activation.Activation;
import com.otporchestrator.activation.PurchaseRequest;
import com.otporchestrator.order.Channel;
import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * esimpy: "For Telegram numbers protected by 2FA, a video is required as proof of the error. Telegram
 * 2FA numbers purchased via API are not eligible for a refund." Each order records how it was placed: the JSON API, the
 * compatible API, or the web console (which calls the purchase service with {@code Channel.WEB}); the exclusion applies
 * to both API channels, the video requirement to the others.
 */
@DisplayName("Orders know how they were placed, and esimpy's Telegram-2FA rules follow it")
class OrderChannelClaimsTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static ClaimFixture f;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(OrderChannelClaimsTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("ACTIVATION_WINDOW_SECONDS", "600");
    node = TestNode.start(env);
    api = node.api();
    f = new ClaimFixture(node);
    node.offer("tg", 0, "0.50");
    f.inForce("esimpy_return_policy");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static long viaJsonApi(Customer c) {
    return f.buy(c, "tg");
  }

  private static long viaCompatibleApi(Customer c) {
    Api.Response r = api.get("/stubs/handler_api.php?api_key=" + c.apiKey() + "&action=getNumber&service=tg&country=0", null);
    assertThat(r.body()).as("%s", r).startsWith("ACCESS_NUMBER:");
    return Long.parseLong(r.body().split(":")[1]);
  }

  /** What the web console does: the purchase service itself, with the WEB channel. */
  private static long viaWeb(Customer c) {
    Activation order = Await.result(node.node().modules().activations().purchases().purchase(c.id(),
        new PurchaseRequest("tg", 0, null, null, List.of(), null, Channel.WEB)));
    return order.id();
  }

  private static JsonObject order(Customer c, long id) {
    return api.get("/v1/activations/" + id, c.apiKey()).json();
  }

  @Test
  @DisplayName("each order shows the channel it was placed through")
  void theChannelIsRecorded() {
    Customer c = node.customer("three-channels", "5.00");
    assertThat(order(c, viaJsonApi(c)).getString("channel")).isEqualTo("api");
    assertThat(order(c, viaCompatibleApi(c)).getString("channel")).isEqualTo("compat");
    assertThat(order(c, viaWeb(c)).getString("channel")).isEqualTo("web");
  }

  @Test
  @DisplayName("a Telegram 2FA number bought through either API is not eligible; bought on the web it needs a video")
  void telegram2faFollowsTheChannel() {
    Customer c = node.customer("telegram-2fa", "5.00");
    for (long apiOrder : new long[] {viaJsonApi(c), viaCompatibleApi(c)}) {
      f.sms(apiOrder);
      Api.Response refused = f.file(c, apiOrder, "invalid_number", "telegram_2fa");
      assertThat(refused.status()).as("%s", refused).isEqualTo(422);
      assertThat(refused.json().getString("rule")).isEqualTo("telegram_2fa_via_api");
    }
    long webOrder = viaWeb(c);
    f.sms(webOrder);
    JsonObject filed = f.filed(c, webOrder, "invalid_number", "telegram_2fa");
    assertThat(filed.getString("state")).isEqualTo("NEEDS_EVIDENCE");
    assertThat(filed.getJsonArray("missingEvidence").getList()).containsExactly("screenshot", "video");
    assertThat(filed.getJsonArray("tags").getList()).contains("telegram_2fa").doesNotContain("telegram_2fa_api");

    // without the 2FA tag an API order keeps its claim: only the Telegram-2FA case is excluded
    long plain = viaJsonApi(c);
    f.sms(plain);
    assertThat(f.filed(c, plain, "invalid_number").getJsonArray("missingEvidence").getList()).containsExactly("screenshot");
  }
}
