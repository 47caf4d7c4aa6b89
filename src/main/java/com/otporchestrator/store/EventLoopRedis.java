package com.otporchestrator.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One standalone Redis client per event loop, behind the plain {@link Redis} interface, for the
 * same reason as {@link EventLoopPool}: a command sent from an event loop is written and answered
 * on that loop's own connections, instead of being handed to the loop that owns a shared
 * connection and handed back with the reply (after the PostgreSQL pool, those hand-overs were the
 * largest remaining cost in the purchase profile). Calls from other threads use a fallback client.
 * Clients are created on first use; commands, pipelining and options are unchanged.
 */
final class EventLoopRedis implements Redis {
  private final Redis fallback;
  private final LoopLocal<Redis> byLoop;

  EventLoopRedis(Vertx vertx, Supplier<Redis> factory) {
    this.fallback = factory.get();
    this.byLoop = new LoopLocal<>(vertx, factory);
  }

  private Redis current() {
    Redis client = byLoop.current();
    return client == null ? fallback : client;
  }

  @Override
  public Future<RedisConnection> connect() {
    return current().connect();
  }

  @Override
  public Future<Response> send(Request command) {
    return current().send(command);
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return current().batch(commands);
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    closing.add(fallback.close());
    byLoop.all().forEach(client -> closing.add(client.close()));
    return Future.join(closing).mapEmpty();
  }
}
