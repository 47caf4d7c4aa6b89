package com.otporchestrator.module;

import com.otporchestrator.timer.SweepSource;
import com.otporchestrator.timer.TimerHandler;
import com.otporchestrator.timer.TimerKind;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;

/**
 * One feature of the platform, built once per process by the composition root ({@code Modules}): its
 * services, and what it hands to the shared machinery. Every part is optional. A module never builds
 * another module's services: it receives the modules it depends on, which are built before it.
 */
public interface FeatureModule {

  /**
   * Mounts the feature's routes. Called once per HTTP verticle instance (one per event loop) on that
   * instance's router, after the body handler and after the {@code /v1/*} customer authentication,
   * rate limit and {@code /admin/v1/*} admin authentication guards: a route under those prefixes is
   * guarded without doing anything. The routes use the module's services; they build none.
   */
  default void mount(Router router) {}

  /**
   * Routes that read their own body (uploads with their own size limit), mounted before the global
   * body handler and before the guards: such a route must add the guards it needs itself.
   */
  default void mountBeforeBody(Router router) {}

  /** The timer kinds this feature fires, on nodes with the timers role. */
  default Map<TimerKind, TimerHandler> timerHandlers() {
    return Map.of();
  }

  /** PostgreSQL's view of this feature's timers, for the sweep and the re-seed of a lost Redis index. */
  default List<SweepSource> sweepSources() {
    return List.of();
  }

  /** The feature's recurring work; {@link PeriodicJob.When} says on which nodes and how often. */
  default List<PeriodicJob> periodicJobs() {
    return List.of();
  }

  /**
   * Runs the feature's hot paths once for nobody (an account that does not exist), so that a starting node has loaded
   * and compiled them before it reports ready ({@code WarmUp}). It must write nothing a customer or an operator could
   * see, and may fail: the warm-up ignores the outcome.
   */
  default Future<Void> rehearse() {
    return Future.succeededFuture();
  }

  /** Releases what the module opened itself (clients, subscriptions); the shared pools are closed by the root. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
