package com.otporchestrator.timer;

import com.otporchestrator.config.AppConfig.TimerSettings;
import com.otporchestrator.metrics.NodeMetrics;
import com.otporchestrator.store.DatabasePools;
import com.otporchestrator.store.RedisStore;
import com.otporchestrator.store.RedisSubscription;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The timers of one process: the service every feature schedules with, the engine's counters, and
 * the engine verticle a timers node deploys with the handlers, sweep sources and housekeeping jobs
 * the feature modules hand in. It knows no feature.
 */
public final class TimerModule {
  private final Redis redis;
  private final String redisUrl;
  private final TimerSettings settings;
  private final TimerService service;
  private final TimerStats stats = new TimerStats();

  public TimerModule(Redis redis, String redisUrl, String keyPrefix, TimerSettings settings, NodeMetrics metrics) {
    this.redis = redis;
    this.redisUrl = redisUrl;
    this.settings = settings;
    this.service = new TimerService(redis, new TimerKeys(keyPrefix, settings.shards()), settings.idlePoll().toMillis());
    stats.bindTo(metrics);
  }

  /** Schedules and cancels timers (Redis is only the index; PostgreSQL holds each timer's truth). */
  public TimerService service() {
    return service;
  }

  public TimerKeys keys() {
    return service.keys();
  }

  /** The engine's counters, shared by every engine of the process. */
  public TimerStats stats() {
    return stats;
  }

  /**
   * Loads the engine's scripts and deploys one engine, its safety net, and the subscriber that hears other nodes'
   * wake-up notices; answers the engine's deployment id. The engine's verticle is on the timer lane: every statement
   * its handlers, sweeps and chores make uses the timer pool ({@link DatabasePools}), never the requests'.
   *
   * @param chores housekeeping run after each safety-net pass
   */
  public Future<String> deploy(Vertx vertx, Map<TimerKind, TimerHandler> handlers, List<SweepSource> sources,
                               List<Supplier<Future<Void>>> chores) {
    return TimerEngine.Scripts.load(vertx)
        .compose(s -> RedisStore.preload(redis, s.all()).map(s))
        .compose(scripts -> vertx.deployVerticle(() -> new TimerVerticle(
                v -> new TimerEngine(v, redis, service.keys(), settings, handlers, scripts, stats).wakeWith(service),
                v -> new TimerSafetyNet(v, redis, service, handlers, List.copyOf(sources), List.copyOf(chores), settings,
                    stats),
                () -> new RedisSubscription(redisUrl, service.keys().wakeChannel(), "timers-sub", service::heard, again -> {})),
            new DeploymentOptions().setInstances(1).setConfig(DatabasePools.timerLane())));
  }
}
