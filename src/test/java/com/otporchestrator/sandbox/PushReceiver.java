package com.otporchestrator.sandbox;

import static com.otporchestrator.testing.Await.result;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** A stand-in for our PUSH_SMS route: records every body and answers as the test scripts it. */
final class PushReceiver {
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  /** {@code answer} gets the 1-based number of the request and the response to complete. */
  PushReceiver(Vertx vertx, BiConsumer<Integer, HttpServerResponse> answer) {
    server = result(vertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> {
          received.add(body.toJsonObject());
          answer.accept(received.size(), request.response());
        }))
        .listen(0, "127.0.0.1"));
  }

  static void acknowledge(HttpServerResponse response) {
    response.end(new JsonObject().put("status", "SUCCESS").encode());
  }

  static void refuse(HttpServerResponse response) {
    response.end(new JsonObject().put("status", "ERROR").put("error", "TRY_LATER").encode());
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/providers/sandbox/sms";
  }

  List<JsonObject> received() {
    return received;
  }

  int count() {
    return received.size();
  }
}
