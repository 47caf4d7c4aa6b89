package com.otporchestrator.compat;

import static com.otporchestrator.compat.CompatHttp.both;
import static com.otporchestrator.compat.CompatHttp.getText;
import static com.otporchestrator.compat.CompatHttp.postText;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Every action and every error token of /stubs/handler_api.php, over real HTTP, GET and POST. */
@DisplayName("The sms-activate compatible API")
class CompatApiTest {
  private static final DateTimeFormatter MOSCOW_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static ListAppender<ILoggingEvent> logs;

  @BeforeAll
  static void start() {
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    stores = TestStores.isolate(CompatApiTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("CANCEL_DELAY_SECONDS", "1");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    node.offer("wa", 0, "1.25");
    node.offer("tg", 187, "0.80");
  }

  @AfterAll
  static void stop() {
    try {
      node.assertMoneyInvariants();
      node.assertEventLoopNeverBlocked();
    } finally {
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
      node.close();
      stores.close();
    }
  }

  private static String buy(Customer c, String service) {
    return getText(api, "api_key", c.apiKey(), "action", "getNumber", "service", service, "country", "0");
  }

  private static long idOf(String accessNumber) {
    assertThat(accessNumber).matches("ACCESS_NUMBER:\\d+:7\\d{10}");
    return Long.parseLong(accessNumber.split(":")[1]);
  }

  private static void pushSms(long id, String text) {
    Api.Response response = api.post("/admin/v1/sandbox/activations/" + id + "/sms", TestNode.ADMIN_TOKEN,
        new JsonObject().put("text", text));
    assertThat(response.status()).as("%s", response).isEqualTo(200);
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

  /** Everything logged so far (the appender appends under its own lock). */
  private static List<ILoggingEvent> logged() {
    synchronized (logs) {
      return new ArrayList<>(logs.list);
    }
  }

  private static JsonObject wallet(Customer c) {
    return api.get("/v1/wallet", c.apiKey()).json();
  }

  // ---- keys and actions

  @Test
  void answersNoKeyWhenTheKeyIsMissingOrEmpty() {
    assertThat(both(api, "action", "getBalance")).isEqualTo("NO_KEY");
    assertThat(both(api, "api_key", "", "action", "getBalance")).isEqualTo("NO_KEY");
  }

  @Test
  void answersBadKeyForAnUnknownKey() {
    assertThat(both(api, "api_key", "0123456789abcdef0123456789abcdef", "action", "getBalance")).isEqualTo("BAD_KEY");
    assertThat(both(api, "api_key", "0123456789abcdef0123456789abcdef", "action", "nosuch")).isEqualTo("BAD_KEY");
  }

  @Test
  void answersBadActionForAnUnknownOrMissingAction() {
    Customer c = node.customer("actions", "1.00");
    assertThat(both(api, "api_key", c.apiKey(), "action", "noSuchAction")).isEqualTo("BAD_ACTION");
    assertThat(both(api, "api_key", c.apiKey())).isEqualTo("BAD_ACTION");
  }

  @Test
  void answersEveryTokenWithHttp200AsPlainText() {
    Api.Response response = CompatHttp.get(api, "action", "getBalance");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("text/plain");
    assertThat(response.body()).isEqualTo("NO_KEY");
  }

  @Test
  void answersErrorSqlNotAProblemOr500ForABodyOverTheLimit() {
    Customer c = node.customer("bigbody", "1.00");
    String huge = "x".repeat(70 * 1024);
    Api.Response response = CompatHttp.post(api, "api_key", c.apiKey(), "action", "getBalance", "junk", huge);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ERROR_SQL");
  }

  // ---- account and catalogue

  @Test
  void answersTheBalanceInPlainDecimalUsd() {
    Customer c = node.customer("balance", "12.345");
    assertThat(both(api, "api_key", c.apiKey(), "action", "getBalance")).isEqualTo("ACCESS_BALANCE:12.345");
    assertThat(both(api, "api_key", c.apiKey(), "action", "getBalanceAndCashBack")).isEqualTo("ACCESS_BALANCE:12.345");
    Customer empty = node.customer("empty", null);
    assertThat(both(api, "api_key", empty.apiKey(), "action", "getBalance")).isEqualTo("ACCESS_BALANCE:0.00");
  }

  @Test
  void listsPricesByCountryThenServiceWithExactDecimalCosts() {
    Customer c = node.customer("prices", "1.00");
    String body = both(api, "api_key", c.apiKey(), "action", "getPrices", "service", "tg", "country", "0");
    assertThat(body).matches("\\{\"0\":\\{\"tg\":\\{\"cost\":0\\.50,\"count\":\\d+,\"physicalCount\":\\d+}}}");
    JsonObject all = new JsonObject(both(api, "api_key", c.apiKey(), "action", "getPrices"));
    assertThat(all.fieldNames()).containsExactlyInAnyOrder("0", "187");
    assertThat(all.getJsonObject("0").fieldNames()).containsExactlyInAnyOrder("tg", "wa");
    assertThat(all.getJsonObject("187").getJsonObject("tg").getValue("cost")).isEqualTo(0.8);
    assertThat(both(api, "api_key", c.apiKey(), "action", "getPrices", "country", "abc")).isEqualTo("WRONG_COUNTRY");
    assertThat(both(api, "api_key", c.apiKey(), "action", "getPrices", "service", "NO SUCH")).isEqualTo("BAD_SERVICE");
  }

  @Test
  void countsNumbersPerServiceWithTheForwardingSuffix() {
    Customer c = node.customer("numbers", "1.00");
    JsonObject counts = new JsonObject(both(api, "api_key", c.apiKey(), "action", "getNumbersStatus", "country", "0"));
    assertThat(counts.fieldNames()).containsExactlyInAnyOrder("tg_0", "wa_0");
    assertThat(counts.getValue("tg_0")).isInstanceOf(Integer.class);
    JsonObject usa = new JsonObject(both(api, "api_key", c.apiKey(), "action", "getNumbersStatus", "country", "187"));
    assertThat(usa.fieldNames()).containsExactly("tg_0");
  }

  @Test
  void listsCountriesWithTheirSmsActivateIds() {
    Customer c = node.customer("countries", "1.00");
    JsonObject countries = new JsonObject(both(api, "api_key", c.apiKey(), "action", "getCountries"));
    assertThat(countries.getJsonObject("187")).isEqualTo(new JsonObject().put("id", 187).put("rus", "USA")
        .put("eng", "USA").put("chn", "USA").put("visible", 1).put("retry", 1).put("rent", 0).put("multiService", 0));
    assertThat(countries.getJsonObject("0").getString("eng")).isEqualTo("Russia");
    // nothing is sold in Ukraine here: not visible, no retry, no rent
    assertThat(countries.getJsonObject("1")).isEqualTo(new JsonObject().put("id", 1).put("rus", "Ukraine")
        .put("eng", "Ukraine").put("chn", "Ukraine").put("visible", 0).put("retry", 0).put("rent", 0).put("multiService", 0));
  }

  @Test
  void listsServicesAllOrThoseSoldInACountry() {
    Customer c = node.customer("services", "1.00");
    JsonObject all = new JsonObject(both(api, "api_key", c.apiKey(), "action", "getServicesList"));
    assertThat(all.getString("status")).isEqualTo("success");
    assertThat(all.getJsonArray("services")).contains(new JsonObject().put("code", "tg").put("name", "Telegram"));
    JsonObject usa = new JsonObject(both(api, "api_key", c.apiKey(), "action", "getServicesList", "country", "187"));
    assertThat(usa).isEqualTo(new JsonObject().put("status", "success")
        .put("services", new JsonArray().add(new JsonObject().put("code", "tg").put("name", "Telegram"))));
  }

  @Test
  void ranksTopCountriesForAServiceWithAnOptionalFreePriceMap() {
    Customer c = node.customer("top", "1.00");
    JsonObject top = new JsonObject(both(api, "api_key", c.apiKey(), "action", "getTopCountriesByService", "service", "tg"));
    assertThat(top.fieldNames()).containsExactlyInAnyOrder("0", "1");
    JsonObject first = top.getJsonObject("0");
    // the family's fields, Hero's physical* fields, and the delivery rate over the window (null before any outcome)
    assertThat(first.fieldNames()).containsExactlyInAnyOrder("country", "count", "price", "retail_price",
        "physicalTotalCount", "physicalCountForDefaultPrice", "physicalPriceMap", "deliveryRate", "delivered", "ended");
    assertThat(first.getInteger("count")).isGreaterThanOrEqualTo(top.getJsonObject("1").getInteger("count"));
    JsonObject wa = new JsonObject(both(api, "api_key", c.apiKey(), "action", "getTopCountriesByService", "service", "wa",
        "freePrice", "true")).getJsonObject("0");
    assertThat(wa.getInteger("country")).isZero();
    assertThat(wa.getDouble("price")).isEqualTo(1.25);
    assertThat(wa.getDouble("retail_price")).isEqualTo(1.25);
    assertThat(wa.getJsonObject("freePriceMap")).isEqualTo(new JsonObject().put("1.25", wa.getLong("count")));
    assertThat(wa.getJsonObject("physicalPriceMap")).isEqualTo(wa.getJsonObject("freePriceMap"));
    assertThat(wa.getLong("physicalCountForDefaultPrice")).isEqualTo(wa.getLong("count"));
    assertThat(both(api, "api_key", c.apiKey(), "action", "getTopCountriesByService", "service", "Bad!")).isEqualTo("BAD_SERVICE");
    assertThat(both(api, "api_key", c.apiKey(), "action", "getTopCountriesByServiceRank", "freePrice", "maybe"))
        .isEqualTo("ERROR_SQL");
  }

  @Test
  void offersTheAnyOperatorOnlyAndRefusesAnUnknownCountry() {
    Customer c = node.customer("operators", "1.00");
    assertThat(both(api, "api_key", c.apiKey(), "action", "getOperators", "country", "187"))
        .isEqualTo("{\"status\":\"success\",\"countryOperators\":{\"187\":[\"any\"]}}");
    assertThat(new JsonObject(both(api, "api_key", c.apiKey(), "action", "getOperators"))
        .getJsonObject("countryOperators").getJsonArray("0")).containsExactly("any");
    assertThat(both(api, "api_key", c.apiKey(), "action", "getOperators", "country", "99999")).isEqualTo("OPERATORS_NOT_FOUND");
  }

  // ---- ordering

  @Test
  void sellsANumberAsAccessNumberOverGetAndPost() {
    Customer c = node.customer("getnumber", "10.00");
    long id = idOf(buy(c, "tg"));
    String viaPost = postText(api, "api_key", c.apiKey(), "action", "getNumber", "service", "wa", "country", "0",
        "operator", "any");
    long second = idOf(viaPost);
    assertThat(second).isGreaterThan(id);
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "8.25").put("held", "1.75").put("currency", "USD"));
  }

