package com.otporchestrator.store;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One instance of a client per event loop thread of a Vertx, created on first use from that loop.
 * The instance is created inside a context of its own on the same loop, owned by no deployment:
 * a client created inside a verticle's context is closed by Vert.x when that verticle is undeployed,
 * and this one is shared by every verticle running on the loop.
 */
final class LoopLocal<T> {
  private final Vertx vertx;
  private final Supplier<T> factory;
  private final ConcurrentHashMap<Thread, T> byLoop = new ConcurrentHashMap<>();

  LoopLocal(Vertx vertx, Supplier<T> factory) {
    this.vertx = vertx;
    this.factory = factory;
  }

  /** This loop's instance, or null when not called on an event loop of this Vertx. */
  T current() {
    if (!Context.isOnEventLoopThread() || !(Vertx.currentContext() instanceof ContextInternal context)
        || context.owner() != vertx) {
      return null;
    }
    return byLoop.computeIfAbsent(Thread.currentThread(), thread -> create(context));
  }

  private T create(ContextInternal calling) {
    ContextInternal own = ((VertxInternal) vertx).contextBuilder().withEventLoop(calling.nettyEventLoop()).build();
    Object[] created = new Object[1];
    own.dispatch(v -> created[0] = factory.get());
    @SuppressWarnings("unchecked")
    T instance = (T) created[0];
    return instance;
  }

  Collection<T> all() {
    return byLoop.values();
  }
}
