package com.otporchestrator.metrics;

import com.otporchestrator.activation.HoldCoalescer;
import com.otporchestrator.push.StreamLimits;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.timer.TimerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * One node's metrics: the Prometheus registry its Vertx reports into, the application meters on it,
 * and the counters other components already keep (timer engine, hold coalescer, event streams),
 * exposed as function meters read at scrape time.
 */
public final class NodeMetrics {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final Meters meters;
  private InvariantGauges invariantGauges;

  private NodeMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.meters = new Meters(registry);
  }

  public static NodeMetrics of(Vertx vertx) {
    return new NodeMetrics(Metrics.registryOf(vertx));
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public Meters meters() {
    return meters;
  }

  /** The Prometheus text exposition of every meter: in-memory values only, no I/O. */
  public String scrape() {
    return registry.scrape();
  }

  /** {@code GET /metrics}. */
  public void handle(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE).end(scrape());
  }

  /** Starts the periodic money invariant check of this process (one per process, whatever its roles). */
  public InvariantGauges startInvariantChecks(Vertx vertx, Supplier<Future<JsonObject>> invariants, long intervalMillis) {
    if (invariantGauges == null) {
      invariantGauges = new InvariantGauges(invariants, registry);
      invariantGauges.start(vertx, intervalMillis);
    }
    return invariantGauges;
  }

  /** The invariant gauges, once started (null before). */
  public InvariantGauges invariants() {
    return invariantGauges;
  }

  public void stop(Vertx vertx) {
    if (invariantGauges != null) invariantGauges.stop(vertx);
  }

  public void bindTimers(TimerStats stats) {
    counter("otp.timers.claimed", "Timers claimed from Redis by this process's engines", stats.claimed);
    counter("otp.timers.applied", "Claimed timers whose batch committed and was acknowledged", stats.applied);
    counter("otp.timer.batches.failed", "Claimed batches that failed or timed out (the reaper re-queues them)", stats.failedBatches);
    counter("otp.timers.requeued", "Timers re-queued from expired leases by the reaper", stats.reaped);
    counter("otp.timer.sweep.found", "Overdue timers the PostgreSQL sweep found and fired (Redis missed them)", stats.swept);
    counter("otp.timers.reseeded", "Timers re-seeded into Redis from PostgreSQL after the index was lost", stats.reseeded);
    stats.onLateness((TimerKind kind, long millis) -> meters.timerLateness(Meters.label(kind), millis));
  }

  public void bindHolds(HoldCoalescer holds) {
    functionCounter("otp.hold.statements", "Hold statements sent (coalesced group commits)", holds, h -> h.statements());
    functionCounter("otp.holds", "Orders held; holds / hold statements is the coalescing ratio", holds, h -> h.holdsRequested());
  }

  public void bindStreams(StreamLimits streams) {
    Gauge.builder("otp.sse.streams.open", streams, StreamLimits::open)
        .description("Server-sent event streams open on this node").register(registry);
  }

  private void counter(String name, String description, LongAdder adder) {
    functionCounter(name, description, adder, LongAdder::sum);
  }

  private <T> void functionCounter(String name, String description, T source, ToDoubleFunction<T> value) {
    FunctionCounter.builder(name, source, value).description(description).register(registry);
  }
}