  @Test
  void sellsANumberAsJsonWithV2() {
    Customer c = node.customer("getnumberv2", "10.00");
    Instant before = Instant.now().minusSeconds(2);
    JsonObject order = new JsonObject(getText(api, "api_key", c.apiKey(), "action", "getNumberV2", "service", "tg",
        "country", "187", "maxPrice", "0.80"));
    assertThat(order.fieldNames()).containsExactlyInAnyOrder("activationId", "phoneNumber", "activationCost", "currency",
        "countryCode", "canGetAnotherSms", "activationTime", "activationEndTime", "activationOperator");
    assertThat(order.getValue("activationId")).isInstanceOf(Number.class);
    assertThat(order.getString("phoneNumber")).matches("1\\d{10}");
    assertThat(order.getValue("activationCost")).isEqualTo(0.8);
    assertThat(order.getInteger("currency")).isEqualTo(840);
    assertThat(order.getString("countryCode")).isEqualTo("187");
    assertThat(order.getString("canGetAnotherSms")).isEqualTo("1");
    assertThat(order.getString("activationOperator")).isEqualTo("any");
    Instant start = LocalDateTime.parse(order.getString("activationTime"), MOSCOW_TIME).atZone(ZoneId.of("Europe/Moscow")).toInstant();
    Instant end = LocalDateTime.parse(order.getString("activationEndTime"), MOSCOW_TIME).atZone(ZoneId.of("Europe/Moscow")).toInstant();
    assertThat(start).isBetween(before, Instant.now().plusSeconds(2));
    assertThat(Duration.between(start, end).toSeconds()).isBetween(1195L, 1202L);
    JsonObject viaJsonApi = api.get("/v1/activations/" + order.getLong("activationId"), c.apiKey()).json();
    assertThat(viaJsonApi.getString("phone")).isEqualTo(order.getString("phoneNumber"));
    assertThat(viaJsonApi.getString("price")).isEqualTo("0.80");
  }

