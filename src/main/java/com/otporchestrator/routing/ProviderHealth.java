package com.otporchestrator.routing;

import com.otporchestrator.config.BreakerSettings;
import com.otporchestrator.upstream.UpstreamException;
import io.vertx.core.json.JsonArray;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-supplier health and circuit breakers of this process (docs/routing-and-outages.md, "Health and
 * breakers"). Fed by every supplier call ({@code MeteredProvider}); read by routing. A failure is a
 * call whose outcome is unknown (timeout, garbage, 5xx) or that broke; NO_NUMBERS and definite
 * refusals prove the supplier answers, so they count as healthy calls.
 *
 * <p><i>Decision:</i> the breakers are per process, in memory, not shared in Redis: every pod sees
 * the same failing supplier within a few calls, routing keeps working while Redis is down, and no
 * supplier call pays a Redis round trip. What must be shared, the suspected outage, is a PostgreSQL
 * row (one per supplier, by a unique index), raised through {@link #onOpen}.
 */
public final class ProviderHealth {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderHealth.class);

  private final BreakerSettings settings;
  private final LongSupplier clock;
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private volatile Consumer<String> openListener = id -> { };

  public ProviderHealth(BreakerSettings settings) {
    this(settings, System::currentTimeMillis);
  }

  ProviderHealth(BreakerSettings settings, LongSupplier clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** Called with the supplier's id each time its breaker opens (from closed or half-open). */
  public void onOpen(Consumer<String> listener) {
    this.openListener = listener;
  }

  /** Records the outcome of one supplier call; {@code error} null when it succeeded. */
  public void record(String providerId, Throwable error, long millis) {
    boolean failure = error != null && !(error instanceof UpstreamException.NoNumbers)
        && !(error instanceof UpstreamException.Rejected);
    boolean opened = breaker(providerId).record(failure, failure && isTimeout(error), millis,
        failure ? truncate(error.toString()) : null);
    if (opened) {
      LOG.atWarn().addKeyValue("providerId", providerId)
          .log("circuit breaker of supplier {} opened: no purchase goes there for {} s", providerId,
              settings.openFor().toSeconds());
      try {
        openListener.accept(providerId);
      } catch (RuntimeException e) {
        LOG.warn("breaker listener failed: {}", e.toString());
      }
    }
  }

  /** May a purchase be routed to this supplier now (closed, or half-open with no probe running)? */
  public boolean admits(String providerId) {
    return breaker(providerId).admits();
  }

  /** "CLOSED", "OPEN" or "HALF_OPEN". */
  public String state(String providerId) {
    return breaker(providerId).state().name();
  }

  /** Every supplier this process called and every one in {@code configured}, by id. */
  public JsonArray view(java.util.Collection<String> configured) {
    configured.forEach(this::breaker);
    return view();
  }

  /** Every supplier this process called, by id: breaker, window error rate, timeouts, latency. */
  public JsonArray view() {
    JsonArray list = new JsonArray();
    breakers.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
        .forEach(e -> list.add(e.getValue().view()));
    return list;
  }

  private CircuitBreaker breaker(String providerId) {
    return breakers.computeIfAbsent(providerId, id -> new CircuitBreaker(id, settings, clock));
  }

  static boolean isTimeout(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof io.netty.handler.timeout.TimeoutException) return true;
      String message = t.getMessage();
      if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("timeout")) return true;
      if (t.getCause() == t) break;
    }
    return false;
  }

  private static String truncate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300);
  }
}
