package com.otporchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.otporchestrator.testing.Api;
import com.otporchestrator.testing.TestNode;
import com.otporchestrator.testing.TestNode.Customer;
import com.otporchestrator.testing.TestStores;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Requests that break HTTP itself (bad escapes, undecodable bodies, no Host, broken chunks) get a 400 problem and change nothing")
class BadInputMalformedHttpTest {
  private static final String ADMIN = TestNode.ADMIN_TOKEN;
  private static final List<String> BAD_ESCAPES = List.of("%", "%zz", "%4", "100%", "a%g1");
  private static TestStores.Isolated stores;
  private static TestNode node;
  private static Api api;
  private static Customer customer;

  @BeforeAll
  static void start() {
    stores = TestStores.isolate(BadInputMalformedHttpTest.class);
    var env = TestNode.defaults(stores);
    env.put("REQUEST_BODY_TIMEOUT_MS", "1000");
    node = TestNode.start(env);
    api = node.api();
    node.offer("tg", 0, "0.50");
    customer = node.customer("malformed", "10.00");
    // one order, so that the customer's lists and an order's page have something to show
    assertThat(api.post("/v1/activations", customer.apiKey(), new JsonObject().put("service", "tg").put("country", 0))
        .status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    node.assertMoneyInvariants();
    node.assertEventLoopNeverBlocked();
    node.close();
    stores.close();
  }

  private static String request(String method, String target, String bearer, String... headerLines) {
    StringBuilder text = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n");
    if (bearer != null) text.append("Authorization: Bearer ").append(bearer).append("\r\n");
    for (String line : headerLines) text.append(line).append("\r\n");
    return text.append("\r\n").toString();
  }

  private static RawHttp.Wire assertBadRequest(RawHttp.Wire answer, int status, String detailPart) {
    assertThat(answer.status()).as("%s", answer).isEqualTo(status);
    assertThat(answer.head().toLowerCase()).as("%s", answer).contains("content-type: application/problem+json");
    JsonObject problem = answer.json();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("type")).startsWith("https://otp-orchestrator.dev/problems/");
    assertThat(problem.getString("detail")).as("%s", answer).contains(detailPart);
    return answer;
  }

  /** Everything the customer can see, plus the activations and ledger of every account. */
  private static List<Object> everything() {
    List<Object> state = new ArrayList<>();
    state.add(CustomerState.of(api, customer));
    state.add(node.countActivations("true"));
    state.add(node.countActivations("closed_at IS NOT NULL"));
    return state;
  }

  @ParameterizedTest(name = "GET {0} with a bad %-escape in the query -> 400")
  @ValueSource(strings = {"/v1/activations", "/v1/rentals", "/v1/claims", "/v1/wallet/transactions",
      "/v1/wallet/transactions.csv", "/v1/wallet/payouts", "/v1/offers", "/v1/delivery-rates",
      "/v1/webhooks/deliveries", "/v1/activations/1", "/v1/wallet"})
  void refusesABadEscapeInACustomerQuery(String path) {
    for (String escape : BAD_ESCAPES) {
      for (String name : new String[] {"cursor", "limit", "state", "from", "service", "x"}) {
        assertBadRequest(RawHttp.exchange(api, request("GET", path + "?" + name + "=" + escape, customer.apiKey())),
            400, "the query string is malformed");
      }
      assertBadRequest(RawHttp.exchange(api, request("GET", path + "?" + escape + "=1", customer.apiKey())),
          400, "the query string is malformed");
    }
  }

  @ParameterizedTest(name = "GET {0} with a bad %-escape in the query -> 400")
  @ValueSource(strings = {"/admin/v1/abuse/flags", "/admin/v1/abuse/held-refunds", "/admin/v1/claims",
      "/admin/v1/outages", "/admin/v1/payouts", "/admin/v1/delivery-rates", "/admin/v1/rentals/incidents",
      "/admin/v1/policies", "/admin/v1/invariants", "/admin/v1/providers/health"})
  void refusesABadEscapeInAnAdminQuery(String path) {
    for (String escape : BAD_ESCAPES) {
      for (String name : new String[] {"accountId", "state", "limit", "cursor", "open", "pending", "provider"}) {
        assertBadRequest(RawHttp.exchange(api, request("GET", path + "?" + name + "=" + escape, ADMIN)),
            400, "the query string is malformed");
      }
    }
  }

  @Test
  void refusesABadEscapeInTheQueryOfAWriteAndWritesNothing() {
    List<Object> before = everything();
    String body = "{\"service\":\"tg\",\"country\":0}";
    assertBadRequest(RawHttp.exchange(api, request("POST", "/v1/activations?x=%zz", customer.apiKey(),
        "Content-Type: application/json", "Content-Length: " + body.length()) + body), 400, "the query string is malformed");
    String deposit = "{\"amount\":\"1.00\",\"reference\":\"query-escape\"}";
    assertBadRequest(RawHttp.exchange(api, request("POST", "/admin/v1/accounts/" + customer.id() + "/deposits?r=%", ADMIN,
        "Content-Type: application/json", "Content-Length: " + deposit.length()) + deposit), 400,
        "the query string is malformed");
    assertThat(everything()).isEqualTo(before);
  }

