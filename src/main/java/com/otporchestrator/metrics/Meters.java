package com.otporchestrator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The application's own meters, on one node's registry. Names follow Prometheus conventions once
 * rendered ({@code otp.refunds} becomes {@code otp_refunds_total}, timers end in {@code _seconds}),
 * and every label takes a small fixed set of values (reasons, outcomes, supplier ids, operations):
 * never an order, account or event id.
 */
public final class Meters {
  public static final String PURCHASES = "otp.purchases";
  public static final String REFUNDS = "otp.refunds";
  public static final String CAPTURES = "otp.captures";
  public static final String SMS = "otp.sms.received";
  public static final String DUPLICATES = "otp.duplicates.suppressed";
  public static final String TIMER_LATENESS = "otp.timer.lateness";
  public static final String PROVIDER_CALLS = "otp.provider.call";
  public static final String PROVIDER_ERRORS = "otp.provider.errors";
  public static final String WEBHOOK_DELIVERIES = "otp.webhook.deliveries";
  public static final String FAILOVERS = "otp.route.failovers";

  /** Buckets of the lateness histogram: what matters is "well under a second" versus "seconds late". */
  private static final Duration[] LATENESS_BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(300)};
  private static final Duration[] CALL_BUCKETS = {
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30)};

  private final MeterRegistry registry;
  /** Hot path (every claimed timer): resolved once per kind. */
  private final java.util.concurrent.ConcurrentHashMap<String, Timer> lateness = new java.util.concurrent.ConcurrentHashMap<>();

  /** Label values known in advance, registered at 0 when a node starts (docs/operations.md, metrics). */
  static final java.util.List<String> REFUND_REASONS =
      java.util.List.of("expired", "cancelled", "failed_allocation", "closed_by_supplier", "outage");
  static final java.util.List<String> CAPTURE_TRIGGERS = java.util.List.of("finished", "window_end", "rental_end");
  static final java.util.List<String> SMS_RESULTS = java.util.List.of("stored", "duplicate", "no_open_order");
  static final java.util.List<String> DUPLICATE_SOURCES = java.util.List.of("sms", "expiry_cas_miss");
  static final java.util.List<String> WEBHOOK_OUTCOMES = java.util.List.of("delivered", "retry", "failed");
  static final java.util.List<String> PROVIDER_OPERATIONS =
      java.util.List.of("stock", "allocate", "poll", "request_another_code", "close", "open_activations");
  static final java.util.List<String> PROVIDER_ERROR_CLASSES = java.util.List.of("no_numbers", "rejected", "unknown", "error");

  public Meters(MeterRegistry registry) {
    this.registry = registry;
    registerKnownAtZero();
  }

  /**
   * Every labelled counter the Grafana dashboard (deploy/grafana) queries exists from the start, at 0, for each label
   * value known in advance: a rate() over a series that appears with its first event misses that event, and a panel
   * shows "no data" instead of 0. Supplier series are added when each supplier is configured ({@link #provider}).
   */
  private void registerKnownAtZero() {
    purchases("created", 0);
    for (com.otporchestrator.common.DomainException.Kind kind : com.otporchestrator.common.DomainException.Kind.values()) {
      counter(PURCHASES, "Purchases (one per number asked for), by outcome", "outcome", label(kind));
    }
    counter(PURCHASES, "Purchases (one per number asked for), by outcome", "outcome", "error");
    REFUND_REASONS.forEach(r -> counter(REFUNDS, "Orders whose hold was voided (price returned), by reason", "reason", r));
    CAPTURE_TRIGGERS.forEach(t -> counter(CAPTURES, "Orders whose hold was captured (charged), by trigger", "trigger", t));
    SMS_RESULTS.forEach(r -> counter(SMS, "SMS handed to the delivery function (pushed or polled), by result", "result", r));
    DUPLICATE_SOURCES.forEach(d -> counter(DUPLICATES, "At-least-once deliveries absorbed without effect, by source", "source", d));
    WEBHOOK_OUTCOMES.forEach(o -> counter(WEBHOOK_DELIVERIES, "Webhook delivery attempts, by outcome", "outcome", o));
  }

  /** A supplier's error counters, at 0 for every operation and error class, when the supplier is configured. */
  public void provider(String provider) {
    for (String operation : PROVIDER_OPERATIONS) {
      for (String error : PROVIDER_ERROR_CLASSES) {
        Counter.builder(PROVIDER_ERRORS).description("Failed supplier calls, by supplier, operation and error")
            .tag("provider", provider).tag("operation", operation).tag("error", error).register(registry);
      }
    }
  }

  private void counter(String name, String description, String tag, String value) {
    Counter.builder(name).description(description).tag(tag, value).register(registry);
  }

  /** Meters that go nowhere anyone looks, for code built outside a node (unit tests, tools). */
  public static Meters detached() {
    return new Meters(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** {@code outcome}: created, or the failure kind in snake case (insufficient_funds, no_numbers...). */
  public void purchases(String outcome, long n) {
    if (n < 0) return;
    Counter.builder(PURCHASES).description("Purchases (one per number asked for), by outcome")
        .tag("outcome", outcome).register(registry).increment(n);
  }

  /** {@code reason}: expired, cancelled, failed_allocation, closed_by_supplier. */
  public void refunds(String reason, long n) {
    if (n <= 0) return;
    Counter.builder(REFUNDS).description("Orders whose hold was voided (price returned), by reason")
        .tag("reason", reason).register(registry).increment(n);
  }

  /** {@code trigger}: finished (the customer confirmed), window_end (a code arrived, the window ended). */
  public void captures(String trigger, long n) {
    if (n <= 0) return;
    Counter.builder(CAPTURES).description("Orders whose hold was captured (charged), by trigger")
        .tag("trigger", trigger).register(registry).increment(n);
  }

  /** {@code result}: stored, duplicate, no_open_order. */
  public void sms(String result) {
    Counter.builder(SMS).description("SMS handed to the delivery function (pushed or polled), by result")
        .tag("result", result).register(registry).increment();
  }

  /** {@code source}: sms (a repeated SMS stored once), expiry_cas_miss (an expiry fired on an order no longer due). */
  public void duplicatesSuppressed(String source, long n) {
    if (n <= 0) return;
    Counter.builder(DUPLICATES).description("At-least-once deliveries absorbed without effect, by source")
        .tag("source", source).register(registry).increment(n);
  }

  /** Fire time (Redis clock, at claim) minus the timer's due time. */
  public void timerLateness(String kind, long millis) {
    lateness.computeIfAbsent(kind, k -> Timer.builder(TIMER_LATENESS)
            .description("Timer lateness: claim time (Redis clock) minus due time")
            .tag("kind", k).serviceLevelObjectives(LATENESS_BUCKETS).minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(10)).register(registry))
        .record(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  /** One supplier call: {@code outcome} is ok or the error class (no_numbers, rejected, unknown, error). */
  public void providerCall(String provider, String operation, String outcome, long nanos) {
    Timer.builder(PROVIDER_CALLS).description("Supplier calls, by supplier, operation and outcome")
        .tag("provider", provider).tag("operation", operation).tag("outcome", outcome)
        .serviceLevelObjectives(CALL_BUCKETS).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    if (!"ok".equals(outcome)) {
      Counter.builder(PROVIDER_ERRORS).description("Failed supplier calls, by supplier, operation and error")
          .tag("provider", provider).tag("operation", operation).tag("error", outcome).register(registry).increment();
    }
  }

  /** {@code outcome}: delivered, retry (failed, another attempt scheduled), failed (gave up). */
  /** A purchase passed over {@code provider} to the next supplier, because of {@code reason}. */
  public void failover(String provider, String reason) {
    Counter.builder(FAILOVERS).description("Purchases moved to the next supplier, by the supplier passed over and why")
        .tag("provider", provider).tag("reason", reason).register(registry).increment();
  }

  public void webhookDelivery(String outcome) {
    Counter.builder(WEBHOOK_DELIVERIES).description("Webhook delivery attempts, by outcome")
        .tag("outcome", outcome).register(registry).increment();
  }

  /** An enum-like name as a label value: NO_NUMBERS becomes no_numbers. */
  public static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
