package com.otporchestrator.routing;

import com.otporchestrator.api.DecisionLog;
import com.otporchestrator.config.AppConfig;
import com.otporchestrator.module.Core;
import com.otporchestrator.module.FeatureModule;
import com.otporchestrator.module.PeriodicJob;
import io.vertx.core.Future;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Suppliers and routing: the configured suppliers (PostgreSQL), their live protocol adapters, metered and watched by
 * a circuit breaker each, the admin routes that configure them, and the route suppliers push SMS to. The SMS go to
 * the {@link SmsInbox}es the features give with {@link #deliverPushedSmsTo}.
 */
public final class RoutingModule implements FeatureModule {
  private static final Duration RELOAD = Duration.ofSeconds(10);

  private final WebClient client;
  private final ProviderRepository repository;
  private final ProviderHealth health;
  private final ProviderRegistry registry;
  private final Suppliers suppliers;
  private final SupplierRoutes routes;
  private ProviderPushRoutes pushRoutes;

  public RoutingModule(Core core) {
    AppConfig config = core.config();
    this.client = WebClient.create(core.vertx(), new WebClientOptions().setDecompressionSupported(true)
        .setKeepAlive(true).setKeepAliveTimeout((int) config.routing().upstreamKeepAlive().toSeconds())
        .setConnectTimeout((int) config.upstreamTimeout().toMillis()).setMetricsName("suppliers"),
        new PoolOptions().setHttp1MaxSize(50));
    this.repository = new ProviderRepository(core.pool());
    this.health = new ProviderHealth(config.routing().breaker());
    this.registry = new ProviderRegistry(repository,
        MeteredProvider.metered(Adapters.standard(client, config.upstreamTimeout()), core.metrics().meters(), health),
        health);
    this.suppliers = new Suppliers(repository, registry, new DecisionLog(core.pool()));
    this.routes = new SupplierRoutes(repository, registry, suppliers);
  }

  /** The live adapter of every configured supplier. */
  public ProviderRegistry registry() {
    return registry;
  }

  /** List, enable and disable suppliers, recording who decided. */
  public Suppliers suppliers() {
    return suppliers;
  }

  public ProviderRepository repository() {
    return repository;
  }

  /** This process's breakers; {@link ProviderHealth#onOpen} tells who wants to hear a supplier failing. */
  public ProviderHealth health() {
    return health;
  }

  /** Where pushed SMS go, asked in this order (the first holding the phone takes it); set once, before routes mount. */
  public void deliverPushedSmsTo(List<SmsInbox> inboxes) {
    if (pushRoutes != null) throw new IllegalStateException("the SMS inboxes are already set");
    pushRoutes = new ProviderPushRoutes(registry, inboxes);
  }

  @Override
  public void mount(Router router) {
    Objects.requireNonNull(pushRoutes, "no SMS inbox was given").mount(router);
    routes.mount(router);
  }

  /** Admin changes made on another node reach this one. */
  @Override
  public List<PeriodicJob> periodicJobs() {
    return List.of(PeriodicJob.everyNode("supplier reload", RELOAD, RELOAD, registry::reload));
  }

  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }
}
