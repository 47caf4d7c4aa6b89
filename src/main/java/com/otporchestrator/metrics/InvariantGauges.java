package com.otporchestrator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The money invariants as gauges, one per invariant ({@code otp_money_invariant_violations{invariant}}),
 * refreshed by one periodic job per process: the check scans the ledger, so a scrape only reads the
 * last values and never queries PostgreSQL. {@code otp_money_invariants_last_check_seconds} says how
 * fresh they are; a check that fails leaves the last values and counts {@code result="error"}.
 */
public final class InvariantGauges {
  private static final Logger LOG = LoggerFactory.getLogger(InvariantGauges.class);
  public static final String VIOLATIONS = "otp.money.invariant.violations";
  public static final String CHECKS = "otp.money.invariants.checks";
  public static final String LAST_CHECK = "otp.money.invariants.last.check";

  /** Runs the check: {@code {"ok": bool, "violations": {name: count}}}. */
  private final Supplier<Future<JsonObject>> invariants;
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();
  private final AtomicLong lastCheckMillis = new AtomicLong();
  private long timerId = -1;
  private Future<Void> running;

  public InvariantGauges(Supplier<Future<JsonObject>> invariants, MeterRegistry registry) {
    this.invariants = invariants;
    this.registry = registry;
    Gauge.builder(LAST_CHECK, lastCheckMillis, v -> v.get() / 1000.0).baseUnit("seconds")
        .description("Unix time of the last completed money invariant check").register(registry);
  }

  /** Checks now, then every {@code intervalMillis}; never two checks at once. */
  public void start(Vertx vertx, long intervalMillis) {
    refresh();
    timerId = vertx.setPeriodic(intervalMillis, id -> refresh());
  }

  public void stop(Vertx vertx) {
    if (timerId >= 0) vertx.cancelTimer(timerId);
  }

  /** Runs one check (or joins the one in progress) and updates the gauges. */
  public synchronized Future<Void> refresh() {
    if (running != null) return running;
    running = invariants.get().onComplete(done -> {
      synchronized (this) {
        running = null;
      }
    }).map(this::record).recover(error -> {
      LOG.warn("money invariant check failed: {}", error.toString());
      Counter.builder(CHECKS).tag("result", "error").register(registry).increment();
      return Future.succeededFuture();
    });
    return running;
  }

  private Void record(JsonObject result) {
    JsonObject violations = result.getJsonObject("violations");
    for (String name : violations.fieldNames()) {
      values.computeIfAbsent(name, n -> {
        AtomicLong value = new AtomicLong();
        Gauge.builder(VIOLATIONS, value, AtomicLong::get).tag("invariant", n)
            .description("Violations of one money invariant at the last check (0 when the books balance)").register(registry);
        return value;
      }).set(violations.getLong(name));
    }
    boolean ok = result.getBoolean("ok");
    if (!ok) LOG.error("money invariants violated: {}", violations.encode());
    Counter.builder(CHECKS).tag("result", ok ? "ok" : "violated")
        .description("Money invariant checks run by this process, by result").register(registry).increment();
    lastCheckMillis.set(System.currentTimeMillis());
    return null;
  }
}