  @Test
  void theCompatibleApiAnswersABadEscapeInItsOwnProtocol() {
    RawHttp.Wire answer = RawHttp.exchange(api, request("GET",
        "/stubs/handler_api.php?api_key=" + customer.apiKey() + "&action=getBalance&x=%zz", null));
    assertThat(answer.status()).as("%s", answer).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("ERROR_SQL");
  }

  private static final String[] BAD_FORMS = {"a=%zz", "=1", "a=" + "x".repeat(1_100), "a=1&" + "b".repeat(2_000) + "=2"};

  @Test
  void refusesFormBodiesTheDecoderRejectsOnJsonRoutesThePushRouteAndUploads() {
    List<Object> before = everything();
    String[][] targets = {
        {"POST", "/v1/activations", customer.apiKey()},
        {"POST", "/v1/activations/batch", customer.apiKey()},
        {"POST", "/v1/wallet/payouts", customer.apiKey()},
        {"POST", "/v1/claims", customer.apiKey()},
        {"POST", "/v1/claims/1/evidence", customer.apiKey()},
        {"POST", "/providers/sandbox/sms", null},
        {"POST", "/admin/v1/accounts/" + customer.id() + "/deposits", ADMIN},
        {"PUT", "/admin/v1/offers", ADMIN}};
    for (String[] target : targets) {
      for (String form : BAD_FORMS) {
        for (String type : new String[] {"application/x-www-form-urlencoded", "multipart/form-data; boundary=zz"}) {
          String body = type.startsWith("multipart")
              ? "--zz\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n" + form + "\r\n--zz--\r\n" : form;
          RawHttp.Wire answer = RawHttp.exchange(api, request(target[0], target[1], target[2], "Content-Type: " + type,
              "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length) + body);
          assertThat(answer.status()).as("%s %s with %s %s: %s", target[0], target[1], type, form.length() > 20
              ? form.substring(0, 20) + "..." : form, answer).isBetween(400, 499);
          // the push route answers a form it could decode in its own protocol ({"status":"ERROR"}), still a 400
          if (!target[1].startsWith("/providers/")) assertThat(answer.head().toLowerCase()).contains("application/problem+json");
        }
      }
    }
    assertThat(everything()).isEqualTo(before);
  }

  @Test
  void aFormBodyTheDecoderRejectsIsNamedInTheProblem() {
    String form = "a=%zz";
    assertBadRequest(RawHttp.exchange(api, request("POST", "/v1/activations", customer.apiKey(),
        "Content-Type: application/x-www-form-urlencoded", "Content-Length: " + form.length()) + form), 400,
        "the request body cannot be read");
    String unnamed = "=1";
    assertBadRequest(RawHttp.exchange(api, request("POST", "/providers/sandbox/sms", null,
        "Content-Type: application/x-www-form-urlencoded", "Content-Length: " + unnamed.length()) + unnamed), 400,
        "the request body cannot be read");
  }

  @Test
  void aMultipartContentTypeOnAGetIsRefused() {
    assertBadRequest(RawHttp.exchange(api, request("GET", "/v1/wallet", customer.apiKey(),
        "Content-Type: multipart/form-data; boundary=x", "Content-Length: 3") + "abc"), 400, "the request body cannot be read");
  }

  @Test
  void aBodyInACharsetOtherThanUtf8IsRefusedWith415() {
    List<Object> before = everything();
    String body = "{\"service\":\"tg\",\"country\":0}";
    for (String charset : new String[] {"bogus", "utf-16", "x\u00e9"}) {
      RawHttp.Wire answer = RawHttp.exchange(api, request("POST", "/v1/activations", customer.apiKey(),
          "Content-Type: application/json; charset=" + charset, "Content-Length: " + body.length()) + body);
      assertBadRequest(answer, 415, "send the body in UTF-8");
    }
    assertThat(everything()).isEqualTo(before);
  }

  @ParameterizedTest(name = "Content-Encoding: {0} with a corrupt body -> 400 with an answer")
  @ValueSource(strings = {"gzip", "deflate", "x-gzip"})
  void aCorruptCompressedBodyIsAnswered400(String encoding) {
    List<Object> before = everything();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x1f, (byte) 0x8b, 0x08, 0x00});
    body.writeBytes("garbage after the magic bytes, not a deflate stream".getBytes(StandardCharsets.US_ASCII));
    byte[] head = request("POST", "/v1/activations", customer.apiKey(), "Content-Type: application/json",
        "Content-Encoding: " + encoding, "Content-Length: " + body.size()).getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(head);
    wire.writeBytes(body.toByteArray());
    assertBadRequest(RawHttp.exchange(api, wire.toByteArray()), 400, "cannot be decoded with its Content-Encoding");
    assertThat(everything()).isEqualTo(before);
  }

