package com.otporchestrator.timer;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.function.Function;

/**
 * Runs the timer engine and its safety net on this verticle's event loop. The engine and net are
 * built from the verticle's Vertx so their timers live on its context.
 */
public final class TimerVerticle extends VerticleBase {
  private final Function<io.vertx.core.Vertx, TimerEngine> engineFactory;
  private final Function<io.vertx.core.Vertx, TimerSafetyNet> netFactory;
  private TimerEngine engine;
  private TimerSafetyNet net;

  public TimerVerticle(Function<io.vertx.core.Vertx, TimerEngine> engineFactory,
                       Function<io.vertx.core.Vertx, TimerSafetyNet> netFactory) {
    this.engineFactory = engineFactory;
    this.netFactory = netFactory;
  }

  @Override
  public Future<?> start() {
    engine = engineFactory.apply(vertx);
    net = netFactory.apply(vertx);
    return net.start().onSuccess(v -> engine.start());
  }

  @Override
  public Future<?> stop() {
    return Future.join(engine.stop(), net.stop());
  }
}
