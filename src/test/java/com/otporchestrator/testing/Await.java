package com.otporchestrator.testing;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Blocking helpers for the JUnit thread (never an event loop), so tests read top to bottom. */
public final class Await {
  private static final Duration DEFAULT = Duration.ofSeconds(5);

  private Await() {}

  /** The future's result; a failed future rethrows its cause so AssertJ can inspect it. */
  public static <T> T result(Future<T> future) {
    try {
      return future.await(DEFAULT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("future not completed within " + DEFAULT, e);
    }
  }

  public static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT, condition);
  }

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
      pause(Duration.ofMillis(50));
    }
  }

  public static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
