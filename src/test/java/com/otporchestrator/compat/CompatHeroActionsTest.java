package com.otporchestrator.compat;

import static com.otporchestrator.compat.CompatHttp.both;
import static com.otporchestrator.compat.CompatHttp.getText;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The actions today's clients call beyond the classic set (docs/api.md, compatible API): paging of the live list as
 * Hero answers it, every SMS, reactivation and additional services on the same number (charged as purchases of their
 * own), purchase parameters that would change what is bought, Hero's JSON refusals, and the unsupported actions.
 */
@DisplayName("The sms-activate actions of today's clients")
class CompatHeroActionsTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(CompatHeroActionsTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("CANCEL_DELAY_SECONDS", "2");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    node.offer("wa", 0, "0.70");
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

  private static String call(Customer c, String action, String... more) {
    String[] pairs = new String[4 + more.length];
    pairs[0] = "api_key";
    pairs[1] = c.apiKey();
    pairs[2] = "action";
    pairs[3] = action;
    System.arraycopy(more, 0, pairs, 4, more.length);
    return getText(api, pairs);
  }

  private static long buy(Customer c, String service) {
    String reply = call(c, "getNumber", "service", service, "country", "0");
    assertThat(reply).matches("ACCESS_NUMBER:\\d+:7\\d{10}");
    return Long.parseLong(reply.split(":")[1]);
  }

  private static void sms(long id, String text) {
    assertThat(api.post("/admin/v1/sandbox/activations/" + id + "/sms", TestNode.ADMIN_TOKEN,
        new JsonObject().put("text", text)).status()).isEqualTo(200);
  }

  private static String balance(Customer c) {
    return api.get("/v1/wallet", c.apiKey()).json().getString("balance");
  }

  @Test
  void getActiveActivationsPagesWithStartAndLimitUnderDataAndActiveActivations() {
    Customer c = node.customer("pager", "5.00");
    long a = buy(c, "tg");
    long b = buy(c, "tg");
    long d = buy(c, "tg");
    JsonObject page = new JsonObject(both(api, "api_key", c.apiKey(), "action", "getActiveActivations", "start", "0", "limit", "2"));
    assertThat(page.getString("status")).isEqualTo("success");
    assertThat(page.getJsonArray("data").stream().map(o -> ((JsonObject) o).getString("activationId")))
        .containsExactly(String.valueOf(d), String.valueOf(b));
    assertThat(page.getJsonArray("activeActivations")).isEqualTo(page.getJsonArray("data"));
    JsonObject item = page.getJsonArray("data").getJsonObject(0);
    assertThat(item.getString("activationStatus")).isEqualTo("4");
    assertThat(item.getInteger("currency")).isEqualTo(840);
    JsonObject rest = new JsonObject(both(api, "api_key", c.apiKey(), "action", "getActiveActivations", "start", "2", "limit", "2"));
    assertThat(rest.getJsonArray("data").getJsonObject(0).getString("activationId")).isEqualTo(String.valueOf(a));
    assertThat(both(api, "api_key", c.apiKey(), "action", "getActiveActivations", "start", "3")).isEqualTo("NO_ACTIVATIONS");
    // bad paging is refused, never a 5xx
    assertThat(call(c, "getActiveActivations", "limit", "101")).isEqualTo("ERROR_SQL");
    assertThat(call(c, "getActiveActivations", "limit", "0")).isEqualTo("ERROR_SQL");
    assertThat(call(c, "getActiveActivations", "start", "-1")).isEqualTo("ERROR_SQL");
    assertThat(call(c, "getActiveActivations", "limit", "x")).isEqualTo("ERROR_SQL");
    // the default page is Hero's 100
    assertThat(new JsonObject(call(c, "getActiveActivations")).getJsonArray("data")).hasSize(3);
  }

  @Test
  void getAllSmsAnswersEverySmsOfAnActivationPaged() {
    Customer c = node.customer("inbox", "5.00");
    long id = buy(c, "tg");
    JsonObject empty = new JsonObject(call(c, "getAllSms", "id", String.valueOf(id)));
    assertThat(empty).isEqualTo(new JsonObject().put("data", new JsonArray())
        .put("meta", new JsonObject().put("total", 0).put("service", "tg")));
    sms(id, "Telegram code 12345");
    assertThat(call(c, "setStatus", "id", String.valueOf(id), "status", "3")).isEqualTo("ACCESS_RETRY_GET");
    sms(id, "Telegram code 67890");
    JsonObject all = new JsonObject(both(api, "api_key", c.apiKey(), "action", "getAllSms", "id", String.valueOf(id)));
    assertThat(all.getJsonObject("meta").getInteger("total")).isEqualTo(2);
    JsonObject first = all.getJsonArray("data").getJsonObject(0);
    assertThat(first.fieldNames()).containsExactlyInAnyOrder("id", "phoneFrom", "code", "text", "service", "date", "type");
    assertThat(first.getString("code")).isEqualTo("12345");
    assertThat(first.getString("type")).isEqualTo("sms");
    assertThat(first.getString("date")).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    JsonObject second = new JsonObject(call(c, "getAllSms", "id", String.valueOf(id), "size", "1", "page", "2"));
    assertThat(second.getJsonArray("data")).hasSize(1);
    assertThat(second.getJsonArray("data").getJsonObject(0).getString("code")).isEqualTo("67890");
    // refusals in Hero's JSON variant
    Customer stranger = node.customer("stranger", "1.00");
    assertThat(new JsonObject(call(stranger, "getAllSms", "id", String.valueOf(id))).getString("title")).isEqualTo("NO_ACTIVATION");
    assertThat(new JsonObject(call(c, "getAllSms")).getString("title")).isEqualTo("NO_ACTIVATION");
    assertThat(new JsonObject(call(c, "getAllSms", "id", String.valueOf(id), "size", "1000")).getString("title"))
        .isEqualTo("ERROR_SQL");
  }

  @Test
  void aReactivationIsASeparatelyChargedActivationOnTheSameNumberUnderItsOwnPolicyVersion() {
    Customer c = node.customer("again", "5.00");
    long id = buy(c, "tg");
    String phone = new JsonObject(call(c, "getActiveActivations")).getJsonArray("data").getJsonObject(0).getString("phoneNumber");
    // not finished yet: refused, nothing bought
    JsonObject early = new JsonObject(call(c, "reactivationPrice", "id", String.valueOf(id)));
    assertThat(early.getString("title")).isEqualTo("RENEW_ACTIVATION_NOT_AVAILABLE");
    assertThat(early.getJsonObject("info").getString("state")).isEqualTo("WAITING_CODE");
    assertThat(new JsonObject(call(c, "reactivate", "id", String.valueOf(id))).getString("title"))
        .isEqualTo("RENEW_ACTIVATION_NOT_AVAILABLE");
    sms(id, "Telegram code 11111");
    assertThat(call(c, "setStatus", "id", String.valueOf(id), "status", "6")).isEqualTo("ACCESS_ACTIVATION");
    assertThat(balance(c)).isEqualTo("4.50");

    assertThat(new JsonObject(call(c, "reactivationPrice", "id", String.valueOf(id))))
        .isEqualTo(new JsonObject().put("data", new JsonObject().put("price", 0.5).put("currency", 840)));
    JsonObject again = new JsonObject(call(c, "reactivate", "id", String.valueOf(id)));
    long second = again.getLong("activationId");
    assertThat(second).isNotEqualTo(id);
    assertThat(again.getString("phoneNumber")).isEqualTo(phone);
    assertThat(balance(c)).isEqualTo("4.00");
    Map<String, Object> row = node.node().core().pool().preparedQuery(
            "SELECT provider_id, policy_id, policy_version, price, state FROM activations WHERE id = $1")
        .execute(Tuple.of(second)).map(rows -> rows.iterator().next().toJson().getMap()).await();
    assertThat(row).containsEntry("provider_id", "sandbox").containsEntry("price", 500_000L).containsEntry("state", "WAITING_CODE");
    assertThat(row.get("policy_id")).isNotNull();
    // the reactivation lives its own life: its code, its finish
    sms(second, "Telegram code 22222");
    assertThat(call(c, "getStatus", "id", String.valueOf(second))).isEqualTo("STATUS_OK:22222");
    assertThat(call(c, "getStatus", "id", String.valueOf(id))).isEqualTo("STATUS_OK:11111");
    assertThat(call(c, "getExtraActivation", "activationId", "abc")).isEqualTo("WRONG_ACTIVATION_ID");
    assertThat(new JsonObject(call(c, "checkExtraActivation", "activationId", String.valueOf(id))))
        .isEqualTo(new JsonObject().put("status", "success").put("cost", 0.5).put("service", "tg").put("phone", phone)
            .put("country", 0));
    assertThat(new JsonObject(call(c, "reactivate", "id", "x")).getString("title")).isEqualTo("WRONG_ACTIVATION_ID");
    assertThat(new JsonObject(call(c, "reactivate", "id", "999999")).getString("title")).isEqualTo("NO_ACTIVATION");
    assertThat(new JsonObject(call(c, "reactivate", "id", String.valueOf(id), "service", "wa", "bogus", "1"))
        .getString("title")).isEqualTo("ERROR_SQL");
    node.assertMoneyInvariants();
  }

  @Test
  void anAdditionalServiceIsBoughtOnTheSameNumberOnceAndMultiServiceIsNotSold() {
    Customer c = node.customer("more", "5.00");
    long parent = buy(c, "tg");
    String reply = call(c, "getAdditionalService", "id", String.valueOf(parent), "service", "wa");
    assertThat(reply).matches("ADDITIONAL:\\d+:7\\d{10}");
    String phone = new JsonObject(call(c, "getActiveActivations")).getJsonArray("data").stream()
        .map(JsonObject.class::cast).filter(a -> a.getString("activationId").equals(String.valueOf(parent)))
        .findFirst().orElseThrow().getString("phoneNumber");
    assertThat(reply.split(":")[2]).isEqualTo(phone);
    assertThat(balance(c)).isEqualTo("3.80");
    assertThat(call(c, "getAdditionalService", "id", String.valueOf(parent), "service", "wa")).isEqualTo("REPEAT_ADDITIONAL_SERVICE");
    assertThat(call(c, "getAdditionalService", "id", String.valueOf(parent), "service", "tg")).isEqualTo("WRONG_ADDITIONAL_SERVICE");
    assertThat(call(c, "getAdditionalService", "id", String.valueOf(parent), "service", "B!")).isEqualTo("WRONG_ADDITIONAL_SERVICE");
    assertThat(call(c, "getAdditionalService", "id", "424242", "service", "wa")).isEqualTo("WRONG_ACTIVATION_ID");
    assertThat(call(c, "getAdditionalService", "service", "wa")).isEqualTo("WRONG_ACTIVATION_ID");
    assertThat(call(c, "getMultiServiceNumber", "multiService", "tg,wa", "country", "0")).isEqualTo("NOT_AVAILABLE");
    assertThat(call(c, "getMultiServiceNumber", "multiService", "tg,wa", "surprise", "1")).isEqualTo("ERROR_SQL");
    assertThat(balance(c)).isEqualTo("3.80");
  }

  @Test
  void purchaseParametersWeWouldNotHonourBuyNothing() {
    Customer c = node.customer("careful", "5.00");
    assertThat(call(c, "getNumber", "service", "tg", "forward", "1")).isEqualTo("NOT_AVAILABLE");
    assertThat(call(c, "getNumber", "service", "tg", "activationType", "2")).isEqualTo("NOT_AVAILABLE");
    assertThat(call(c, "getNumberV2", "service", "tg", "verification", "true")).isEqualTo("NOT_AVAILABLE");
    assertThat(call(c, "getNumber", "service", "tg", "currency", "643")).isEqualTo("WRONG_CURRENCY");
    assertThat(call(c, "getNumber", "service", "tg", "duration", "24")).isEqualTo("ERROR_SQL");
    assertThat(call(c, "getNumber", "service", "tg", "forward", "maybe")).isEqualTo("ERROR_SQL");
    assertThat(call(c, "getNumber", "service", "tg", "freePrice", "true")).isEqualTo("ERROR_SQL");
    assertThat(call(c, "getNumber", "service", "tg", "fixedPrice", "1", "maxPrice", "0.60")).isEqualTo("WRONG_MAX_PRICE:0.50");
    assertThat(balance(c)).isEqualTo("5.00");
    // what we can honour is bought as asked
    assertThat(call(c, "getNumber", "service", "tg", "fixedPrice", "1", "maxPrice", "0.50")).startsWith("ACCESS_NUMBER:");
    assertThat(call(c, "getNumber", "service", "tg", "freePrice", "true", "maxPrice", "0.55", "forward", "0",
        "ref", "x", "userId", "7", "currency", "840")).startsWith("ACCESS_NUMBER:");
    assertThat(call(c, "getNumber", "service", "tg", "freePrice", "true", "maxPrice", "0.40")).isEqualTo("WRONG_MAX_PRICE:0.50");
    assertThat(balance(c)).isEqualTo("4.00");
  }

  @Test
  void anEarlyCancelThroughHerosActionCarriesTheMinimumActivationTime() {
    Customer c = node.customer("early", "5.00");
    long id = buy(c, "tg");
    JsonObject refusal = new JsonObject(call(c, "cancelActivation", "id", String.valueOf(id)));
    assertThat(refusal.getString("title")).isEqualTo("EARLY_CANCEL_DENIED");
    assertThat(refusal.getString("details")).isNotBlank();
    assertThat(refusal.getJsonObject("info").getLong("minActivationTime")).isEqualTo(2L);
    assertThat(refusal.getJsonObject("info").getString("cancellableAt")).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    // the classic action keeps the text token
    assertThat(call(c, "setStatus", "id", String.valueOf(id), "status", "8")).isEqualTo("EARLY_CANCEL_DENIED");
    Await.pause(Duration.ofMillis(2100));
    assertThat(call(c, "cancelActivation", "id", String.valueOf(id))).isEqualTo("ACCESS_CANCEL");
    assertThat(balance(c)).isEqualTo("5.00");
  }

  @Test
  void everyActionAnSdkCallsThatWeDoNotServeAnswersBadAction() {
    Customer c = node.customer("sdk", "1.00");
    for (String action : CompatUnsupported.REASONS.keySet()) {
      assertThat(both(api, "api_key", c.apiKey(), "action", action, "id", "1")).as(action).isEqualTo("BAD_ACTION");
    }
    assertThat(call(c, "getOperators", "country", "99999")).isEqualTo("OPERATORS_NOT_FOUND");
    JsonObject operators = new JsonObject(call(c, "getOperators", "country", "0"));
    assertThat(operators.getJsonObject("countryOperators").getJsonArray("0").getString(0)).isEqualTo("any");
  }
}
