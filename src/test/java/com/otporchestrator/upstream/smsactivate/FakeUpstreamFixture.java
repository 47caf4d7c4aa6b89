package com.otporchestrator.upstream.smsactivate;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** Starts a fake upstream on a free port and a provider talking to it over real HTTP. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
abstract class FakeUpstreamFixture {
  /** Generous enough for a cold JVM's first request on a busy machine. */
  static final Duration CLIENT_TIMEOUT = Duration.ofMillis(1000);
  /** A reply that arrives after the client has given up. */
  static final Duration TOO_SLOW = CLIENT_TIMEOUT.plusMillis(500);
  static final Instant NOW = Instant.parse("2026-04-26T16:57:12Z");

  Vertx vertx;
  FakeSmsActivateUpstream upstream;
  SmsActivateProvider provider;

  @FunctionalInterface
  interface Check<T> {
    void accept(T value) throws Throwable;
  }

  @BeforeEach
  void startUpstream(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    upstream = new FakeSmsActivateUpstream(vertx);
    upstream.start().onComplete(ctx.succeeding(port -> {
      provider = providerWithKey(FakeSmsActivateUpstream.API_KEY);
      ctx.completeNow();
    }));
  }

  SmsActivateProvider providerWithKey(String apiKey) {
    return providerAt(upstream.baseUrl(), apiKey);
  }

  SmsActivateProvider providerAt(String baseUrl, String apiKey) {
    SmsActivateConfig config = new SmsActivateConfig("fake", baseUrl + "/", apiKey, CLIENT_TIMEOUT);
    return new SmsActivateProvider(WebClient.create(vertx), config, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  static <T> void expectSuccess(Future<T> future, VertxTestContext ctx, Check<T> check) {
    future.onComplete(ctx.succeeding(value -> ctx.verify(() -> {
      check.accept(value);
      ctx.completeNow();
    })));
  }

  static <T> void expectFailure(Future<T> future, VertxTestContext ctx, Check<Throwable> check) {
    future.onComplete(ctx.failing(error -> ctx.verify(() -> {
      check.accept(error);
      ctx.completeNow();
    })));
  }
}
