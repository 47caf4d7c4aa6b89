package com.otporchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("POST /providers/{id}/sms, where SMSHub-protocol suppliers push every SMS they receive")
class ProviderPushRouteTest {
  private static final AtomicLong SMS_IDS = new AtomicLong(9_000_000);
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static String pushKey;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(ProviderPushRouteTest.class);
    node = TestNode.start(stores);
    api = node.api();
    pushKey = node.config().sandbox().key();
    assertThat(pushKey).isEqualTo("sandbox-key");
    node.offer("tg", 0, "0.50");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static JsonObject push(long smsId, String phone, String text) {
    return new JsonObject().put("action", "PUSH_SMS").put("key", pushKey).put("smsId", smsId)
        .put("phone", Long.parseLong(phone)).put("phoneFrom", "Telegram").put("text", text);
  }

  private static Api.Response send(String providerId, String body) {
    return api.send("POST", "/providers/" + providerId + "/sms", null, "application/json", body);
  }

  private static void assertSmshubReply(Api.Response response, int status, String replyStatus) {
    assertThat(response.status()).as("%s", response).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/json");
    assertThat(response.json().getString("status")).as("%s", response).isEqualTo(replyStatus);
  }

  private static long storedSms() {
    return Await.result(node.node().core().pool().query("SELECT count(*) AS n FROM activation_sms").execute())
        .iterator().next().getLong("n");
  }

  private static JsonObject buy(Customer customer) {
    Api.Response response = api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(response.status()).as("%s", response).isEqualTo(201);
    return response.json();
  }

  private static JsonObject order(Customer customer, long id) {
    return api.get("/v1/activations/" + id, customer.apiKey()).json();
  }

  @Test
  void answersNotFoundForAnUnknownProvider() {
    long before = storedSms();
    Api.Response response = send("nosuch", push(SMS_IDS.incrementAndGet(), "79281234567", "code 1234").encode());
    assertSmshubReply(response, 404, "ERROR");
    assertThat(response.json().getString("error")).isEqualTo("unknown provider");
    assertThat(storedSms()).isEqualTo(before);
  }

  @Test
  @DisplayName("refuses a wrong or missing key with 401 and an SMSHub ERROR reply, storing nothing")
  void refusesAWrongKey() {
    Customer customer = node.customer("keyed", "10.00");
    JsonObject order = buy(customer);
    long before = storedSms();
    for (Object key : new Object[] {"wrong-key", "", "SANDBOX-KEY", pushKey + " ", 12345}) {
      Api.Response response = send("sandbox", push(SMS_IDS.incrementAndGet(), order.getString("phone"), "code 1234")
          .put("key", key).encode());
      assertSmshubReply(response, 401, "ERROR");
      assertThat(response.json().getString("error")).isEqualTo("BAD_KEY");
    }
    JsonObject noKey = push(SMS_IDS.incrementAndGet(), order.getString("phone"), "code 1234");
    noKey.remove("key");
    assertSmshubReply(send("sandbox", noKey.encode()), 401, "ERROR");
    assertThat(storedSms()).isEqualTo(before);
    assertThat(order(customer, order.getLong("id")).getString("state")).isEqualTo("WAITING_CODE");
  }

  @ParameterizedTest(name = "body {0} -> 400 ERROR")
  @ValueSource(strings = {"{", "[1,2]", "\"PUSH_SMS\"", "null", ""})
  void refusesABodyThatIsNotAJsonObject(String body) {
    long before = storedSms();
    Api.Response response = send("sandbox", body);
    assertSmshubReply(response, 400, "ERROR");
    assertThat(response.json().getString("error")).isEqualTo("body must be a JSON object");
    assertThat(storedSms()).isEqualTo(before);
  }

  @Test
  @DisplayName("refuses a PUSH_SMS missing what it cannot do without, with a 400 saying what")
  void refusesAnIncompletePush() {
    long before = storedSms();
    JsonObject base = push(SMS_IDS.incrementAndGet(), "79281234567", "code 1234");
    assertPushRefused(base.copy().put("action", "GET_NUMBER"), "action must be PUSH_SMS");
    assertPushRefused(withRemoved(base, "action"), "action must be PUSH_SMS");
    assertPushRefused(withRemoved(base, "text"), "text is missing");
    assertPushRefused(base.copy().put("text", ""), "text is empty");
    assertPushRefused(base.copy().put("text", 42), "text must be a string");
    assertPushRefused(withRemoved(base, "phone"), "phone is missing");
    assertPushRefused(base.copy().put("phone", "not-a-phone"), "phone must be an integer");
    assertPushRefused(base.copy().put("phone", 12345), "phone must have 7 to 15 digits");
    assertPushRefused(base.copy().put("smsId", -5), "smsId must be a non-negative integer");
    assertPushRefused(base.copy().put("smsId", "abc"), "smsId must be a non-negative integer");
    assertThat(storedSms()).isEqualTo(before);
  }

  private static JsonObject withRemoved(JsonObject body, String field) {
    JsonObject copy = body.copy();
    copy.remove(field);
    return copy;
  }

  private static void assertPushRefused(JsonObject body, String error) {
    Api.Response response = send("sandbox", body.encode());
    assertSmshubReply(response, 400, "ERROR");
    assertThat(response.json().getString("error")).as("%s", response).contains(error);
  }

