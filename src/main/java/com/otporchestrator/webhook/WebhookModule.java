package com.otporchestrator.webhook;

import com.otporchestrator.api.ApiModule;
import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.module.PeriodicJob;
import com.otporchestrator.timer.SweepSource;
import com.otporchestrator.timer.TimerHandler;
import com.otporchestrator.timer.TimerKind;
import io.vertx.core.Future;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.Map;

/**
 * Customer webhooks: each account's endpoint and signing secret, the events the order features record, and their
 * delivery (a timer per attempt, retried with backoff) over an HTTP client of its own.
 */
public final class WebhookModule implements FeatureModule {
  private static final int RETENTION_DAYS = 30;
  /** How soon an event written by a state-change trigger gets its first attempt, at most. */
  private static final java.time.Duration PICKUP_EVERY = java.time.Duration.ofMillis(500);

  /** Customer webhooks get their own client: no redirects, short timeouts, never sharing the suppliers' pool. */
  private final WebClient client;
  private final WebhookRepository repository;
  private final WebhookUrls urls;
  private final WebhookDeliveryHandler delivery;
  private final WebhookRoutes routes;
  private final WebhookPickup pickup;

  public WebhookModule(Core core, ApiModule api) {
    this.client = WebClient.create(core.vertx(), new WebClientOptions().setFollowRedirects(false).setKeepAlive(true)
        .setConnectTimeout(3_000).setUserAgent("otp-orchestrator-webhooks/1").setMetricsName("webhooks"),
        new PoolOptions().setHttp1MaxSize(8));
    this.repository = new WebhookRepository(core.pool());
    this.urls = new WebhookUrls(core.config().webhooks().allowPrivateUrls());
    this.delivery = new WebhookDeliveryHandler(repository, core.timers().service(), client, core.config().webhooks(),
        core.metrics().meters());
    this.routes = new WebhookRoutes(repository, urls, api.idempotency());
    this.pickup = new WebhookPickup(repository, core.timers().service());
  }

  public WebhookRepository repository() {
    return repository;
  }

  /** Checks a webhook URL a customer gives (on orders too): https, public host, bounded length. */
  public WebhookUrls urls() {
    return urls;
  }

  @Override
  public void mount(Router router) {
    routes.mount(router);
  }

  @Override
  public Map<TimerKind, TimerHandler> timerHandlers() {
    return Map.of(TimerKind.WEBHOOK, delivery);
  }

  @Override
  public List<SweepSource> sweepSources() {
    return List.of(new WebhookSweepSource(repository));
  }

  /** Finished deliveries are kept {@value #RETENTION_DAYS} days; events the order triggers write are armed here. */
  @Override
  public List<PeriodicJob> periodicJobs() {
    return List.of(PeriodicJob.withTimerSweep("webhook delivery purge", () -> repository.purgeFinished(RETENTION_DAYS)),
        PeriodicJob.timersNodes("webhook pickup", PICKUP_EVERY, PICKUP_EVERY, pickup::run));
  }

  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }
}
