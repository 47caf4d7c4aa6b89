package com.otporchestrator.timer;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.function.Function;

/** Runs one timer engine on its own verticle context, as the timers role does, for engine-level tests. */
final class EngineVerticle extends VerticleBase {
  private final Function<Vertx, TimerEngine> factory;
  private TimerEngine engine;

  EngineVerticle(Function<Vertx, TimerEngine> factory) {
    this.factory = factory;
  }

  @Override
  public Future<?> start() {
    engine = factory.apply(vertx);
    engine.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return engine.stop();
  }
}
