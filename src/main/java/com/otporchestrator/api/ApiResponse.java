package com.otporchestrator.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** A status and a JSON body; kept as a value so idempotent requests can store and replay it. */
public record ApiResponse(int status, String contentType, String body, Map<String, String> headers) {

  public static ApiResponse json(int status, JsonObject body) {
    return new ApiResponse(status, "application/json", body.encode(), Map.of());
  }

  public static ApiResponse problem(int status, JsonObject body) {
    return new ApiResponse(status, "application/problem+json", body.encode(), Map.of());
  }

  public ApiResponse withHeader(String name, String value) {
    java.util.HashMap<String, String> copy = new java.util.HashMap<>(headers);
    copy.put(name, value);
    return new ApiResponse(status, contentType, body, Map.copyOf(copy));
  }

  public void send(RoutingContext ctx) {
    if (ctx.response().ended()) return;
    ctx.response().setStatusCode(status).putHeader("Content-Type", contentType);
    headers.forEach(ctx.response()::putHeader);
    ctx.response().end(body);
  }
}
