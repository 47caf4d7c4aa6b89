package com.otporchestrator.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/**
 * The PostgreSQL pools of one process ({@link Database#pools}): the requests', the timer engine's and the readiness
 * check's. Requests that saturate their pool make other requests wait (and, past the acquire timeout, answer 503), but
 * never an automatic refund or a readiness answer.
 *
 * <p>The modules get one pool, {@link #routed()}: a statement made on the context of a verticle deployed with
 * {@link #timerLane()} (the timer engine: its handlers, sweeps and chores, whatever module they belong to) goes to the
 * timer pool, any other to the requests' pool. So a module builds its repositories once and the lane follows the
 * caller. The readiness check uses {@link #health()} directly.
 */
public final class DatabasePools {
  /** The key, in a verticle's deployment config, that names its database lane. */
  static final String LANE = "databaseLane";
  private static final String TIMERS = "timers";

  private final Pool requests;
  private final Pool timers;
  private final Pool health;
  private final Pool routed;

  DatabasePools(Pool requests, Pool timers, Pool health) {
    this.requests = requests;
    this.timers = timers;
    this.health = health;
    this.routed = new LanePool(requests, timers, DatabasePools::onTimerLane);
  }

  /** The deployment config of a verticle whose statements use the timer pool. */
  public static JsonObject timerLane() {
    return new JsonObject().put(LANE, TIMERS);
  }

  /** Whether the calling code runs on a context deployed with {@link #timerLane()}. */
  static boolean onTimerLane() {
    Context context = Vertx.currentContext();
    if (context == null) return false;
    JsonObject config = context.config();
    return config != null && TIMERS.equals(config.getString(LANE));
  }

  /** The pool the modules use: the timer pool on the timer engine's context, else the requests' pool. */
  public Pool routed() {
    return routed;
  }

  public Pool requests() {
    return requests;
  }

  public Pool timers() {
    return timers;
  }

  /** The readiness check's own connection(s). */
  public Pool health() {
    return health;
  }

  public Future<Void> close() {
    return Future.join(requests.close(), timers.close(), health.close()).mapEmpty();
  }
}
