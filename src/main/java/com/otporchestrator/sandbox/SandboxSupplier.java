package com.otporchestrator.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.json.DecodeException;

/**
 * A fake number supplier speaking the SMSHub agent protocol, for dev mode and tests. It answers
 * GET_SERVICES, GET_NUMBER and FINISH_ACTIVATION on every path of its own HTTP port and pushes SMS
 * to {@link SandboxSettings#pushUrl()}. Faults (HTTP 500, slow replies, NO_NUMBERS) are injected at
 * the configured rates.
 */
public final class SandboxSupplier extends VerticleBase {
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private final SandboxSettings settings;
  private final SandboxCounters counters = new SandboxCounters();
  private Dice dice;
  private volatile SandboxAgent agent;
  private WebClient pushClient;
  private HttpServer server;
  private volatile int actualPort = -1;

  public SandboxSupplier(SandboxSettings settings) {
    this.settings = settings;
  }

  @Override
  public Future<?> start() {
    dice = new Dice(settings.seed());
    pushClient = WebClient.create(vertx, new WebClientOptions()
        .setUserAgent("otp-sandbox-supplier")
        .setDecompressionSupported(true));
    agent = new SandboxAgent(vertx, settings, counters, dice, new SmsPusher(vertx, pushClient, settings, counters));
    server = vertx.createHttpServer(new HttpServerOptions()
        .setCompressionSupported(true)
        .setDecompressionSupported(true));
    return server.requestHandler(this::handle)
        .listen(settings.port(), settings.host())
        .onSuccess(listening -> actualPort = listening.actualPort());
  }

  @Override
  public Future<?> stop() {
    pushClient.close();
    return server.close();
  }

  /** The port the server listens on, once started (useful with port 0). */
  public int actualPort() {
    if (actualPort < 0) throw new IllegalStateException("the sandbox supplier is not started");
    return actualPort;
  }

  /** The URL to configure as the agent URL of an SMSHub provider. */
  public String agentUrl() {
    return "http://" + settings.host() + ":" + actualPort() + "/smshub";
  }

  public SandboxSettings settings() {
    return settings;
  }

  public SandboxCounters counters() {
    return counters;
  }

  /**
   * Pushes an SMS to whatever open activation holds {@code phone}, with the same retries as generated
   * SMS. Completes when the receiver acknowledged it; fails when no open activation holds the phone or
   * delivery was given up.
   */
  public Future<Void> sendSms(String phone, String text) {
    return sendSms(phone, "Sandbox", text);
  }

  /** Like {@link #sendSms(String, String)} from the given sender (a rental hears from many services). */
  public Future<Void> sendSms(String phone, String sender, String text) {
    if (agent == null) return Future.failedFuture(new IllegalStateException("the sandbox supplier is not started"));
    Promise<Void> acknowledged = Promise.promise();
    context.runOnContext(v -> agent.sendSms(phone, sender, text).onComplete(acknowledged));
    return acknowledged.future();
  }

  /** Kills the open number {@code phone} (a silent disconnection); fails when no open number has it. */
  public Future<Void> markDead(String phone) {
    if (agent == null) return Future.failedFuture(new IllegalStateException("the sandbox supplier is not started"));
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (agent.markDead(phone)) done.complete();
      else done.fail(new IllegalStateException("no open number " + phone));
    });
    return done.future();
  }

  private void handle(HttpServerRequest request) {
    request.body()
        .onSuccess(body -> answer(request, body))
        .onFailure(e -> request.response().setStatusCode(400).end());
  }

  private void answer(HttpServerRequest request, Buffer body) {
    if (dice.roll(settings.failureRate())) {
      counters.failedOnPurpose();
      request.response().setStatusCode(500).end("sandbox: injected failure");
      return;
    }
    JsonObject reply = body.length() > MAX_BODY_BYTES ? error("BAD_REQUEST: body too large") : replyTo(body);
    if (dice.roll(settings.slowReplyRate())) {
      counters.repliedSlowly();
      vertx.setTimer(Math.max(1, settings.slowReplyDelay().toMillis()), timer -> send(request, reply));
    } else {
      send(request, reply);
    }
  }

  private JsonObject replyTo(Buffer body) {
    JsonObject request;
    try {
      request = new JsonObject(body);
    } catch (DecodeException | ClassCastException notAnObject) {
      return error("BAD_REQUEST: body is not a JSON object");
    }
    return agent.handle(request);
  }

  /** A client that gave up on a slow reply has closed the connection; the write then fails quietly. */
  private static void send(HttpServerRequest request, JsonObject reply) {
    if (request.response().closed()) return;
    request.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .end(reply.toBuffer());
  }

  private static JsonObject error(String error) {
    return new JsonObject().put("status", "ERROR").put("error", error);
  }
}
