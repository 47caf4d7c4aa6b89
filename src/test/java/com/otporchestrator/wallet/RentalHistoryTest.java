package com.otporchestrator.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * smssb: "Check your transaction history in the Platform's History section for detailed order and
 * refund records." Rental entries show service, country, state and period like activations show theirs, in JSON and
 * in the CSV export; an extension's entries show the hours it added.
 */
@DisplayName("The transaction history covers rentals")
class RentalHistoryTest {
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(RentalHistoryTest.class);
    node = TestNode.start(TestNode.defaults(stores));
    api = node.api();
    node.offer("tg", 0, "0.50");
    Api.Response offer = api.put("/admin/v1/rent-offers", TestNode.ADMIN_TOKEN, new JsonObject().put("provider", "sandbox")
        .put("country", 0).put("service", "wa").put("hourlyPrice", "0.02").put("stock", 5));
    assertThat(offer.status()).as("%s", offer).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  @Test
  @DisplayName("a rental, its extension and its cancel, each with service, country, state and period, in JSON and CSV")
  void rentalEntriesCarryTheirOrder() {
    Customer c = node.customer("history-renter", "5.00");
    long activation = api.post("/v1/activations", c.apiKey(), new JsonObject().put("service", "tg").put("country", 0)).json()
        .getLong("id");
    JsonObject rented = api.post("/v1/rentals", c.apiKey(), new JsonObject().put("country", 0).put("service", "wa")
        .put("hours", 4)).json();
    long rental = rented.getLong("id");
    JsonObject extended = api.post("/v1/rentals/" + rental + "/extend", c.apiKey(), new JsonObject().put("hours", 2)).json();
    long extension = extended.getJsonArray("extensions").getJsonObject(0).getLong("id");
    assertThat(api.post("/v1/rentals/" + rental + "/cancel", c.apiKey(), (String) null).status()).isEqualTo(200);
    Instant startsAt = Instant.parse(rented.getString("startsAt"));

    JsonArray items = api.get("/v1/wallet/transactions?orderId=" + rental, c.apiKey()).json().getJsonArray("items");
    assertThat(items.stream().map(i -> ((JsonObject) i).getString("kind")).toList())
        .as("the rental's hold and void, and its extension's").containsExactlyInAnyOrder("hold", "void", "hold", "void");
    JsonObject own = find(items, rental, "hold");
    JsonObject order = own.getJsonObject("order");
    assertThat(order.getString("kind")).isEqualTo("rental");
    assertThat(order.getString("service")).isEqualTo("wa");
    assertThat(order.getInteger("country")).isZero();
    assertThat(order.getString("state")).isEqualTo("CANCELLED");
    assertThat(Instant.parse(order.getJsonObject("period").getString("startsAt"))).isEqualTo(startsAt);
    assertThat(Instant.parse(order.getJsonObject("period").getString("endsAt"))).isEqualTo(startsAt.plus(Duration.ofHours(4)));
    JsonObject ext = find(items, extension, "hold").getJsonObject("order");
    assertThat(ext.getString("kind")).isEqualTo("rental_extension");
    assertThat(ext.getLong("rentalId")).isEqualTo(rental);
    assertThat(Instant.parse(ext.getJsonObject("period").getString("startsAt"))).isEqualTo(startsAt.plus(Duration.ofHours(4)));
    assertThat(Instant.parse(ext.getJsonObject("period").getString("endsAt"))).isEqualTo(startsAt.plus(Duration.ofHours(6)));

    JsonObject activationOrder = api.get("/v1/wallet/transactions?orderId=" + activation, c.apiKey()).json()
        .getJsonArray("items").getJsonObject(0).getJsonObject("order");
    assertThat(activationOrder.getString("kind")).isEqualTo("activation");
    assertThat(activationOrder.getString("service")).isEqualTo("tg");

    String csv = api.get("/v1/wallet/transactions.csv?orderId=" + rental, c.apiKey()).body();
    List<String> lines = csv.lines().toList();
    assertThat(lines.get(0)).endsWith(",order_kind,rental_id,period_start,period_end");
    String rentalHold = lines.stream().filter(l -> l.contains(",hold," + rental + ",")).findFirst().orElseThrow();
    assertThat(rentalHold).contains(",wa,0,CANCELLED,").endsWith(",rental," + rental + "," + startsAt + ","
        + startsAt.plus(Duration.ofHours(4)));
    assertThat(lines.stream().filter(l -> l.contains(",hold," + extension + ",")).findFirst().orElseThrow())
        .contains(",rental_extension," + rental + ",");
  }

  private static JsonObject find(JsonArray items, long orderId, String kind) {
    return items.stream().map(i -> (JsonObject) i)
        .filter(i -> i.getLong("orderId") == orderId && kind.equals(i.getString("kind"))).findFirst().orElseThrow();
  }
}
