package com.otporchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL refuses the NUL character, and a pushing supplier re-sends anything not answered SUCCESS. So a NUL in
 * {@code text} or {@code phoneFrom} is removed and the SMS stored: the customer gets the code, the supplier stops.
 */
@DisplayName("A pushed SMS with NUL characters in its text or sender is stored cleaned and acknowledged, never a poison message")
class BadInputPoisonSmsTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static Customer customer;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(BadInputPoisonSmsTest.class);
    node = TestNode.start(stores);
    api = node.api();
    node.offer("tg", 0, "0.50");
    Api.Response offer = api.put("/admin/v1/rent-offers", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("country", 0).put("service", "full").put("hourlyPrice", "0.10").put("hourlyCost", "0.01").put("stock", 50));
    assertThat(offer.status()).as("%s", offer).isEqualTo(200);
    customer = node.customer("poison", "20.00");
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static JsonObject activation() {
    Api.Response bought = api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0));
    assertThat(bought.status()).as("%s", bought).isEqualTo(201);
    return bought.json();
  }

  private static JsonObject rental() {
    Api.Response rented = api.post("/v1/rentals", customer.apiKey(), new JsonObject().put("country", 0).put("hours", 4));
    assertThat(rented.status()).as("%s", rented).isEqualTo(201);
    return rented.json();
  }

  /** A PUSH_SMS as the SMSHub protocol sends it; {@code phoneAsText} as sloppy agents do. */
  private static Api.Response push(long smsId, String phone, Object phoneFrom, String text, boolean phoneAsText) {
    JsonObject body = new JsonObject().put("action", "PUSH_SMS").put("key", node.config().sandbox().key())
        .put("smsId", phoneAsText ? String.valueOf(smsId) : smsId)
        .put("phone", phoneAsText ? (Object) ("+" + phone) : (Object) Long.parseLong(phone))
        .put("phoneFrom", phoneFrom).put("text", text);
    return api.send("POST", "/providers/sandbox/sms", null, "application/json", body.encode());
  }

  private static List<String> stored(String table, String column, long orderId) {
    List<String> rows = new ArrayList<>();
    for (Row row : Await.result(node.node().core().pool()
        .preparedQuery("SELECT sender, text, code FROM " + table + " WHERE " + column + " = $1 ORDER BY id")
        .execute(Tuple.of(orderId)))) {
      rows.add(row.getString("sender") + "|" + row.getString("text") + "|" + row.getString("code"));
    }
    return rows;
  }

  private static void assertAcknowledged(Api.Response response) {
    assertThat(response.status()).as("%s", response).isEqualTo(200);
    assertThat(response.json().getString("status")).as("%s", response).isEqualTo("SUCCESS");
  }

  @Test
  void aNulInTheTextOfAnActivationsSmsIsRemovedAndTheCodeDelivered() {
    for (boolean phoneAsText : new boolean[] {false, true}) {
      JsonObject order = activation();
      long id = order.getLong("id");
      assertAcknowledged(push(9_100 + (phoneAsText ? 1 : 0), order.getString("phone"), "Telegram",
          "Telegram code \u000048213\u0000", phoneAsText));
      assertThat(stored("activation_sms", "activation_id", id)).containsExactly("Telegram|Telegram code 48213|48213");
      assertThat(api.get("/v1/activations/" + id, customer.apiKey()).json().getString("code")).isEqualTo("48213");
    }
  }

  @Test
  void aNulInTheSenderOfAnActivationsSmsIsRemoved() {
    JsonObject order = activation();
    long id = order.getLong("id");
    assertAcknowledged(push(9_200, order.getString("phone"), "Tele\u0000gram", "code 11111", false));
    JsonObject other = activation();
    assertAcknowledged(push(9_201, other.getString("phone"), "\u0000", "code 22222", true));
    assertThat(stored("activation_sms", "activation_id", id)).containsExactly("Telegram|code 11111|11111");
    assertThat(stored("activation_sms", "activation_id", other.getLong("id"))).containsExactly("null|code 22222|22222");
  }

  @Test
  void aRentalsSmsWithNulInTextAndSenderIsStoredCleanedAndARepeatStoredOnce() {
    JsonObject rental = rental();
    long id = rental.getLong("id");
    for (int attempt = 0; attempt < 3; attempt++) {
      assertAcknowledged(push(9_300, rental.getString("phone"), "Wh\u0000atsApp", "WhatsApp code 333-444\u0000", attempt == 1));
    }
    assertThat(stored("rental_sms", "rental_id", id)).containsExactly("WhatsApp|WhatsApp code 333-444|333444");
  }

  @Test
  void aTextOfNothingButNulIsRefusedAsEmpty() {
    JsonObject order = activation();
    Api.Response response = push(9_400, order.getString("phone"), "x", "\u0000\u0000", false);
    assertThat(response.status()).as("%s", response).isEqualTo(400);
    assertThat(response.json().getString("error")).isEqualTo("text is empty");
    assertThat(stored("activation_sms", "activation_id", order.getLong("id"))).isEmpty();
  }
}
