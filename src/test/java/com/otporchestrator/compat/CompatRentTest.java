package com.otporchestrator.compat;

import static com.otporchestrator.compat.CompatHttp.getText;
import static com.otporchestrator.compat.CompatHttp.postText;
import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The protocol's rent actions (docs/protocol-details.md, rent actions): shapes and every error token, over real HTTP. */
@DisplayName("The sms-activate rent actions")
class CompatRentTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(CompatRentTest.class);
    Map<String, String> env = TestNode.defaults(stores);
    env.put("WEBHOOK_ALLOW_PRIVATE_URLS", "true");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    node.offer("wa", 0, "0.50");
    rentOffer("full", "0.10", 20);
    rentOffer("tg", "0.05", 7);
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static void rentOffer(String service, String hourly, int stock) {
    Api.Response r = api.put("/admin/v1/rent-offers", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("country", 0).put("service", service).put("hourlyPrice", hourly).put("stock", stock));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
  }

  private static JsonObject call(Customer c, String action, String... more) {
    String[] pairs = new String[4 + more.length];
    pairs[0] = "api_key";
    pairs[1] = c.apiKey();
    pairs[2] = "action";
    pairs[3] = action;
    System.arraycopy(more, 0, pairs, 4, more.length);
    String viaGet = getText(api, pairs);
    return new JsonObject(viaGet);
  }

  private static JsonObject error(String token) {
    return new JsonObject().put("status", "error").put("message", token);
  }

  private static long rent(Customer c, String... more) {
    JsonObject reply = call(c, "getRentNumber", more);
    assertThat(reply.getString("status")).as("%s", reply).isEqualTo("success");
    return reply.getJsonObject("phone").getLong("id");
  }

  private static void sql(String statement, Object... args) {
    Await.result(node.node().core().pool().preparedQuery(statement).execute(Tuple.from(args)));
  }

  private static JsonObject wallet(Customer c) {
    return api.get("/v1/wallet", c.apiKey()).json();
  }

  @Test
  void getRentServicesAndCountriesPricesTheAskedHoursPerService() {
    Customer c = node.customer("catalogue", "1.00");
    JsonObject reply = call(c, "getRentServicesAndCountries", "rent_time", "24", "country", "0");
    assertThat(reply).isEqualTo(new JsonObject()
        .put("countries", new JsonObject().put("0", 0))
        .put("operators", new JsonObject().put("0", "any"))
        .put("services", new JsonObject()
            .put("full", new JsonObject().put("cost", 2.4).put("quant", 20).put("price", 2.4).put("retail_price", 2.4)
                .put("quantity", 20))
            .put("tg", new JsonObject().put("cost", 1.2).put("quant", 7).put("price", 1.2).put("retail_price", 1.2)
                .put("quantity", 7)))
        .put("currency", 840));
    // Hero's clients name the length duration: the same hours, the same prices
    assertThat(call(c, "getRentServicesAndCountries", "duration", "24", "country", "0")).isEqualTo(reply);
    assertThat(call(c, "getRentServicesAndCountries").getJsonObject("services").getJsonObject("full").getDouble("cost"))
        .isEqualTo(0.4);
    assertThat(call(c, "getRentServicesAndCountries", "rent_time", "x")).isEqualTo(error("BAD_DURATION"));
  }

  @Test
  void getRentNumberAnswersIdEndDateAndNumberAndHoldsThePrice() {
    Customer c = node.customer("renter", "10.00");
    JsonObject reply = call(c, "getRentNumber", "service", "full", "rent_time", "4", "country", "0",
        "url", "http://127.0.0.1:9/hook");
    assertThat(reply.getString("status")).isEqualTo("success");
    JsonObject phone = reply.getJsonObject("phone");
    assertThat(phone.fieldNames()).containsExactly("id", "endDate", "number");
    assertThat(phone.getString("number")).matches("7\\d{10}");
    LocalDateTime end = LocalDateTime.parse(phone.getString("endDate"));
    LocalDateTime moscowNow = LocalDateTime.now(CompatTokens.ZONE);
    assertThat(Duration.between(moscowNow, end).toMinutes()).isBetween(238L, 240L);
    assertThat(wallet(c).getString("held")).isEqualTo("0.40");
    JsonObject view = api.get("/v1/rentals/" + phone.getLong("id"), c.apiKey()).json();
    assertThat(view.getString("webhookUrl")).isEqualTo("http://127.0.0.1:9/hook");

    JsonObject list = call(c, "getRentList");
    assertThat(list).isEqualTo(new JsonObject().put("status", "success").put("values",
        new JsonObject().put("0", new JsonObject().put("id", phone.getLong("id")).put("phone", Long.parseLong(phone.getString("number"))))));
  }

  @Test
  void aHeroClientsDurationRentsAndChargesExactlyThoseHoursAndNothingAmbiguousIsBought() {
    Customer c = node.customer("duration", "10.00");
    // Hero's clients send duration (hours): 24 hours rented and held at 24 x 0.10, not the 4-hour default
    long id = rent(c, "service", "full", "duration", "24", "country", "0");
    JsonObject rental = api.get("/v1/rentals/" + id, c.apiKey()).json();
    assertThat(rental.getInteger("hours")).isEqualTo(24);
    assertThat(rental.getString("price")).isEqualTo("2.40");
    assertThat(wallet(c).getString("held")).isEqualTo("2.40");
    // the same length under two names is fine; two different lengths, or a parameter we would not honour, buy nothing
    long same = rent(c, "service", "full", "rent_time", "24", "duration", "24");
    assertThat(api.get("/v1/rentals/" + same, c.apiKey()).json().getInteger("hours")).isEqualTo(24);
    JsonObject before = wallet(c);
    assertThat(call(c, "getRentNumber", "service", "full", "rent_time", "4", "duration", "24")).isEqualTo(error("BAD_DURATION"));
    assertThat(call(c, "getRentNumber", "service", "full", "time", "12", "rent_time", "24")).isEqualTo(error("BAD_DURATION"));
    assertThat(call(c, "getRentNumber", "service", "full", "duration", "24", "hours", "48")).isEqualTo(error("ERROR_SQL"));
    assertThat(call(c, "getRentNumber", "service", "full", "duration", "24", "operator", "mts")).isEqualTo(error("WRONG_OPERATOR"));
    assertThat(call(c, "getRentNumber", "service", "full", "duration", "24", "currency", "643")).isEqualTo(error("WRONG_CURRENCY"));
    assertThat(call(c, "getRentNumber", "service", "full", "duration", "24", "incomingCall", "true")).isEqualTo(error("NOT_AVAILABLE"));
    assertThat(call(c, "getRentNumber", "service", "full", "duration", "abc")).isEqualTo(error("BAD_DURATION"));
    assertThat(call(c, "continueRentNumber", "id", String.valueOf(id), "rent_time", "4", "duration", "8"))
        .isEqualTo(error("BAD_DURATION"));
    assertThat(call(c, "getContinueRentPriceNumber", "id", String.valueOf(id), "duration", "4"))
        .isEqualTo(new JsonObject().put("status", "success").put("price", 0.4).put("currency", 840));
    assertThat(wallet(c)).as("nothing bought by a refused request").isEqualTo(before);
    node.assertMoneyInvariants();
  }

  @Test
  void serviceCountRentListsEachLengthSoldWithItsPrice() {
    Customer c = node.customer("lengths", "1.00");
    JsonObject reply = call(c, "serviceCountRent", "service", "full", "country", "0");
    JsonObject lengths = reply.getJsonObject("0");
    assertThat(lengths.getJsonObject("24")).isEqualTo(new JsonObject().put("price", 2.4).put("count", 20));
    assertThat(lengths.getJsonObject("4")).isEqualTo(new JsonObject().put("price", 0.4).put("count", 20));
    assertThat(lengths.fieldNames()).allSatisfy(h -> assertThat(Integer.parseInt(h)).isBetween(4, 1344));
    // a Hero action: refusals in Hero's JSON variant
    assertThat(call(c, "serviceCountRent").getString("title")).isEqualTo("BAD_SERVICE");
    assertThat(call(c, "serviceCountRent", "service", "full", "operator", "mts").getString("title")).isEqualTo("WRONG_OPERATOR");
    assertThat(call(c, "serviceCountRent", "service", "full", "country", "x").getString("title")).isEqualTo("WRONG_COUNTRY");
    assertThat(call(c, "serviceCountRent", "service", "full", "country", "x").getJsonObject("info")).isEmpty();
  }

  @Test
  void getRentNumberRefusesWithTheProtocolsTokens() {
    Customer poor = node.customer("poor", "0.10");
    assertThat(call(poor, "getRentNumber", "service", "full", "rent_time", "4")).isEqualTo(error("NO_BALANCE"));
    assertThat(call(poor, "getRentNumber", "service", "nosuch", "rent_time", "4")).isEqualTo(error("BAD_SERVICE"));
    assertThat(call(poor, "getRentNumber", "service", "Bad!", "rent_time", "4")).isEqualTo(error("BAD_SERVICE"));
    assertThat(call(poor, "getRentNumber", "service", "full", "country", "999")).isEqualTo(error("WRONG_COUNTRY"));
    assertThat(call(poor, "getRentNumber", "service", "full", "country", "x")).isEqualTo(error("WRONG_COUNTRY"));
    assertThat(call(poor, "getRentNumber", "service", "wa", "rent_time", "4")).isEqualTo(error("NO_NUMBERS"));
    assertThat(call(poor, "getRentNumber", "service", "full", "rent_time", "2")).isEqualTo(error("BAD_DURATION"));
    assertThat(call(poor, "getRentNumber", "service", "full", "rent_time", "5000")).isEqualTo(error("BAD_DURATION"));
    assertThat(call(poor, "getRentNumber", "service", "full", "rent_time", "-4")).isEqualTo(error("BAD_DURATION"));
    assertThat(call(poor, "getRentNumber", "service", "full", "url", "not a url")).isEqualTo(error("ERROR_SQL"));
    assertThat(getText(api, "api_key", "wrong-key-000000000000000", "action", "getRentNumber")).isEqualTo("BAD_KEY");
    assertThat(getText(api, "action", "getRentList")).isEqualTo("NO_KEY");
    assertThat(wallet(poor).getString("balance")).isEqualTo("0.10");
  }

  @Test
  void getRentStatusWaitsThenListsEverySmsThenTellsFinishOrCancel() {
    Customer c = node.customer("status", "10.00");
    long id = rent(c, "service", "full", "rent_time", "4");
    assertThat(call(c, "getRentStatus", "id", String.valueOf(id))).isEqualTo(error("STATUS_WAIT_CODE"));
    for (String sender : new String[] {"Telegram", "WhatsApp"}) {
      Api.Response pushed = api.post("/admin/v1/sandbox/rentals/" + id + "/sms", TestNode.ADMIN_TOKEN,
          new JsonObject().put("sender", sender).put("text", sender + " code 4242"));
      assertThat(pushed.status()).as("%s", pushed).isEqualTo(200);
    }
    JsonObject status = call(c, "getRentStatus", "id", String.valueOf(id));
    assertThat(status.getString("status")).isEqualTo("success");
    assertThat(status.getString("quantity")).isEqualTo("2");
    JsonObject first = status.getJsonObject("values").getJsonObject("0");
    assertThat(first.fieldNames()).containsExactly("phoneFrom", "text", "service", "date");
    assertThat(first.getString("phoneFrom")).isEqualTo("Telegram");
    assertThat(first.getString("service")).isEqualTo("full");
    assertThat(first.getString("date")).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    assertThat(status.getJsonObject("values").getJsonObject("1").getString("phoneFrom")).isEqualTo("WhatsApp");
    JsonObject page = call(c, "getRentStatus", "id", String.valueOf(id), "page", "1", "size", "1");
    assertThat(page.getJsonObject("values").getJsonObject("0").getString("phoneFrom")).isEqualTo("WhatsApp");

    long unused = rent(c, "service", "tg", "rent_time", "4");
    assertThat(call(c, "setRentStatus", "id", String.valueOf(unused), "status", "1")).isEqualTo(new JsonObject().put("status", "success"));
    assertThat(call(c, "getRentStatus", "id", String.valueOf(unused))).isEqualTo(error("STATUS_FINISH"));
    long cancelled = rent(c, "service", "tg", "rent_time", "4");
    assertThat(call(c, "setRentStatus", "id", String.valueOf(cancelled), "status", "2")).isEqualTo(new JsonObject().put("status", "success"));
    assertThat(call(c, "getRentStatus", "id", String.valueOf(cancelled))).isEqualTo(error("STATUS_CANCEL"));

    Customer stranger = node.customer("stranger", "1.00");
    assertThat(call(stranger, "getRentStatus", "id", String.valueOf(id))).isEqualTo(error("INVALID_PHONE"));
    assertThat(call(c, "getRentStatus", "id", "999999999")).isEqualTo(error("INVALID_PHONE"));
    assertThat(call(c, "getRentStatus")).isEqualTo(error("NO_ID_RENT"));
    assertThat(call(c, "getRentStatus", "id", "abc")).isEqualTo(error("NO_ID_RENT"));
  }

  @Test
  void setRentStatusFinishesCancelsInsideTheWindowAndAnswersEveryRefusalToken() {
    Customer c = node.customer("setter", "10.00");
    long toCancel = rent(c, "service", "full", "rent_time", "4");
    assertThat(call(c, "setRentStatus", "id", String.valueOf(toCancel), "status", "2")).isEqualTo(new JsonObject().put("status", "success"));
    assertThat(wallet(c).getString("balance")).isEqualTo("10.00");
    assertThat(call(c, "setRentStatus", "id", String.valueOf(toCancel), "status", "2")).isEqualTo(error("ALREADY_CANCEL"));
    assertThat(call(c, "setRentStatus", "id", String.valueOf(toCancel), "status", "1")).isEqualTo(error("ALREADY_CANCEL"));

    long toFinish = rent(c, "service", "full", "rent_time", "4");
    assertThat(call(c, "setRentStatus", "id", String.valueOf(toFinish), "status", "1")).isEqualTo(new JsonObject().put("status", "success"));
    assertThat(call(c, "setRentStatus", "id", String.valueOf(toFinish), "status", "1")).isEqualTo(error("ALREADY_FINISH"));
    assertThat(call(c, "setRentStatus", "id", String.valueOf(toFinish), "status", "2")).isEqualTo(error("ALREADY_FINISH"));
    assertThat(wallet(c).getString("balance")).isEqualTo("9.60");

    long late = rent(c, "service", "full", "rent_time", "4");
    sql("UPDATE rentals SET cancel_until = now() WHERE id = $1", late);
    assertThat(call(c, "setRentStatus", "id", String.valueOf(late), "status", "2")).isEqualTo(error("CANT_CANCEL"));
    assertThat(call(c, "setRentStatus", "id", String.valueOf(late), "status", "3")).isEqualTo(error("INCORECT_STATUS"));
    assertThat(call(c, "setRentStatus", "id", String.valueOf(late))).isEqualTo(error("INCORECT_STATUS"));
    assertThat(call(c, "setRentStatus", "status", "1")).isEqualTo(error("NO_ID_RENT"));
    assertThat(call(c, "setRentStatus", "id", "123456789", "status", "1")).isEqualTo(error("INVALID_PHONE"));
    Customer stranger = node.customer("stranger2", "1.00");
    assertThat(call(stranger, "setRentStatus", "id", String.valueOf(late), "status", "1")).isEqualTo(error("INVALID_PHONE"));
    // the same call as a POST form answers the same
    assertThat(new JsonObject(postText(api, "api_key", c.apiKey(), "action", "setRentStatus", "id", String.valueOf(late), "status", "2")))
        .isEqualTo(error("CANT_CANCEL"));
  }

  @Test
  void continueRentNumberExtendsWithTheExtensionsPriceAndAnswersRentDieAfterTheEnd() {
    Customer c = node.customer("continuer", "10.00");
    JsonObject first = call(c, "getRentNumber", "service", "full", "rent_time", "4");
    long id = first.getJsonObject("phone").getLong("id");
    assertThat(call(c, "getContinueRentPriceNumber", "id", String.valueOf(id), "rent_time", "6"))
        .isEqualTo(new JsonObject().put("status", "success").put("price", 0.6).put("currency", 840));
    JsonObject extended = call(c, "continueRentNumber", "id", String.valueOf(id), "rent_time", "6");
    assertThat(extended.getString("status")).isEqualTo("success");
    LocalDateTime before = LocalDateTime.parse(first.getJsonObject("phone").getString("endDate"));
    LocalDateTime after = LocalDateTime.parse(extended.getJsonObject("phone").getString("endDate"));
    assertThat(Duration.between(before, after)).isEqualTo(Duration.ofHours(6));
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "9.00").put("held", "1.00").put("currency", "USD"));
    assertThat(call(c, "continueRentNumber", "id", String.valueOf(id), "rent_time", "2000")).isEqualTo(error("BAD_DURATION"));
    assertThat(call(c, "continueRentNumber", "rent_time", "2")).isEqualTo(error("NO_ID_RENT"));
    assertThat(call(c, "continueRentNumber", "id", "77777", "rent_time", "2")).isEqualTo(error("INVALID_PHONE"));

    sql("UPDATE rentals SET ends_at = now() - interval '1 second' WHERE id = $1", id);
    assertThat(call(c, "continueRentNumber", "id", String.valueOf(id), "rent_time", "2")).isEqualTo(error("RENT_DIE"));
    Await.until("ended by the sweep", Duration.ofSeconds(20), () -> "ENDED".equals(
        api.get("/v1/rentals/" + id, c.apiKey()).json().getString("state")));
    assertThat(call(c, "continueRentNumber", "id", String.valueOf(id), "rent_time", "2")).isEqualTo(error("RENT_DIE"));
    assertThat(wallet(c)).isEqualTo(new JsonObject().put("balance", "9.00").put("held", "0.00").put("currency", "USD"));

    Customer poor = node.customer("poor-continuer", "0.45");
    long small = rent(poor, "service", "full", "rent_time", "4");
    assertThat(call(poor, "continueRentNumber", "id", String.valueOf(small), "rent_time", "4")).isEqualTo(error("NO_BALANCE"));
  }
}
