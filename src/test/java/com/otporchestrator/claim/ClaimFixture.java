package com.otporchestrator.claim;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.Await;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Orders in the states claims need, and the claim calls, over real HTTP against one node. */
final class ClaimFixture {
  static final String ADMIN = TestNode.ADMIN_TOKEN;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  final TestNode node;
  final Api api;

  ClaimFixture(TestNode node) {
    this.node = node;
    this.api = node.api();
  }

  void inForce(String policyId) {
    Api.Response set = api.put("/admin/v1/policies/in-force", ADMIN, new JsonObject().put("policyId", policyId));
    assertThat(set.status()).as("%s", set).isEqualTo(200);
  }

  Api.Response publish(String yaml) {
    Api.Response r = api.send("POST", "/admin/v1/policies", ADMIN, "application/yaml", yaml);
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r;
  }

  static String preset(String name) {
    try (InputStream in = ClaimFixture.class.getClassLoader().getResourceAsStream("policies/" + name + ".yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long buy(Customer customer, String service) {
    Api.Response r = api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", service).put("country", 0));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json().getLong("id");
  }

  long buy(Customer customer) {
    return buy(customer, "tg");
  }

  void sms(long orderId) {
    Api.Response r = api.post("/admin/v1/sandbox/activations/" + orderId + "/sms", ADMIN,
        new JsonObject().put("text", "Your code 48213"));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
  }

  /** An order that received its code and was finished: the price is captured. */
  long captured(Customer customer) {
    long id = buy(customer);
    sms(id);
    Api.Response r = api.post("/v1/activations/" + id + "/finish", customer.apiKey(), (String) null);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return id;
  }

  void cancel(Customer customer, long id) {
    Api.Response r = api.post("/v1/activations/" + id + "/cancel", customer.apiKey(), (String) null);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
  }

  /**
   * Moves an order's purchase (and its SMS) into the past. The filing window is "purchase + W" compared with the
   * database's now(); moving created_at back by d is the same as the clock moving forward by d for that rule, and the
   * tests wait 5 days no other way. Nothing else reads created_at after the purchase: an open order keeps the expiry
   * it got at purchase (so it stays open), a closed one is already resolved.
   */
  void purchasedAgo(long orderId, Duration ago) {
    Await.result(node.node().core().pool().preparedQuery("""
        WITH a AS (UPDATE activations SET created_at = now() - $2::bigint * interval '1 millisecond' WHERE id = $1
                   RETURNING id, created_at)
        UPDATE activation_sms s SET received_at = a.created_at + interval '1 second' FROM a WHERE s.activation_id = a.id""")
        .execute(Tuple.of(orderId, ago.toMillis())));
  }

  Api.Response file(Customer customer, long orderId, String type, String... tags) {
    JsonObject body = new JsonObject().put("orderId", orderId).put("type", type).put("text", "it did not work");
    if (tags.length > 0) body.put("tags", new JsonArray(List.of(tags)));
    return api.post("/v1/claims", customer.apiKey(), body);
  }

  JsonObject filed(Customer customer, long orderId, String type, String... tags) {
    Api.Response r = file(customer, orderId, type, tags);
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json();
  }

  Api.Response admin(String action, long claimId, JsonObject body) {
    return api.post("/admin/v1/claims/" + claimId + "/" + action, ADMIN, body);
  }

  Api.Response upload(String apiKey, long claimId, byte[] data, String contentType) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v1/claims/" + claimId + "/evidence"))
          .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(data));
      if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
      if (contentType != null) b.header("Content-Type", contentType);
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Api.Response(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<byte[]> download(String bearer, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).header("Authorization", "Bearer " + bearer)
          .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static byte[] png(int size) {
    byte[] b = new byte[size];
    byte[] magic = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    System.arraycopy(magic, 0, b, 0, magic.length);
    return b;
  }

  static byte[] mp4(int size) {
    byte[] b = new byte[size];
    byte[] head = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
    System.arraycopy(head, 0, b, 0, head.length);
    return b;
  }

  long ledgerCount(long orderId, String kind) {
    return Await.result(node.node().core().pool().preparedQuery(
        "SELECT count(*) AS n FROM ledger_entries WHERE order_id = $1 AND kind = $2").execute(Tuple.of(orderId, kind)))
        .iterator().next().getLong("n");
  }

  String balance(Customer customer) {
    return api.get("/v1/wallet", customer.apiKey()).json().getString("balance");
  }
}
