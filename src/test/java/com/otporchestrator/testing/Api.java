package com.otporchestrator.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A blocking HTTP client for tests, speaking to a running node over real HTTP. Every answer from /v1 and /admin/v1 is
 * validated against the OpenAPI document, and so is every request the API accepted ({@link ApiContract}).
 */
public final class Api {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;

  public Api(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** A response: status, headers, and the body as text (JSON accessors for convenience). */
  public record Response(int status, java.net.http.HttpHeaders headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray items() {
      return json().getJsonArray("items");
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public String contentType() {
      return header("Content-Type");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Response get(String path, String bearer) {
    return send(request(path, bearer).GET().build(), null);
  }

  public Response post(String path, String bearer, String body, String... headers) {
    HttpRequest.Builder builder = request(path, bearer)
        .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) builder.header("Content-Type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) builder.setHeader(headers[i], headers[i + 1]);
    return send(builder.build(), body);
  }

  public Response post(String path, String bearer, JsonObject body, String... headers) {
    return post(path, bearer, body.encode(), headers);
  }

  public Response put(String path, String bearer, JsonObject body) {
    return send(request(path, bearer).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body.encode())).build(), body.encode());
  }

  public Response send(String method, String path, String bearer, String contentType, String body, String... headers) {
    HttpRequest.Builder builder = request(path, bearer)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) builder.header("Content-Type", contentType);
    for (int i = 0; i + 1 < headers.length; i += 2) builder.setHeader(headers[i], headers[i + 1]);
    return send(builder.build(), body);
  }

  private HttpRequest.Builder request(String path, String bearer) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    if (bearer != null) builder.header("Authorization", "Bearer " + bearer);
    return builder;
  }

  private static Response send(HttpRequest request, String body) {
    try {
      HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      // every exchange with /v1 and /admin/v1 is checked against the OpenAPI document: the suite checks the contract
      ApiContract contract = ApiContract.get();
      contract.check(request.method(), request.uri().getRawPath(), response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(null), response.body());
      if (response.statusCode() / 100 == 2) {
        contract.checkAccepted(request.method(), request.uri().getRawPath(), request.uri().getRawQuery(),
            request.headers().firstValue("Content-Type").orElse(null), body);
      }
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new AssertionError("HTTP " + request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