  @Test
  void refusesWithTheProtocolTokensAndHoldsNothing() {
    Customer c = node.customer("refused", "10.00");
    assertThat(call(c, "getNumber", "service", "wa", "country", "0", "maxPrice", "1.00")).isEqualTo("WRONG_MAX_PRICE:1.25");
    assertThat(call(c, "getNumberV2", "service", "wa", "country", "0", "maxPrice", "1.2")).isEqualTo("WRONG_MAX_PRICE:1.25");
    assertThat(call(c, "getNumber", "service", "nosuch", "country", "0")).isEqualTo("BAD_SERVICE");
    assertThat(call(c, "getNumber", "country", "0")).isEqualTo("BAD_SERVICE");
    assertThat(call(c, "getNumber", "service", "tg", "country", "99999")).isEqualTo("WRONG_COUNTRY");
    assertThat(call(c, "getNumberV2", "service", "tg", "country", "abc")).isEqualTo("WRONG_COUNTRY");
    assertThat(call(c, "getNumber", "service", "ig", "country", "0")).isEqualTo("NO_NUMBERS");
    assertThat(call(c, "getNumber", "service", "tg", "country", "0", "phoneException", "79x")).isEqualTo("WRONG_EXCEPTION_PHONE");
    assertThat(call(c, "getNumber", "service", "tg", "country", "0", "maxPrice", "cheap")).isEqualTo("ERROR_SQL");
    Customer poor = node.customer("poor", "0.40");
    assertThat(call(poor, "getNumber", "service", "tg", "country", "0")).isEqualTo("NO_BALANCE");
    assertThat(postText(api, "api_key", poor.apiKey(), "action", "getNumberV2", "service", "tg", "country", "0")).isEqualTo("NO_BALANCE");
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "10.00").put("held", "0.00").put("currency", "USD"));
    assertThat(wallet(poor).getString("balance")).isEqualTo("0.40");
  }

  @Test
  void passesExcludedPrefixesToTheSupplier() {
    Customer c = node.customer("prefixes", "10.00");
    // every Russian sandbox number starts with 7: excluding 7 leaves none
    assertThat(call(c, "getNumber", "service", "tg", "country", "0", "phoneException", "7")).isEqualTo("NO_NUMBERS");
    long id = idOf(call(c, "getNumber", "service", "tg", "country", "0", "phoneException", "7999, 7998"));
    String phone = api.get("/v1/activations/" + id, c.apiKey()).json().getString("phone");
    assertThat(phone).doesNotStartWith("7999").doesNotStartWith("7998");
    assertThat(wallet(c).getString("held")).isEqualTo("0.50");
  }

  @Test
  void refusesASuspendedAccountWithBannedUntilInMoscowTime() {
    Customer c = node.customer("suspended", "10.00");
    Api.Response suspended = api.put("/admin/v1/accounts/" + c.id() + "/status", TestNode.ADMIN_TOKEN,
        new JsonObject().put("status", "suspended").put("until", "2031-01-05T09:04:07Z"));
    assertThat(suspended.status()).as("%s", suspended).isEqualTo(200);
    assertThat(suspended.json()).isEqualTo(new JsonObject().put("id", c.id()).put("name", "suspended")
        .put("status", "suspended").put("suspendedUntil", "2031-01-05T09:04:07Z"));
    assertThat(call(c, "getNumber", "service", "tg", "country", "0")).isEqualTo("BANNED:'2031-01-05 12-04-07'");
    assertThat(call(c, "getNumberV2", "service", "tg", "country", "0")).isEqualTo("BANNED:'2031-01-05 12-04-07'");
    assertThat(call(c, "getBalance")).isEqualTo("ACCESS_BALANCE:10.00");
    Api.Response viaJsonApi = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(viaJsonApi.status()).isEqualTo(403);

    Customer forever = node.customer("suspended-forever", "10.00");
    api.put("/admin/v1/accounts/" + forever.id() + "/status", TestNode.ADMIN_TOKEN, new JsonObject().put("status", "suspended"));
    assertThat(call(forever, "getNumber", "service", "tg", "country", "0")).isEqualTo("BANNED:'9999-12-31 23-59-59'");
    assertThat(wallet(forever).getString("held")).isEqualTo("0.00");
  }

  @Test
  void refusesBadSuspensionRequests() {
    Customer c = node.customer("suspension-input", "1.00");
    String path = "/admin/v1/accounts/" + c.id() + "/status";
    assertThat(api.put(path, TestNode.ADMIN_TOKEN, new JsonObject().put("status", "banned")).status()).isEqualTo(400);
    assertThat(api.put(path, TestNode.ADMIN_TOKEN, new JsonObject().put("status", "active").put("until", "2031-01-01T00:00:00Z")).status()).isEqualTo(400);
    assertThat(api.put(path, TestNode.ADMIN_TOKEN, new JsonObject().put("status", "suspended").put("until", "2001-01-01T00:00:00Z")).status()).isEqualTo(400);
    assertThat(api.put(path, TestNode.ADMIN_TOKEN, new JsonObject().put("status", "suspended").put("until", "tomorrow")).status()).isEqualTo(400);
    assertThat(api.put("/admin/v1/accounts/999999/status", TestNode.ADMIN_TOKEN, new JsonObject().put("status", "active")).status()).isEqualTo(404);
    Api.Response active = api.put(path, TestNode.ADMIN_TOKEN, new JsonObject().put("status", "active"));
    assertThat(active.json().getString("status")).isEqualTo("active");
  }

  // ---- reading and setStatus

  @Test
  void followsAnOrderFromWaitingToCodeToRetryToFinished() {
    Customer c = node.customer("reader", "10.00");
    long id = idOf(buy(c, "tg"));
    String ids = String.valueOf(id);
    assertThat(both(api, "api_key", c.apiKey(), "action", "getStatus", "id", ids)).isEqualTo("STATUS_WAIT_CODE");
    assertThat(both(api, "api_key", c.apiKey(), "action", "getStatusV2", "id", ids))
        .isEqualTo("{\"verificationType\":0,\"sms\":null,\"call\":null}");
    assertThat(both(api, "api_key", c.apiKey(), "action", "getFullSms", "id", ids)).isEqualTo("STATUS_WAIT_CODE");
    assertThat(call(c, "setStatus", "id", ids, "status", "3")).isEqualTo("BAD_STATUS");
    assertThat(call(c, "setStatus", "id", ids, "status", "6")).isEqualTo("BAD_STATUS");
    assertThat(both(api, "api_key", c.apiKey(), "action", "setStatus", "id", ids, "status", "1")).isEqualTo("ACCESS_READY");

    pushSms(id, "Telegram code 61034. Do not share it.");
    assertThat(both(api, "api_key", c.apiKey(), "action", "getStatus", "id", ids)).isEqualTo("STATUS_OK:61034");
    JsonObject v2 = new JsonObject(both(api, "api_key", c.apiKey(), "action", "getStatusV2", "id", ids));
    assertThat(v2.getInteger("verificationType")).isZero();
    assertThat(v2.getValue("call")).isNull();
    assertThat(v2.getJsonObject("sms").getString("code")).isEqualTo("61034");
    assertThat(v2.getJsonObject("sms").getString("text")).isEqualTo("Telegram code 61034. Do not share it.");
    assertThat(v2.getJsonObject("sms").getString("dateTime")).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    assertThat(both(api, "api_key", c.apiKey(), "action", "getFullSms", "id", ids))
        .isEqualTo("FULL_SMS:Telegram code 61034. Do not share it.");

    assertThat(call(c, "setStatus", "id", ids, "status", "3")).isEqualTo("ACCESS_RETRY_GET");
    assertThat(call(c, "setStatus", "id", ids, "status", "3")).isEqualTo("ACCESS_RETRY_GET");
    assertThat(call(c, "getStatus", "id", ids)).isEqualTo("STATUS_WAIT_RETRY:61034");
    pushSms(id, "Telegram code 77120");
    assertThat(call(c, "getStatus", "id", ids)).isEqualTo("STATUS_OK:77120");

    assertThat(postText(api, "api_key", c.apiKey(), "action", "setStatus", "id", ids, "status", "6")).isEqualTo("ACCESS_ACTIVATION");
    assertThat(call(c, "setStatus", "id", ids, "status", "6")).isEqualTo("ACCESS_ACTIVATION");
    assertThat(call(c, "finishActivation", "id", ids)).isEqualTo("ACCESS_ACTIVATION");
    assertThat(call(c, "setStatus", "id", ids, "status", "3")).isEqualTo("BAD_STATUS");
    assertThat(call(c, "setStatus", "id", ids, "status", "1")).isEqualTo("BAD_STATUS");
    assertThat(call(c, "getStatus", "id", ids)).isEqualTo("STATUS_OK:77120");
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "9.50").put("held", "0.00").put("currency", "USD"));
  }

  @Test
  void cancelsAfterTheMinimumDelayWithARefundAndAnswersCancelledReadsAsCancel() {
    Customer c = node.customer("canceller", "10.00");
    String id = String.valueOf(idOf(buy(c, "wa")));
    assertThat(call(c, "setStatus", "id", id, "status", "8")).isEqualTo("EARLY_CANCEL_DENIED");
    assertThat(wallet(c).getString("held")).isEqualTo("1.25");
    Await.pause(Duration.ofMillis(1100));
    assertThat(postText(api, "api_key", c.apiKey(), "action", "setStatus", "id", id, "status", "8")).isEqualTo("ACCESS_CANCEL");
    assertThat(call(c, "setStatus", "id", id, "status", "8")).isEqualTo("ACCESS_CANCEL");
    assertThat(call(c, "cancelActivation", "id", id)).isEqualTo("ACCESS_CANCEL");
    assertThat(call(c, "setStatus", "id", id, "status", "6")).isEqualTo("BAD_STATUS");
    assertThat(call(c, "setStatus", "id", id, "status", "3")).isEqualTo("BAD_STATUS");
    assertThat(call(c, "getStatus", "id", id)).isEqualTo("STATUS_CANCEL");
    assertThat(call(c, "getStatusV2", "id", id)).isEqualTo("STATUS_CANCEL");
    assertThat(call(c, "getFullSms", "id", id)).isEqualTo("STATUS_CANCEL");
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "10.00").put("held", "0.00").put("currency", "USD"));
  }

  @Test
  void closesAnOrderWithACodeWithoutRefundOnStatus8() {
    Customer c = node.customer("capture8", "10.00");
    long id = idOf(buy(c, "tg"));
    pushSms(id, "code 4242");
    assertThat(call(c, "setStatus", "id", String.valueOf(id), "status", "8")).isEqualTo("ACCESS_CANCEL");
    assertThat(call(c, "setStatus", "id", String.valueOf(id), "status", "8")).isEqualTo("ACCESS_CANCEL");
    JsonObject order = api.get("/v1/activations/" + id, c.apiKey()).json();
    assertThat(order.getString("state")).isEqualTo("FINISHED");
    assertThat(call(c, "getStatus", "id", String.valueOf(id))).isEqualTo("STATUS_OK:4242");
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "9.50").put("held", "0.00").put("currency", "USD"));
    JsonObject capture = api.get("/v1/wallet/transactions", c.apiKey()).items().getJsonObject(0);
    assertThat(capture.getString("kind")).isEqualTo("capture");
    assertThat(capture.getLong("orderId")).isEqualTo(id);
  }

  @Test
  void answersNoActivationForUnknownOrForeignIdsAndBadStatusForUnknownStatuses() {
    Customer owner = node.customer("owner", "10.00");
    Customer stranger = node.customer("stranger", "10.00");
    String id = String.valueOf(idOf(buy(owner, "tg")));
    for (String action : new String[] {"getStatus", "getStatusV2", "getFullSms"}) {
      assertThat(both(api, "api_key", stranger.apiKey(), "action", action, "id", id)).as(action).isEqualTo("NO_ACTIVATION");
      assertThat(both(api, "api_key", owner.apiKey(), "action", action, "id", "42")).as(action).isEqualTo("NO_ACTIVATION");
      assertThat(both(api, "api_key", owner.apiKey(), "action", action, "id", "abc")).as(action).isEqualTo("NO_ACTIVATION");
      assertThat(both(api, "api_key", owner.apiKey(), "action", action)).as(action).isEqualTo("NO_ACTIVATION");
    }
    assertThat(call(stranger, "setStatus", "id", id, "status", "8")).isEqualTo("NO_ACTIVATION");
    assertThat(call(stranger, "setStatus", "id", id, "status", "6")).isEqualTo("NO_ACTIVATION");
    assertThat(call(stranger, "setStatus", "id", id, "status", "3")).isEqualTo("NO_ACTIVATION");
    assertThat(call(stranger, "setStatus", "id", id, "status", "1")).isEqualTo("NO_ACTIVATION");
    // Hero's actions answer Hero's JSON variant
    assertThat(new JsonObject(call(stranger, "finishActivation", "id", id)).getString("title")).isEqualTo("NO_ACTIVATION");
    assertThat(new JsonObject(call(owner, "cancelActivation", "id", "999999999")).getString("title")).isEqualTo("NO_ACTIVATION");
    assertThat(call(owner, "setStatus", "id", id, "status", "5")).isEqualTo("BAD_STATUS");
    assertThat(call(owner, "setStatus", "id", id, "status", "abc")).isEqualTo("BAD_STATUS");
    assertThat(call(owner, "setStatus", "id", id)).isEqualTo("BAD_STATUS");
    assertThat(call(owner, "getStatus", "id", id)).isEqualTo("STATUS_WAIT_CODE");
    assertThat(wallet(stranger).getString("balance")).isEqualTo("10.00");
  }

  @Test
  void listsActiveActivationsOrNoActivations() {
    Customer c = node.customer("lister", "10.00");
    assertThat(both(api, "api_key", c.apiKey(), "action", "getActiveActivations")).isEqualTo("NO_ACTIVATIONS");
    long waiting = idOf(buy(c, "tg"));
    long coded = idOf(buy(c, "wa"));
    pushSms(coded, "WhatsApp code 123-456");
    JsonObject reply = new JsonObject(both(api, "api_key", c.apiKey(), "action", "getActiveActivations"));
    assertThat(reply.getString("status")).isEqualTo("success");
    JsonArray items = reply.getJsonArray("activeActivations");
    assertThat(items).hasSize(2);
    JsonObject first = items.getJsonObject(0);
    assertThat(first.fieldNames()).containsExactlyInAnyOrder("activationId", "serviceCode", "phoneNumber", "activationCost",
        "currency", "activationStatus", "smsCode", "smsText", "activationTime", "countryCode", "countryName",
        "canGetAnotherSms", "discount", "repeated");
    assertThat(first.getString("activationId")).isEqualTo(String.valueOf(coded));
    assertThat(first.getString("serviceCode")).isEqualTo("wa");
    assertThat(first.getValue("activationCost")).isEqualTo(1.25);
    assertThat(first.getString("activationStatus")).isEqualTo("2");
    assertThat(first.getJsonArray("smsCode")).containsExactly("123456");
    assertThat(first.getString("smsText")).isEqualTo("WhatsApp code 123-456");
    assertThat(first.getString("countryCode")).isEqualTo("0");
    assertThat(first.getString("countryName")).isEqualTo("Russia");
    JsonObject second = items.getJsonObject(1);
    assertThat(second.getString("activationId")).isEqualTo(String.valueOf(waiting));
    assertThat(second.getString("activationStatus")).isEqualTo("4");
    assertThat(second.getValue("smsCode")).isNull();
  }

  @Test
  void listsHistoryWithinAWindowAndPages() {
    Customer c = node.customer("historian", "10.00");
    long start = Instant.now().getEpochSecond() - 1;
    long finished = idOf(buy(c, "tg"));
    pushSms(finished, "code 9911");
    assertThat(call(c, "setStatus", "id", String.valueOf(finished), "status", "6")).isEqualTo("ACCESS_ACTIVATION");
    long open = idOf(buy(c, "wa"));
    JsonArray history = new JsonArray(both(api, "api_key", c.apiKey(), "action", "getHistory", "start", String.valueOf(start),
        "end", String.valueOf(Instant.now().getEpochSecond() + 1)));
    assertThat(history).hasSize(2);
    JsonObject newest = history.getJsonObject(0);
    assertThat(newest.fieldNames()).containsExactlyInAnyOrder("id", "date", "phone", "sms", "cost", "status", "currency");
    assertThat(newest.getString("id")).isEqualTo(String.valueOf(open));
    assertThat(newest.getString("status")).isEqualTo("4");
    JsonObject older = history.getJsonObject(1);
    assertThat(older.getString("id")).isEqualTo(String.valueOf(finished));
    assertThat(older.getString("sms")).isEqualTo("code 9911");
    assertThat(older.getValue("cost")).isEqualTo(0.5);
    assertThat(older.getString("status")).isEqualTo("6");
    assertThat(older.getInteger("currency")).isEqualTo(840);
    JsonArray page = new JsonArray(call(c, "getHistory", "offset", "1", "limit", "1"));
    assertThat(page).hasSize(1);
    assertThat(page.getJsonObject(0).getString("id")).isEqualTo(String.valueOf(finished));
    assertThat(new JsonArray(call(c, "getHistory", "size", "1")).getJsonObject(0).getString("id")).isEqualTo(String.valueOf(open));
    assertThat(new JsonArray(call(c, "getHistory", "end", String.valueOf(start - 100)))).isEmpty();
    assertThat(call(c, "getHistory", "start", "yesterday")).isEqualTo("WRONG_DATE");
  }

  // ---- logs

  @Test
  void neverLogTheApiKeyButLogEveryRequestWithItMasked() {
    Customer c = node.customer("logged", "10.00");
    buy(c, "tg");
    call(c, "getStatus", "id", "abc");
    call(c, "nosuch");
    postText(api, "api_key", c.apiKey(), "action", "getBalance");
    api.get("/v1/wallet", c.apiKey());
    Await.until("access lines", Duration.ofSeconds(5), () -> logged().stream()
        .anyMatch(e -> e.getFormattedMessage().contains("action=nosuch")));
    List<ILoggingEvent> lines = logged();
    assertThat(lines).noneMatch(e -> e.getFormattedMessage().contains(c.apiKey())
        || (e.getThrowableProxy() != null && String.valueOf(e.getThrowableProxy().getMessage()).contains(c.apiKey())));
    assertThat(lines).anyMatch(e -> e.getLoggerName().equals("access")
        && e.getFormattedMessage().matches("GET /stubs/handler_api\\.php\\?api_key=\\*\\*\\*&action=getNumber&service=tg&country=0 200 \\d+ms"));
    assertThat(lines).anyMatch(e -> e.getLoggerName().equals("access")
        && e.getFormattedMessage().matches("POST /stubs/handler_api\\.php 200 \\d+ms"));
    assertThat(lines).anyMatch(e -> e.getLoggerName().equals("access")
        && e.getFormattedMessage().matches("GET /v1/wallet 200 \\d+ms"));
  }
}
