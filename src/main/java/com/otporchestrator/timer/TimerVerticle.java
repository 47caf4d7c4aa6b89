package com.otporchestrator.timer;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.function.Function;

/**
 * Runs the timer engine and its safety net on this verticle's event loop. The engine and net are
 * built from the verticle's Vertx so their timers live on its context; an engine that finds the index
 * lost in Redis has the net rebuild it at once.
 */
public final class TimerVerticle extends VerticleBase {
  private final Function<io.vertx.core.Vertx, TimerEngine> engineFactory;
  private final Function<io.vertx.core.Vertx, TimerSafetyNet> netFactory;
  private final java.util.function.Supplier<VerticleBase> wakeSubscriber;
  private TimerEngine engine;
  private TimerSafetyNet net;

  public TimerVerticle(Function<io.vertx.core.Vertx, TimerEngine> engineFactory,
                       Function<io.vertx.core.Vertx, TimerSafetyNet> netFactory,
                       java.util.function.Supplier<VerticleBase> wakeSubscriber) {
    this.engineFactory = engineFactory;
    this.netFactory = netFactory;
    this.wakeSubscriber = wakeSubscriber;
  }

  @Override
  public Future<?> start() {
    engine = engineFactory.apply(vertx);
    net = netFactory.apply(vertx);
    engine.onIndexLost(net::indexLost);
    // deployed from here, the subscriber is this verticle's child: undeployed with it
    return vertx.deployVerticle(wakeSubscriber.get()).compose(id -> net.start()).onSuccess(v -> engine.start());
  }

  @Override
  public Future<?> stop() {
    return Future.join(engine.stop(), net.stop());
  }
}