  @Test
  @DisplayName("stores a valid push on the open order of that phone and shows its extracted code")
  void deliversAPushToTheOpenOrder() {
    Customer customer = node.customer("receiver", "10.00");
    JsonObject order = buy(customer);
    long id = order.getLong("id");
    Api.Response response = send("sandbox", push(SMS_IDS.incrementAndGet(), order.getString("phone"),
        "Telegram code 61034. Do not share it.").encode());
    assertSmshubReply(response, 200, "SUCCESS");
    assertThat(response.json()).isEqualTo(new JsonObject().put("status", "SUCCESS"));

    JsonObject after = order(customer, id);
    assertThat(after.getString("state")).isEqualTo("CODE_RECEIVED");
    assertThat(after.getString("code")).isEqualTo("61034");
    assertThat(after.getJsonArray("sms")).hasSize(1);
    JsonObject sms = after.getJsonArray("sms").getJsonObject(0);
    assertThat(sms.getString("sender")).isEqualTo("Telegram");
    assertThat(sms.getString("text")).isEqualTo("Telegram code 61034. Do not share it.");
    assertThat(sms.getString("code")).isEqualTo("61034");
  }

  @Test
  @DisplayName("accepts the phone as a string with a plus, as sloppy agents send it")
  void acceptsAPhoneAsString() {
    Customer customer = node.customer("sloppy", "10.00");
    JsonObject order = buy(customer);
    JsonObject body = push(SMS_IDS.incrementAndGet(), order.getString("phone"), "code 777-888")
        .put("phone", "+" + order.getString("phone")).put("smsId", String.valueOf(SMS_IDS.incrementAndGet()));
    assertSmshubReply(send("sandbox", body.encode()), 200, "SUCCESS");
    assertThat(order(customer, order.getLong("id")).getString("code")).isEqualTo("777888");
  }

  @Test
  @DisplayName("stores the same smsId once however often it is pushed")
  void storesARepeatedSmsOnce() {
    Customer customer = node.customer("repeated", "10.00");
    JsonObject order = buy(customer);
    long smsId = SMS_IDS.incrementAndGet();
    String body = push(smsId, order.getString("phone"), "code 4242").encode();
    for (int i = 0; i < 3; i++) assertSmshubReply(send("sandbox", body), 200, "SUCCESS");
    JsonObject after = order(customer, order.getLong("id"));
    assertThat(after.getJsonArray("sms")).hasSize(1);
    assertThat(after.getString("code")).isEqualTo("4242");

    assertSmshubReply(send("sandbox", push(SMS_IDS.incrementAndGet(), order.getString("phone"), "code 5353").encode()),
        200, "SUCCESS");
    assertThat(order(customer, order.getLong("id")).getJsonArray("sms")).hasSize(2);
  }

  @Test
  @DisplayName("answers SUCCESS for a phone with no open order, so the agent stops, and stores it nowhere")
  void acknowledgesAnSmsForNoOrder() {
    long before = storedSms();
    Api.Response response = send("sandbox", push(SMS_IDS.incrementAndGet(), "15550001111", "code 9999").encode());
    assertSmshubReply(response, 200, "SUCCESS");
    assertThat(storedSms()).isEqualTo(before);
  }

  @Test
  @DisplayName("does not add a push that arrives after the order finished")
  void ignoresAPushAfterFinish() {
    Customer customer = node.customer("late", "10.00");
    JsonObject order = buy(customer);
    long id = order.getLong("id");
    assertSmshubReply(send("sandbox", push(SMS_IDS.incrementAndGet(), order.getString("phone"), "code 1212").encode()),
        200, "SUCCESS");
    Api.Response finished = api.post("/v1/activations/" + id + "/finish", customer.apiKey(), (String) null);
    assertThat(finished.status()).as("%s", finished).isEqualTo(200);
    long before = storedSms();

    assertSmshubReply(send("sandbox", push(SMS_IDS.incrementAndGet(), order.getString("phone"), "code 3434").encode()),
        200, "SUCCESS");
    JsonObject after = order(customer, id);
    assertThat(after.getString("state")).isEqualTo("FINISHED");
    assertThat(after.getString("code")).isEqualTo("1212");
    assertThat(after.getJsonArray("sms")).hasSize(1);
    assertThat(storedSms()).isEqualTo(before);
  }

  @Test
  @DisplayName("does not deliver another supplier's push to a sandbox order with the same phone")
  void keepsSuppliersApart() {
    Customer customer = node.customer("apart", "10.00");
    JsonObject order = buy(customer);
    Api.Response created = api.put("/admin/v1/providers/other-hub", TestNode.ADMIN_TOKEN, new JsonObject()
        .put("protocol", "smshub").put("baseUrl", "http://127.0.0.1:9/none").put("apiKey", "k")
        .put("pushKey", "other-key").put("enabled", false));
    assertThat(created.status()).as("%s", created).isEqualTo(200);
    long before = storedSms();
    assertSmshubReply(send("other-hub", push(SMS_IDS.incrementAndGet(), order.getString("phone"), "code 5656")
        .put("key", pushKey).encode()), 401, "ERROR");
    assertSmshubReply(send("other-hub", push(SMS_IDS.incrementAndGet(), order.getString("phone"), "code 5656")
        .put("key", "other-key").encode()), 200, "SUCCESS");
    assertThat(storedSms()).isEqualTo(before);
    assertThat(order(customer, order.getLong("id")).getJsonArray("sms")).isEmpty();
  }

  @Test
  void refusesAnOversizedPush() {
    long before = storedSms();
    Api.Response response = send("sandbox", push(SMS_IDS.incrementAndGet(), "79281234567", "x".repeat(70_000)).encode());
    assertThat(response.status()).isEqualTo(413);
    assertThat(storedSms()).isEqualTo(before);
  }
}
