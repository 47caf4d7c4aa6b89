package com.otporchestrator.upstream.smshub;

import com.otporchestrator.upstream.UpstreamException.UnknownOutcome;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/**
 * Posts one SMSHub protocol request to an agent and hands back its JSON reply. Every way of not
 * getting a readable reply (timeout, refused connection, 5xx, garbled body) fails with
 * {@link UnknownOutcome}: the agent may or may not have acted.
 */
final class AgentClient {
  static final String USER_AGENT = "otp-orchestrator/smshub";
  private static final int MAX_REPLY_BYTES = 1 << 20;

  private final WebClient client;
  private final SmsHubConfig config;

  AgentClient(WebClient client, SmsHubConfig config) {
    this.client = client;
    this.config = config;
  }

  Future<JsonObject> call(String action, JsonObject fields) {
    JsonObject body = new JsonObject().put("action", action).put("key", config.key()).mergeIn(fields);
    long timeoutMs = config.requestTimeout().toMillis();
    return client.postAbs(config.agentUrl())
        .putHeader(HttpHeaders.USER_AGENT.toString(), USER_AGENT)
        .putHeader(HttpHeaders.ACCEPT_ENCODING.toString(), "gzip")
        .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json; charset=utf-8")
        .connectTimeout(timeoutMs)
        .timeout(timeoutMs)
        .sendBuffer(body.toBuffer())
        .recover(cause -> Future.failedFuture(unknown(action + " failed: " + cause, cause)))
        .map(response -> readReply(action, response));
  }

  private JsonObject readReply(String action, HttpResponse<Buffer> response) {
    if (response.statusCode() >= 500) {
      throw unknown(action + " answered HTTP " + response.statusCode(), null);
    }
    try {
      JsonObject reply = new JsonObject(decodedBody(response));
      if (reply.isEmpty()) throw new IllegalArgumentException("empty JSON object");
      return reply;
    } catch (RuntimeException e) {
      throw unknown(action + " answered an unreadable body (HTTP " + response.statusCode() + ")", e);
    }
  }

  /**
   * We ask for gzip; a WebClient built with decompression support has already inflated the body
   * (and dropped Content-Encoding), one without it hands us the compressed bytes.
   */
  private static Buffer decodedBody(HttpResponse<Buffer> response) {
    Buffer body = response.body() == null ? Buffer.buffer() : response.body();
    if (!"gzip".equalsIgnoreCase(response.getHeader(HttpHeaders.CONTENT_ENCODING.toString()))) {
      return body;
    }
    try (var in = new GZIPInputStream(new ByteArrayInputStream(body.getBytes()))) {
      return Buffer.buffer(in.readNBytes(MAX_REPLY_BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private UnknownOutcome unknown(String message, Throwable cause) {
    return new UnknownOutcome(config.id(), message, cause);
  }
}
