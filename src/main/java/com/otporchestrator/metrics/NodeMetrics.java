package com.otporchestrator.metrics;

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
 * which their modules expose here as function meters read at scrape time. It knows no feature: the
 * features register what they count.
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

  /** A counter another component keeps as a {@link LongAdder}, read at scrape time. */
  public void counter(String name, String description, LongAdder adder) {
    functionCounter(name, description, adder, LongAdder::sum);
  }

  /** A monotonic count another component keeps, read from {@code source} at scrape time. */
  public <T> void functionCounter(String name, String description, T source, ToDoubleFunction<T> value) {
    FunctionCounter.builder(name, source, value).description(description).register(registry);
  }

  /** A current value another component keeps, read from {@code source} at scrape time. */
  public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
    Gauge.builder(name, source, value).description(description).register(registry);
  }
}
