package com.otporchestrator.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one SMS with PUSH_SMS the way the protocol asks of an agent: resend every
 * {@code pushRetryInterval} until the receiver answers {"status":"SUCCESS"}, then never again. It also
 * stops when the activation was finished meanwhile or after {@code maxPushAttempts}.
 */
final class SmsPusher {
  private static final Logger LOG = LoggerFactory.getLogger(SmsPusher.class);
  private static final long PUSH_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final WebClient client;
  private final SandboxSettings settings;
  private final SandboxCounters counters;

  SmsPusher(Vertx vertx, WebClient client, SandboxSettings settings, SandboxCounters counters) {
    this.vertx = vertx;
    this.client = client;
    this.settings = settings;
    this.counters = counters;
  }

  /** Completes when the receiver acknowledged the SMS; fails when delivery was given up. */
  Future<Void> push(SandboxActivation activation, long smsId, String phoneFrom, String text) {
    JsonObject body = new JsonObject()
        .put("smsId", smsId)
        .put("phoneFrom", phoneFrom)
        .put("phone", Long.parseLong(activation.phone))
        .put("text", text)
        .put("action", "PUSH_SMS")
        .put("key", settings.key());
    counters.createdSms();
    Promise<Void> delivered = Promise.promise();
    attempt(activation, body, 1, delivered);
    return delivered.future();
  }

  private void attempt(SandboxActivation activation, JsonObject body, int attempt, Promise<Void> delivered) {
    if (!activation.open()) {
      delivered.fail(new IllegalStateException("activation " + activation.id + " was finished before the SMS was acknowledged"));
      return;
    }
    counters.pushAttempted();
    client.postAbs(settings.pushUrl())
        .timeout(PUSH_TIMEOUT_MS)
        .sendJsonObject(body)
        .onComplete(result -> {
          if (result.succeeded() && acknowledged(result.result())) {
            counters.pushAcknowledged();
            delivered.complete();
          } else if (attempt >= settings.maxPushAttempts()) {
            LOG.info("giving up PUSH_SMS {} to {} after {} attempts", body.getLong("smsId"), settings.pushUrl(), attempt);
            delivered.fail(new IllegalStateException("SMS " + body.getLong("smsId") + " not acknowledged after " + attempt + " attempts"));
          } else {
            LOG.debug("PUSH_SMS {} attempt {} not acknowledged, retrying", body.getLong("smsId"), attempt);
            vertx.setTimer(Math.max(1, settings.pushRetryInterval().toMillis()),
                timer -> attempt(activation, body, attempt + 1, delivered));
          }
        });
  }

  private static boolean acknowledged(HttpResponse<Buffer> response) {
    if (response.statusCode() / 100 != 2) return false;
    try {
      return "SUCCESS".equals(response.bodyAsJsonObject().getValue("status"));
    } catch (RuntimeException garbled) {
      return false;
    }
  }
}
