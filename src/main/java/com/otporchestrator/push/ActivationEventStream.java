package com.otporchestrator.push;

import com.otporchestrator.activation.Activation;
import com.otporchestrator.activation.ActivationViews;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server-sent event stream of one order, living on the event loop that accepted it. It sends
 * the order's view first, then again whenever a re-read finds a higher {@link OrderVersion}, and
 * ends after the order's final state. Re-reads happen on a pub/sub notice and on a slow fallback
 * timer (a notice may be lost); they never overlap, and a notice arriving during one is kept for after.
 */
final class ActivationEventStream {
  private static final Logger LOG = LoggerFactory.getLogger(ActivationEventStream.class);

  private final RoutingContext ctx;
  private final HttpServerResponse response;
  private final Vertx vertx;
  private final long orderId;
  private final Supplier<Future<Activation>> reader;
  private final OrderPush push;
  private final PushSettings settings;
  private final Runnable release;
  private final java.util.function.Function<Activation, String> encoder;
  private Runnable unwatch = () -> {};
  private final long[] timers = {-1, -1};
  private long version = -1;
  private boolean started;
  private boolean reading;
  private boolean noticePending;
  private boolean closed;

  ActivationEventStream(RoutingContext ctx, long orderId, Supplier<Future<Activation>> reader, OrderPush push, Runnable release) {
    this(ctx, orderId, reader, push, release, ActivationEventStream::json);
  }

  /**
   * @param encoder the text of the event(s) sent for one view of the order, after its {@code id:} line (the JSON API's
   *     {@code event: activation} with the JSON view; the web console's card as HTML)
   */
  ActivationEventStream(RoutingContext ctx, long orderId, Supplier<Future<Activation>> reader, OrderPush push,
                        Runnable release, java.util.function.Function<Activation, String> encoder) {
    this.encoder = encoder;
    this.ctx = ctx;
    this.response = ctx.response();
    this.vertx = ctx.vertx();
    this.orderId = orderId;
    this.reader = reader;
    this.push = push;
    this.settings = push.settings();
    this.release = release;
  }

  /** Watches the order before the first read, so no change can slip between the two. */
  void open() {
    Context context = vertx.getOrCreateContext();
    unwatch = push.hub().watch(orderId, context, this::onNotice);
    response.closeHandler(v -> close());
    response.exceptionHandler(e -> close());
    // The server is draining for shutdown: end the stream now rather than hold the drain to its
    // timeout; the client reconnects (to another pod) and gets the current view first.
    ctx.request().connection().shutdownHandler(v -> endForShutdown());
    reading = true;
    reader.get().onComplete(first -> {
      reading = false;
      if (closed) return;
      if (first.failed()) {
        close();
        ctx.fail(first.cause());
        return;
      }
      begin();
      send(first.result(), null);
      afterRead();
    });
  }

  private void begin() {
    started = true;
    response.setStatusCode(200).setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
        .putHeader("X-Accel-Buffering", "no");
    long fallback = settings.fallbackReread().toMillis();
    long heartbeat = settings.heartbeat().toMillis();
    timers[0] = vertx.setPeriodic(1 + ThreadLocalRandom.current().nextLong(fallback), fallback, id -> reread(false));
    timers[1] = vertx.setPeriodic(heartbeat, id -> write(": ping\n\n"));
  }

  private void onNotice() {
    if (closed) return;
    if (reading || !started) {
      noticePending = true;
      return;
    }
    reread(true);
  }

  private void reread(boolean byNotice) {
    if (closed || reading) return;
    reading = true;
    reader.get().onComplete(read -> {
      reading = false;
      if (closed) return;
      if (read.failed()) {
        LOG.debug("event stream of order {}: re-read failed, the next one retries: {}", orderId, read.cause().toString());
      } else {
        send(read.result(), byNotice ? push.stats().eventsAfterNotice : push.stats().eventsAfterFallback);
      }
      afterRead();
    });
  }

  private void afterRead() {
    if (!closed && noticePending) {
      noticePending = false;
      reread(true);
    }
  }

  /** Sends the order when it is newer than what this stream sent (counted first); ends the stream on a final state. */
  private void send(Activation order, LongAdder counter) {
    long next = OrderVersion.of(order);
    if (next <= version) return;
    version = next;
    if (counter != null) counter.increment();
    write("id: " + next + "\n" + encoder.apply(order));
    if (!order.state().open() && !closed) {
      response.end();
      close();
    }
  }

  /** The JSON API's event: the order's JSON view. */
  static String json(Activation order) {
    return "event: activation\ndata: " + ActivationViews.activation(order).encode() + "\n\n";
  }

  private void write(String text) {
    if (closed) return;
    response.write(text);
    if (response.writeQueueFull()) {
      LOG.debug("event stream of order {}: the client does not read; closing", orderId);
      response.reset();
      close();
    }
  }

  private void endForShutdown() {
    if (closed) return;
    if (started) response.end();
    else response.setStatusCode(503).end();
    close();
  }

  /** Idempotent: stops the timers, the watch and frees the stream's place under the caps. */
  private void close() {
    if (closed) return;
    closed = true;
    for (long timer : timers) {
      if (timer >= 0) vertx.cancelTimer(timer);
    }
    unwatch.run();
    release.run();
  }
}
