package com.otporchestrator.webhook;

import com.otporchestrator.metrics.Meters;
import com.otporchestrator.config.AppConfig.WebhookSettings;
import com.otporchestrator.timer.Timer;
import com.otporchestrator.timer.TimerHandler;
import com.otporchestrator.timer.TimerKind;
import com.otporchestrator.timer.TimerService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires of {@link TimerKind#WEBHOOK}: posts each due event once, signed, with a 3-second budget,
 * logs the attempt and either marks it DELIVERED (any 2xx), schedules the next attempt with
 * exponential backoff, or gives up (FAILED) after the configured number of attempts.
 *
 * <p>The batch only <em>claims</em> its events (one statement that pushes their next attempt a
 * lease ahead and re-arms their timers at the lease end) and returns at once: slow customer
 * endpoints never hold the timer engine's batches, which expiries share. The posts then run with
 * at most {@link #MAX_IN_FLIGHT} per process; an event over the limit is simply tried a second
 * later. A process that dies mid-post leaves the event to be claimed again when its lease ends, so
 * delivery is at least once and the customer deduplicates on {@code webhook-id}.
 */
public final class WebhookDeliveryHandler implements TimerHandler {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveryHandler.class);
  static final long ATTEMPT_TIMEOUT_MS = 3_000;
  static final Duration CLAIM_LEASE = Duration.ofSeconds(30);
  static final int MAX_IN_FLIGHT = 32;
  private static final long MAX_DELAY_MS = 24 * 3_600_000L;
  private static final int MAX_ERROR_LENGTH = 300;

  private final WebhookRepository repository;
  private final TimerService timers;
  private final WebClient client;
  private final WebhookSettings settings;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Meters meters;

  public WebhookDeliveryHandler(WebhookRepository repository, TimerService timers, WebClient client,
                                WebhookSettings settings) {
    this(repository, timers, client, settings, Meters.detached());
  }

  public WebhookDeliveryHandler(WebhookRepository repository, TimerService timers, WebClient client,
                                WebhookSettings settings, Meters meters) {
    this.meters = meters;
    this.repository = repository;
    this.timers = timers;
    this.client = client;
    this.settings = settings;
  }

  @Override
  public Future<Void> fire(List<Long> ids) {
    int reserved = reserve(ids.size());
    return repository.claim(ids, reserved, CLAIM_LEASE).compose(claim -> {
      release(reserved - claim.claimed().size());
      List<Timer> rearm = new ArrayList<>(ids.size());
      claim.others().forEach(other -> rearm.add(new Timer(TimerKind.WEBHOOK, other[0], other[1])));
      claim.claimed().forEach(event -> rearm.add(new Timer(TimerKind.WEBHOOK, event.id(), event.leaseEndMillis())));
      return timers.scheduleAll(rearm)
          .recover(error -> {
            LOG.warn("could not re-arm {} webhook timers; the sweep will catch them: {}", rearm.size(), error.toString());
            return Future.succeededFuture();
          })
          .onComplete(done -> claim.claimed().forEach(this::attempt));
    }, error -> {
      release(reserved);
      return Future.failedFuture(error);
    });
  }

  /** Takes up to {@code wanted} of the free in-flight slots. */
  private int reserve(int wanted) {
    while (true) {
      int current = inFlight.get();
      int granted = Math.max(0, Math.min(wanted, MAX_IN_FLIGHT - current));
      if (inFlight.compareAndSet(current, current + granted)) return granted;
    }
  }

  private void release(int slots) {
    if (slots > 0) inFlight.addAndGet(-slots);
  }

  private void attempt(WebhookRepository.Claimed event) {
    Future<String[]> secrets = event.secret() != null ? Future.succeededFuture(new String[] {event.secret(), event.previousSecret()})
        : repository.ensureSecret(event.accountId()).map(secret -> new String[] {secret});
    secrets.compose(keys -> post(event, keys))
        .compose(outcome -> record(event, outcome))
        .onFailure(error -> LOG.warn("webhook event {} attempt {} not recorded; retried after its lease: {}",
            event.id(), event.attempts() + 1, error.toString()))
        .onComplete(done -> release(1));
  }

  /** What one POST came to: the HTTP status (null without an answer) and an error (null on a 2xx). */
  record Outcome(Integer status, String error, int durationMs) {
    boolean delivered() {
      return status != null && status >= 200 && status < 300;
    }
  }

  private Future<Outcome> post(WebhookRepository.Claimed event, String[] secrets) {
    long started = System.nanoTime();
    long timestamp = System.currentTimeMillis() / 1000;
    Future<Outcome> sent;
    try {
      sent = client.postAbs(event.url())
          .connectTimeout(ATTEMPT_TIMEOUT_MS)
          .idleTimeout(ATTEMPT_TIMEOUT_MS)
          .followRedirects(false)
          .putHeader("Content-Type", "application/json")
          .putHeader("webhook-id", "evt_" + event.id())
          .putHeader("webhook-timestamp", String.valueOf(timestamp))
          .putHeader("webhook-signature", WebhookSigner.signature("evt_" + event.id(), timestamp, event.payload(), secrets))
          .as(BodyCodec.none())
          .sendBuffer(Buffer.buffer(event.payload()))
          .timeout(ATTEMPT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .map(response -> {
            int status = response.statusCode();
            boolean ok = status >= 200 && status < 300;
            return new Outcome(status, ok ? null : "HTTP " + status, elapsedMs(started));
          });
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    return sent.recover(error -> Future.succeededFuture(new Outcome(null, describe(error), elapsedMs(started))));
  }

  private Future<Void> record(WebhookRepository.Claimed event, Outcome outcome) {
    int attempt = event.attempts() + 1;
    String next = outcome.delivered() ? "DELIVERED" : attempt >= settings.maxAttempts() ? "FAILED" : "PENDING";
    Long delay = "PENDING".equals(next) ? backoffMillis(attempt) : null;
    if ("FAILED".equals(next)) {
      LOG.atWarn().addKeyValue("eventId", event.id()).addKeyValue("orderId", event.orderId()).addKeyValue("attempts", attempt)
          .log("webhook event {} to {} failed after {} attempts: {}", event.id(), event.url(), attempt, outcome.error());
    }
    return repository.recordAttempt(event.id(), attempt, event.url(), outcome.status(), truncate(outcome.error()),
            outcome.durationMs(), next, delay)
        .compose(recorded -> {
          if (!recorded.moved()) return Future.succeededFuture();
          meters.webhookDelivery(switch (next) {
            case "DELIVERED" -> "delivered";
            case "FAILED" -> "failed";
            default -> "retry";
          });
          if (recorded.nextMillis() == null) return timers.cancel(TimerKind.WEBHOOK, event.id()).recover(e -> Future.succeededFuture());
          return timers.schedule(new Timer(TimerKind.WEBHOOK, event.id(), recorded.nextMillis()))
              .recover(e -> Future.succeededFuture()); // the lease-end timer or the sweep will retry it
        });
  }

  /** Delay before attempt {@code failedAttempt + 1}: base, 2 x base, 4 x base... */
  long backoffMillis(int failedAttempt) {
    long base = settings.retryBase().toMillis();
    int shift = Math.min(failedAttempt - 1, 30);
    return Math.min(MAX_DELAY_MS, base << shift);
  }

  private static int elapsedMs(long startedNanos) {
    return (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
  }

  private static String describe(Throwable error) {
    String name = error.getClass().getSimpleName();
    if (error instanceof java.util.concurrent.TimeoutException || name.contains("Timeout")) {
      return "timeout after " + ATTEMPT_TIMEOUT_MS + " ms";
    }
    return error.getMessage() == null ? name : name + ": " + error.getMessage();
  }

  private static String truncate(String text) {
    return text == null || text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
  }
}
