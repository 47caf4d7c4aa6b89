package com.otporchestrator.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.impl.MicrometerMetrics;
import java.util.EnumSet;
import java.util.UUID;

/**
 * Builds a Vert.x instance that reports its own metrics (HTTP server and client, SQL and Redis
 * pools and clients) into a Prometheus registry of its own, and finds that registry again.
 *
 * <p>One registry per Vertx: several nodes run in one JVM in tests, and vertx-micrometer-metrics
 * keys its registries by name in a static map, so each instance gets a unique name (released when
 * the Vertx closes). Labels are the low-cardinality ones only: HTTP method, status code and route
 * template (never the path, which carries order ids), pool type and name, client name and namespace.
 */
public final class Metrics {
  private Metrics() {}

  public static Vertx vertx(VertxOptions options) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // HTTP client pools are named after the remote host:port, and webhook hosts are chosen by customers:
    // one label value per customer host would grow without bound, so they all share one name.
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (id.getName().startsWith("vertx.pool.") && "http".equals(id.getTag("pool_type"))) {
          return id.replaceTags(Tags.of(id.getTags()).and("pool_name", "http-client"));
        }
        return id;
      }
    });
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName("otp-" + UUID.randomUUID())
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME,
            Label.NAMESPACE, Label.CLIENT_NAME, Label.EB_SIDE))
        .setJvmMetricsEnabled(true);
    return Vertx.builder().with(new VertxOptions(options).setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry)).build();
  }

  /**
   * The Prometheus registry of a Vertx built by {@link #vertx}; for any other Vertx a fresh one, so
   * the application's own meters still work (without Vert.x's).
   */
  public static PrometheusMeterRegistry registryOf(Vertx vertx) {
    if (vertx instanceof VertxInternal internal && internal.metrics() instanceof MicrometerMetrics micrometer) {
      MeterRegistry registry = micrometer.registry();
      if (registry instanceof PrometheusMeterRegistry prometheus) return prometheus;
    }
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }
}