  @Test
  void aRequestWithoutHostIsRefused() {
    assertBadRequest(RawHttp.exchange(api, "GET /v1/wallet HTTP/1.1\r\nAuthorization: Bearer " + customer.apiKey()
        + "\r\nConnection: close\r\n\r\n"), 400, "the Host header is required");
    assertBadRequest(RawHttp.exchange(api, "GET /v1/wallet HTTP/1.1\r\nHost: \r\nAuthorization: Bearer "
        + customer.apiKey() + "\r\nConnection: close\r\n\r\n"), 400, "the Host header is required");
    // HTTP/1.0 has no Host requirement: an old health checker's request is served
    RawHttp.Wire old = RawHttp.exchange(api, "GET /health/live HTTP/1.0\r\n\r\n");
    assertThat(old.status()).as("%s", old).isEqualTo(200);
  }

  @Test
  void twoHostsOrAHostThatIsNoAuthorityAreRefused() {
    assertBadRequest(RawHttp.exchange(api, "GET /v1/wallet HTTP/1.1\r\nHost: a\r\nHost: b\r\nAuthorization: Bearer "
        + customer.apiKey() + "\r\nConnection: close\r\n\r\n"), 400, "send one Host header");
    for (String host : new String[] {"a b", "x:99999999", "[::1", "a/b"}) {
      assertBadRequest(RawHttp.exchange(api, "GET /v1/wallet HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer "
          + customer.apiKey() + "\r\nConnection: close\r\n\r\n"), 400, "the Host header is not a host[:port]");
    }
  }

  @ParameterizedTest(name = "a bad %-escape in the path ({0}) -> 400")
  @ValueSource(strings = {"/v1/activations/%zz", "/v1/%", "/admin/v1/accounts/%4", "/stubs/handler_api.ph%p"})
  void aBadEscapeInThePathIsRefused(String path) {
    assertBadRequest(RawHttp.exchange(api, request("GET", path, customer.apiKey())), 400,
        "the request path has a malformed %-escape");
  }

  @Test
  void aHostHiddenByAHeaderContinuationLineIsRefused() {
    List<Object> before = everything();
    String body = "{\"service\":\"tg\",\"country\":0}";
    assertBadRequest(RawHttp.exchange(api, "POST /v1/activations HTTP/1.1\r\nX-Note: folded\r\n Host: test\r\n"
        + "Authorization: Bearer " + customer.apiKey() + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length() + "\r\nConnection: close\r\n\r\n" + body), 400, "the Host header is required");
    assertThat(everything()).isEqualTo(before);
  }

  @ParameterizedTest(name = "chunk size {0} -> 400")
  @ValueSource(strings = {"zz", "ffffffffffffffff", "-1", "0x5"})
  void anInvalidChunkSizeIsRefused(String size) {
    List<Object> before = everything();
    assertBadRequest(RawHttp.exchange(api, request("POST", "/v1/activations", customer.apiKey(),
        "Content-Type: application/json", "Transfer-Encoding: chunked") + size + "\r\n{\"service\":\"tg\"}\r\n0\r\n\r\n"),
        400, "chunked framing is invalid");
    assertThat(everything()).isEqualTo(before);
  }

  @Test
  void aTransferEncodingThatDoesNotEndInChunkedIsRefused() {
    assertBadRequest(RawHttp.exchange(api, request("GET", "/v1/wallet", customer.apiKey(), "Transfer-Encoding: gzip")),
        400, "a Transfer-Encoding must end with chunked");
  }

  @ParameterizedTest(name = "{0} -> 400")
  @ValueSource(strings = {"HTTP/1.2", "HTTP/2.0", "HTTP/3.0", "HTTP/9.9", "http/1.1", "HTTP/01.1"})
  void anUnknownHttpVersionIsRefusedWith400(String version) {
    assertBadRequest(RawHttp.exchange(api, "GET /v1/wallet " + version + "\r\nHost: test\r\nAuthorization: Bearer "
        + customer.apiKey() + "\r\n\r\n"), 400, "is not supported: use HTTP/1.1");
  }

  @Test
  void aHeaderLineStartingWithASpaceIsRefusedWithAProblem() {
    assertBadRequest(RawHttp.exchange(api, "GET /v1/wallet HTTP/1.1\r\n X-First: folded\r\nHost: test\r\n"
        + "Connection: close\r\n\r\n"), 400, "the request is malformed");
  }

  @Test
  void aBodyAnnouncedButNeverSentIsAnswered408() {
    RawHttp.Wire answer = RawHttp.exchange(api, request("POST", "/v1/activations", customer.apiKey(),
        "Content-Type: application/json", "Content-Length: 50") + "{\"service\":");
    assertBadRequest(answer, 408, "did not arrive");
  }

  @Test
  void aWellFormedRequestStillPassesOnTheSameGuards() {
    RawHttp.Wire answer = RawHttp.exchange(api, request("GET", "/v1/activations?limit=5&state=EXPIRED", customer.apiKey()));
    assertThat(answer.status()).as("%s", answer).isEqualTo(200);
    byte[] chunked = (request("POST", "/v1/activations", customer.apiKey(), "Content-Type: application/json",
        "Transfer-Encoding: chunked") + Integer.toHexString(2) + "\r\n{}\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    assertBadRequest(RawHttp.exchange(api, chunked), 400, "'service' is required");
  }
}
